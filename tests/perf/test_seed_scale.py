"""The scale data set generator (manage.py seed_scale, issue 15 item 1), at its tiny size:
it builds, is deterministic, keeps every partnership-scoped reference inside its
partnership, numbers as the constraints demand, its records pass their own validation, and
a generated lead's pages answer."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from governance.models import (
    ActionItem,
    Audit,
    Batch,
    Deviation,
    Finding,
    Meeting,
    Request,
    RequestStep,
)
from partnership import scale
from partnership.models import Comment, Membership, Notification, Partnership, User

pytestmark = pytest.mark.django_db

KINDS = [Partnership, Membership, User, Meeting, ActionItem, Request, RequestStep, Audit,
         Finding, Batch, Deviation, Comment, Notification]


def build() -> dict:
    out = io.StringIO()
    call_command("seed_scale", size="tiny", stdout=out)
    return json.loads(scale.manifest_path("tiny").read_text())


def snapshot() -> dict:
    """Counts, ids and sample fields of every kind the generator writes."""
    sample = {
        Request: ("id", "partnership_id", "number", "status", "sent_at", "assignee_id"),
        ActionItem: ("id", "partnership_id", "owner_id", "status", "due_date", "meeting_id"),
        Meeting: ("id", "partnership_id", "starts_at", "status", "uid"),
        Finding: ("id", "audit_id", "number", "status"),
        Batch: ("id", "lot_number", "status", "manufactured_on"),
        Deviation: ("id", "reference", "batch_id", "detected_at"),
        User: ("id", "email", "first_name", "organization_id"),
        Membership: ("id", "partnership_id", "user_id", "role"),
    }
    shot = {kind.__name__: kind.objects.count() for kind in KINDS}
    for kind, fields in sample.items():
        shot[f"{kind.__name__} rows"] = list(kind.objects.order_by("pk").values_list(*fields))
    return shot


def rows(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_builds_the_same_rows_twice_and_refuses_a_database_with_partnerships():
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            first = build()
            before = snapshot()
            raise Rollback
    except Rollback:
        pass
    assert not Partnership.objects.exists()
    second = build()
    assert snapshot() == before
    assert first["rows"] == second["rows"]
    assert second["heavy_lead_email"] == "lead1@sponsor01.example"
    assert all(before[kind.__name__] > 0 for kind in KINDS)
    with pytest.raises(CommandError, match="already holds partnerships"):
        call_command("seed_scale", size="tiny", stdout=io.StringIO())


def test_references_stay_inside_their_partnership():
    build()
    mismatches = {
        "action's meeting": "SELECT a.id FROM governance_actionitem a JOIN governance_meeting "
        "m ON m.id = a.meeting_id WHERE m.partnership_id <> a.partnership_id",
        "action's request": "SELECT a.id FROM governance_actionitem a JOIN governance_request "
        "r ON r.id = a.request_id WHERE r.partnership_id <> a.partnership_id",
        "action's owner seated as a writer": "SELECT a.id FROM governance_actionitem a WHERE "
        "NOT EXISTS (SELECT 1 FROM partnership_membership s WHERE s.user_id = a.owner_id AND "
        "s.partnership_id = a.partnership_id AND s.role IN ('lead', 'member', 'qa_lead'))",
        "request step's request": "SELECT s.id FROM governance_requeststep s JOIN "
        "governance_request r ON r.id = s.request_id WHERE r.partnership_id <> "
        "s.partnership_id",
        "finding's audit": "SELECT f.id FROM governance_finding f JOIN governance_audit a ON "
        "a.id = f.audit_id WHERE a.partnership_id <> f.partnership_id",
        "audit's site of the CDMO": "SELECT a.id FROM governance_audit a JOIN "
        "partnership_site s ON s.id = a.site_id JOIN partnership_partnership p ON p.id = "
        "a.partnership_id WHERE s.organization_id <> p.cdmo_id",
        "lot's program": "SELECT b.id FROM governance_batch b JOIN partnership_program g ON "
        "g.id = b.program_id WHERE g.partnership_id <> b.partnership_id OR g.is_internal",
        "lot's site of the CDMO": "SELECT b.id FROM governance_batch b JOIN partnership_site "
        "s ON s.id = b.site_id JOIN partnership_partnership p ON p.id = b.partnership_id "
        "WHERE s.organization_id <> p.cdmo_id",
        "deviation's lot": "SELECT d.id FROM governance_deviation d JOIN governance_batch b "
        "ON b.id = d.batch_id WHERE b.partnership_id <> d.partnership_id",
        "meeting's attendees seated": "SELECT a.id FROM governance_meeting_attendees a JOIN "
        "governance_meeting m ON m.id = a.meeting_id WHERE NOT EXISTS (SELECT 1 FROM "
        "partnership_membership s WHERE s.user_id = a.user_id AND s.partnership_id = "
        "m.partnership_id)",
        "seat of a party's person": "SELECT s.id FROM partnership_membership s JOIN "
        "partnership_user u ON u.id = s.user_id JOIN partnership_partnership p ON p.id = "
        "s.partnership_id WHERE u.organization_id NOT IN (p.sponsor_id, p.cdmo_id)",
        "comment's record": "SELECT c.id FROM partnership_comment c WHERE NOT EXISTS ("
        "SELECT 1 FROM governance_request r WHERE c.record_type = 'request' AND r.id = "
        "c.record_id AND r.partnership_id = c.partnership_id UNION ALL SELECT 1 FROM "
        "governance_batch b WHERE c.record_type = 'batch' AND b.id = c.record_id AND "
        "b.partnership_id = c.partnership_id UNION ALL SELECT 1 FROM governance_audit a "
        "WHERE c.record_type = 'audit' AND a.id = c.record_id AND a.partnership_id = "
        "c.partnership_id)",
        "notification's recipient seated": "SELECT n.id FROM partnership_notification n "
        "WHERE NOT EXISTS (SELECT 1 FROM partnership_membership s WHERE s.user_id = "
        "n.recipient_id AND s.partnership_id = n.partnership_id)",
        "notification's request": "SELECT n.id FROM partnership_notification n JOIN "
        "governance_request r ON r.id = n.record_id WHERE r.partnership_id <> "
        "n.partnership_id",
        "internal action owned by its author's organization": "SELECT a.id FROM "
        "governance_actionitem a JOIN partnership_user u ON u.id = a.owner_id WHERE "
        "a.is_internal AND u.organization_id <> a.author_organization_id",
    }
    found = {name: rows(sql) for name, sql in mismatches.items()}
    assert found == {name: [] for name in mismatches}


def test_numbering_counts_per_partnership():
    build()
    numbers = rows("SELECT partnership_id, array_agg(number ORDER BY number) FROM "
                   "governance_request GROUP BY partnership_id")
    assert numbers and all(got == list(range(1, len(got) + 1)) for _p, got in numbers)
    findings = rows("SELECT audit_id, array_agg(number ORDER BY number) FROM "
                    "governance_finding GROUP BY audit_id")
    assert findings and all(got == list(range(1, len(got) + 1)) for _a, got in findings)


def test_every_status_and_a_share_overdue():
    build()
    for kind in (Request, ActionItem, Meeting, Audit, Batch, Deviation):
        statuses = set(kind.objects.values_list("status", flat=True))
        wanted = set(kind.Status.values)
        # The tiny set is small: most of each workflow, the larger sets all of it.
        assert len(statuses) >= len(wanted) - 2, (kind.__name__, wanted - statuses)
    assert ActionItem.objects.filter(status="open", due_date__lt=scale.today()).exists()
    assert Meeting.objects.filter(starts_at__gt=scale.anchor()).exists()


def test_records_pass_their_own_validation():
    build()
    for kind in (Partnership, Membership, User, Meeting, ActionItem, Request, Audit, Finding,
                 Batch, Deviation, Comment):
        for record in kind.objects.order_by("?")[:8]:
            record.full_clean()


def test_the_history_has_an_insert_event_per_loaded_row():
    manifest = build()
    assert manifest["history_events"] >= Request.objects.count() + ActionItem.objects.count()
    missing = rows("SELECT a.id FROM governance_actionitem a WHERE NOT EXISTS (SELECT 1 FROM "
                   "governance_actionitemevent e WHERE e.pgh_obj_id = a.id AND e.pgh_label = "
                   "'insert' AND e.pgh_created_at = a.created_at)")
    assert missing == []
    # The triggers are back on: a change is recorded.
    action = ActionItem.objects.order_by("pk").first()
    ActionItem.objects.filter(pk=action.pk).update(title="Changed")
    assert rows(f"SELECT pgh_label FROM governance_actionitemevent WHERE pgh_obj_id = "
                f"{action.pk} ORDER BY pgh_id") == [("insert",), ("update",)]


def test_a_generated_leads_pages_answer(client):
    manifest = build()
    lead = User.objects.get(email=manifest["heavy_lead_email"])
    assert lead.check_password(scale.PASSWORD)
    client.force_login(lead)
    pk = manifest["heavy_partnership"]
    request = Request.objects.filter(partnership_id=pk).order_by("pk").first()
    for url in (reverse("partnership:partnership_detail", args=[pk]),
                reverse("governance:my_work"),
                reverse("governance:actionitem_list", args=[pk]),
                reverse("governance:request_list", args=[pk]),
                reverse("governance:request_detail", args=[pk, request.pk]),
                reverse("governance:audit_list", args=[pk])):
        assert client.get(url).status_code == 200, url
