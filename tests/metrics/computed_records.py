"""Records with known dates for the computed KPI tests (set-up only: written directly, as
the world is), in June 2025 and around it, months before the world's own records."""

import datetime

from governance.models import (
    ActionItem,
    Audit,
    Batch,
    Capa,
    Deviation,
    Finding,
    Request,
)
from partnership.models import DeliverableReview
from tests.factories import ContractFactory, DeliverableFactory, NegotiationRoundFactory

UTC = datetime.UTC
JUNE = datetime.date(2025, 6, 1)


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, tzinfo=UTC)


def on(month: int, day: int) -> datetime.date:
    return datetime.date(2025, month, day)


def action(world, due, *, completed=None, status=None, internal=False, title="Action"):
    return ActionItem.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, owner=world.alice,
        title=title, due_date=due, completed_at=completed, is_internal=internal,
        status=status or ("done" if completed else "open"))


def request(world, sent, *, acknowledged=None, status=None, closed=None, committed=None,
            needed_by=None, fulfilled=None, title="Request"):
    return Request.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=world.alice,
        title=title, description="Ask", kind="information", requested_by_party="sponsor",
        sent_at=sent, acknowledge_by=sent + datetime.timedelta(hours=48),
        acknowledged_at=acknowledged, closed_at=closed, committed_date=committed,
        needed_by=needed_by, fulfilled_at=fulfilled,
        status=status or ("fulfilled" if fulfilled else
                          "acknowledged" if acknowledged else "sent"))


def audit(world, *, closed=None):
    return Audit.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=world.alice,
        site=world.contoso.sites.first(), kind="routine", scope="Fill line",
        planned_start=on(4, 1), planned_end=on(4, 2), lead_auditor=world.alice,
        status="closed" if closed else "report_issued", closed_at=closed)


def finding(world, of_audit, number, due, *, reviewed=None, status="responded",
            classification="major"):
    return Finding.objects.create(
        partnership=world.acme_contoso, audit=of_audit, number=number,
        classification=classification, title=f"Finding {number}", requirement="EU GMP 4.8",
        evidence="Seen", response_due=due, raised_by=world.alice, status=status,
        responded_at=at(5, 1), reviewed_at=reviewed)


def deviation(world, reference, *, detected, notify_by=None, notified=None, batch=None,
              closed=None):
    return Deviation.objects.create(
        partnership=world.acme_contoso, author_organization=world.contoso,
        created_by=world.bob, reference=reference, site=world.contoso.sites.first(),
        kind="deviation", classification="major", title=f"{reference} title",
        description="What happened", detected_at=detected, notify_by=notify_by,
        sponsor_notified_at=notified, is_internal=notified is None, batch=batch,
        status="closed" if closed else "investigating", closed_at=closed)


def capa(world, number, due, *, verified=None):
    source = finding(world, audit(world), number, on(3, 1), status="accepted")
    return Capa.objects.create(
        partnership=world.acme_contoso, author_organization=world.contoso,
        created_by=world.bob, number=number, title=f"CAPA {number}", finding=source,
        root_cause="Cause", action_plan="Plan", owner=world.bob, due_date=due,
        status="verified" if verified else "implemented", verified_at=verified)


def batch(world, lot, *, disposed=None, status="released", quarantined=None):
    return Batch.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=world.alice,
        site=world.contoso.sites.first(), lot_number=lot, stage="drug_substance",
        manufactured_on=on(3, 1), status=status, disposed_at=disposed,
        quarantined_at=quarantined)


def contract(world, *, effective=None):
    return ContractFactory(partnership=world.acme_contoso, effective_date=effective)


def round_(of_contract, number, sent_by, sent_on, answered_on=None):
    return NegotiationRoundFactory(contract=of_contract, number=number, sent_by=sent_by,
                                   sent_on=sent_on, answered_on=answered_on)


def deliverable(world, *reviews):
    """A deliverable of Acme–Contoso and its reviews: (decision, reviewed at)."""
    row = DeliverableFactory(sow__partnership=world.acme_contoso)
    for decision, when in reviews:
        review(world, row, decision, when)
    return row


def review(world, row, decision, when):
    made = DeliverableReview.objects.create(partnership=world.acme_contoso, deliverable=row,
                                            reviewed_by=world.alice, decision=decision)
    DeliverableReview.objects.filter(pk=made.pk).update(reviewed_at=when)
    return made
