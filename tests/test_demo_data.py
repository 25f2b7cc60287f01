"""The demo cast (README): each person sees exactly their partnerships, in pages and API."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import (
    ActionItem,
    ActionItemEscalation,
    Decision,
    Meeting,
    Request,
    RequestEscalation,
)
from partnership.models import EscalationLevel, Membership, Partnership, Program, User
from partnership.notifications.models import Notification
from partnership.parties.services import user_invite
from partnership.scoping import SharedRecord
from portal.registries.audited import audited_models
from tests import demo_copy
from tests.governance.test_requests import assert_demo_emergencies_agree_with_the_budget

NM = "Northwind Biologics – Meridian Biomanufacturing"
NA = "Northwind Biologics – Aurora Analytical Labs"
HM = "Helix Therapeutics – Meridian Biomanufacturing"
EXPECTED = {
    "nora@northwind.example": {NM, NA},
    "quinn@northwind.example": {NM, NA},
    "sam@northwind.example": {NM, NA},
    "hana@helix.example": {HM},
    "mei@meridian.example": {NM},
    "ravi@meridian.example": {NM},
    "tomas@meridian.example": {NM},
    "max@meridian.example": {HM},
    "olga@meridian.example": {NM, HM},
    "ari@aurora.example": {NA},
    "admin@lockstep.example": set(),
}


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, once for the module (seeded, or the run's copy of it: tests/demo_copy.py)
    and rolled back at its end, as tests.conftest.module_world does with the named world."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_copy.seed_or_restore(tmp_path_factory)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded, db):
    """The seeded demo; each test runs in its own savepoint (`db`), so one that writes (a
    second seeding, an invitation) leaves nothing behind for the next."""


def _counts() -> dict[str, int]:
    models = [User, Membership, Partnership, Notification, RequestEscalation,
              ActionItemEscalation,
              *(m for m in apps.get_models() if issubclass(m, SharedRecord))]
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_twice_changes_nothing(demo):
    counts = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == counts


def test_the_demos_emergencies_agree_with_the_months_budget(demo):
    assert_demo_emergencies_agree_with_the_budget(timezone.now())


def test_every_demo_record_keeps_the_rules_the_portal_enforces(demo):
    """The seed writes rows directly: each must still pass its model's own validation (an
    owner who can act, a decision of its meeting's partnership …)."""
    for model in apps.get_models():
        if issubclass(model, SharedRecord):
            for record in model.objects.all():
                record.full_clean()


@pytest.mark.parametrize("pair", [NM, NA, HM])
def test_each_demo_partnership_has_months_of_working_together(demo, pair):
    sponsor, cdmo = pair.split(" – ")
    partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
    today = timezone.localdate()
    meetings = Meeting.objects.filter(partnership=partnership)
    assert meetings.filter(status="held", minutes__gt="",
                           starts_at__lt=timezone.now() - datetime.timedelta(days=60)).exists()
    assert meetings.filter(status="scheduled").exists()
    actions = ActionItem.objects.filter(partnership=partnership)
    assert actions.count() >= 5 and actions.filter(due_date__lt=today).exclude(
        status__in=ActionItem.CLOSED).exists() and actions.filter(meeting__isnull=False).exists()
    assert Decision.objects.filter(partnership=partnership).count() >= 2
    requests = Request.objects.filter(partnership=partnership)
    assert requests.count() >= 5 and requests.filter(urgency="emergency").exists()
    assert requests.late().exists() and requests.filter(status="accepted").exists()
    assert len({r.requested_by_party for r in requests}) == 2  # both ways


@pytest.mark.parametrize("pair", [NM, NA, HM])
def test_the_cockpits_recent_activity_reads_like_months_of_work(demo, pair):
    """Not a screen of records all made at the seeding ("18 minutes ago"): every kind is
    dated as its story says, so the latest entries are of more than one kind and none is
    from the seeding's last hour."""
    from governance.overview.selectors import recent_activity

    sponsor, cdmo = pair.split(" – ")
    partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
    lead = Membership.objects.filter(partnership=partnership, role="lead",
                                     user__organization=partnership.sponsor).first().user
    latest = recent_activity(user=lead, partnership=partnership, limit=8)
    assert len({entry["kind"] for entry in latest}) >= 2, latest
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    assert all(entry["created_at"] < an_hour_ago for entry in latest), latest


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_each_demo_user_sees_exactly_their_partnerships(demo, client, email):
    assert client.login(request=HttpRequest(), username=email, password="lockstep-demo")
    page = client.get(reverse("partnership:partnership_list")).content.decode()
    for name in {NM, NA, HM}:
        assert (name in page) == (name in EXPECTED[email]), f"{email} and {name}"
    api = APIClient()
    api.force_authenticate(User.objects.get(email=email))
    listed = {f"{row['sponsor']['name']} – {row['cdmo']['name']}"
              for row in api.get("/api/v1/partnerships/").json()["results"]}
    assert listed == EXPECTED[email]


def test_one_sponsors_names_never_reach_the_other(demo):
    helix = Partnership.objects.get(sponsor__name="Helix Therapeutics")
    northwind_words = {"Northwind", "Velarimab", "Torvacept", "NWB"}
    for program in Program.objects.filter(partnership=helix):
        assert not any(word in f"{program.code} {program.name} {program.description}"
                       for word in northwind_words)
    assert "Northwind" not in helix.description


@pytest.mark.parametrize("pair", [NM, NA, HM])
def test_each_demo_partnership_shows_escalations_along_its_path(demo, pair):
    """The seed runs the escalation job over the last weeks: late and overdue items of each
    partnership have climbed its path, told only its levels' people, with no mail pending."""
    sponsor, cdmo = pair.split(" – ")
    partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
    levels = EscalationLevel.objects.filter(partnership=partnership)
    assert levels.count() >= 2 and all(level.people.exists() for level in levels)
    steps = [*RequestEscalation.objects.filter(partnership=partnership),
             *ActionItemEscalation.objects.filter(partnership=partnership)]
    assert RequestEscalation.objects.filter(partnership=partnership).exists()
    assert {step.level for step in steps} >= {1}
    notices = Notification.objects.filter(partnership=partnership, kind="escalated")
    assert notices.exists() and not notices.filter(emailed_at__isnull=True).exists()
    assert all(notice.created_at <= timezone.now() for notice in notices)


def test_the_demo_holds_the_reminders_ahead_of_deadlines_each_once(demo):
    """The seed runs every reminder's job once: each contract well inside its renewal notice
    period has reminded a lead of each party; every reminder went to its person once and is
    e-mailed (no backlog of demo mail)."""
    from partnership.models import Contract
    from portal.registries import reminders as registry

    kinds = [reminder.code for reminder in registry.reminders()]
    told = Notification.objects.filter(kind__in=kinds)
    today = timezone.now().date()
    for contract in Contract.objects.filter(status="executed", expiry_date__gt=today +
                                            datetime.timedelta(days=1)):
        if contract.renewal_notice_date < today - datetime.timedelta(days=1):
            parties = {contract.partnership.party_of(n.recipient) for n in told.filter(
                kind="contract_renewal", record_id=contract.pk).select_related("recipient")}
            assert parties == {"sponsor", "cdmo"}, contract
    keys = list(told.values_list("kind", "record_id", "recipient_id"))
    assert len(keys) == len(set(keys))
    assert not told.filter(emailed_at__isnull=True).exists()


def test_the_demo_has_items_escalated_beyond_the_first_level(demo):
    assert ActionItemEscalation.objects.filter(level=2).exists()
    assert RequestEscalation.objects.filter(level=2).exists()


def test_each_demo_organization_invites_at_its_own_domain_only(demo):
    for admin, own, other in (("nora@northwind.example", "northwind", "meridian"),
                              ("hana@helix.example", "helix", "northwind"),
                              ("olga@meridian.example", "meridian", "helix"),
                              ("ari@aurora.example", "aurora", "northwind")):
        actor = User.objects.get(email=admin)
        with pytest.raises(ValidationError):
            user_invite(actor=actor, email=f"new@{other}.example", first_name="N",
                        last_name="N")
        user_invite(actor=actor, email=f"new@{own}.example", first_name="N", last_name="N")
        assert User.objects.get(email=f"new@{own}.example").organization == actor.organization


def test_the_demo_has_a_history_written_as_a_command_with_reasons(demo, client):
    """The seed writes as door "command"; the change of an executed contract has its reason,
    which Nora reads on the contract's History."""
    from partnership.models import Contract, ContractEvent

    msa = Contract.objects.get(reference="MSA-NWM-2024")
    events = ContractEvent.objects.filter(pgh_obj_id=msa.pk).order_by("pgh_id")
    assert events.count() >= 3  # created, negotiated, executed, amended
    assert {event.pgh_context["door"] for event in events} == {"command"}
    # Every write of the seed says why, its dating of executed records too.
    from partnership.history.tracking import event_model

    unreasoned = [(entry.label, event.pk) for entry in audited_models()
                  for event in event_model(apps.get_model(entry.label)).objects.all()
                  if not (event.pgh_context or {}).get("reason")]
    assert unreasoned == []
    assert events.last().pgh_context["reason"].startswith("Renewal notice lengthened")
    client.force_login(User.objects.get(email="nora@northwind.example"))
    page = client.get(reverse("partnership:record_history", args=[
        msa.partnership_id, "contract", msa.pk]))
    assert page.status_code == 200 and b"Renewal notice lengthened" in page.content
    # Both leads signed the amended terms again: two signatures no longer valid, two valid.
    from partnership.signatures.selectors import signatures_of

    assert sorted(s.valid for s in signatures_of(msa)) == [False, False, True, True]


def test_demo_meetings_are_rich(demo):
    """Each partnership has a meeting to come and months of held, minuted ones (seeding
    twice adds none: test_seeding_twice_changes_nothing)."""
    from governance.models import ActionItem, Decision, Meeting
    from partnership.models import Organization

    now = timezone.now()
    for partnership in Partnership.objects.all():
        meetings = Meeting.objects.filter(partnership=partnership)
        assert meetings.filter(starts_at__gt=now, status="scheduled").exists()
        held = meetings.filter(status="held")
        assert held.count() >= 10 and not held.filter(minutes="").exists()
        assert {"business_review", "steering_committee"} <= set(
            held.values_list("kind", flat=True))
        assert Decision.objects.filter(partnership=partnership,
                                       meeting__isnull=False).exists()
        assert ActionItem.objects.filter(partnership=partnership,
                                         meeting__isnull=False).exists()
    assert all(org.sites.filter(is_main=True).count() == 1
               for org in Organization.objects.all())


def test_every_meridian_and_aurora_site_is_qualified_in_its_partnerships(demo):
    """Issue 12, slice 3: a qualification for each CDMO site in each of its partnerships,
    an FDA 483 and an EU GMP certificate, a subcontractor permitted in writing, and the
    intervals put two sites on the re-audit list: Meridian Cape Town (its routine audit of
    nearly two years ago) and Aurora Milan (twelve months)."""
    from governance.models import Inspection, SiteQualification, Subcontractor
    from governance.quality.sites.selectors import reaudit_due_list
    from partnership.models import Site

    for partnership in Partnership.objects.select_related("cdmo"):
        sites = set(Site.objects.filter(organization=partnership.cdmo).values_list("pk",
                                                                                  flat=True))
        assert set(SiteQualification.objects.filter(partnership=partnership).values_list(
            "site", flat=True)) == sites
    assert Inspection.objects.filter(outcome="form_483", observation_count__gt=0).exists()
    assert Inspection.objects.filter(outcome="gmp_certificate",
                                     certificate_expiry__gt=timezone.localdate()).exists()
    assert Subcontractor.objects.filter(status="permitted",
                                        permission_date__isnull=False).exists()
    due = reaudit_due_list(user=User.objects.get(email="quinn@northwind.example"))
    assert [row.site.name for row in due] == ["Meridian Cape Town", "Aurora Milan"]


def test_the_qa_desk_of_quinn_and_ravi_has_something_in_every_section(demo):
    """Issue 12, item 9: each QA lead's desk shows a record in each of its sections."""
    from governance.quality.desk import SECTIONS, read_sections
    from governance.quality.qa import quality_partnerships

    for email in ("quinn@northwind.example", "ravi@meridian.example"):
        user = User.objects.get(email=email)
        partnerships = list(quality_partnerships(user))
        empty = [block.section.key for block in read_sections(
            SECTIONS, user=user, partnerships=partnerships) if not block.rows]
        assert empty == [], email
def test_each_demo_partnership_has_a_quality_agreement_deviations_and_capas(demo):
    """Every demo partnership works under GMP: a quality agreement in force with its matrix;
    deviations notified on time and late (one still unnotified), an OOS at Aurora; CAPAs on
    time, overdue and verified by signature."""
    from governance.models import Capa, Deviation, QualityAgreement

    for partnership in Partnership.objects.all():
        agreement = QualityAgreement.objects.in_force(partnership)
        assert agreement is not None and agreement.responsibilities.count() >= 10
    deviations = Deviation.objects.all()
    notified = [d.notified_in_time for d in deviations]
    assert True in notified and False in notified
    assert deviations.filter(sponsor_notified_at__isnull=True, is_internal=True).exists()
    assert deviations.filter(kind="oos", partnership__cdmo__name="Aurora Analytical Labs")
    capas = Capa.objects.all()
    assert capas.filter(status="verified").exists() and capas.overdue().exists()
    assert capas.filter(finding__isnull=False).exists()
    assert capas.exclude(status="verified").filter(
        due_date__gte=timezone.localdate()).exists()
def test_demo_lots_are_disposed_of_and_awaiting_review(demo):
    """Lots at Meridian and Aurora for the three partnerships: released, one rejected, two
    quarantined, others awaiting a review; every released one with both reviews and a CoA."""
    from governance.models import Batch

    lots = Batch.objects.select_related("partnership__sponsor", "partnership__cdmo", "site")
    assert {f"{b.partnership}" for b in lots} == {NM, NA, HM}
    assert {b.site.name for b in lots if str(b.partnership) == NA} == {"Aurora Milan"}
    statuses = [b.status for b in lots]
    assert statuses.count("rejected") == 1 and statuses.count("quarantined") == 2
    assert {"released", "manufactured", "cdmo_reviewed", "sponsor_reviewed"} <= set(statuses)
    for lot in lots.filter(status="released"):
        assert lot.cdmo_reviewed_at < lot.sponsor_reviewed_at <= lot.disposed_at
        assert lot.certificates.exists()
    assert len({b.cdmo_review_note for b in lots if b.cdmo_review_note}) == \
        len([b for b in lots if b.cdmo_review_note])


def test_demo_quality_events_are_records_not_requests(demo):
    """Issue 12, items 5, 7 and 10: the deviation report DEV-2291 and lot H-7's sterility
    failure live in the deviation and its batch, not in generic requests; lot H-7 is a
    quarantined batch of Helix–Meridian that DEV-3102 names (so it cannot be released while
    the deviation is open), and the other deviations naming a demo lot are linked to it.
    The partnerships keep a late emergency request, about something else."""
    from governance.models import Batch, Deviation

    titles = list(Request.objects.values_list("title", flat=True))
    assert not [t for t in titles if "DEV-2291" in t or "H-7" in t]
    helix = Partnership.objects.get(sponsor__name="Helix Therapeutics",
                                    cdmo__name="Meridian Biomanufacturing")
    assert Request.objects.filter(partnership=helix, urgency="emergency").late().exists()
    h7 = Batch.objects.get(partnership=helix, lot_number="H-7")
    assert h7.status == "quarantined" and h7.program.code == "HLX-7"
    sterility = Deviation.objects.get(partnership=helix, title__contains="Sterility")
    assert sterility.batch == h7 and sterility.lot == "" and sterility.is_open
    assert "DEV-3102" in (h7.open_deviations_blocker() or "")
    assert Deviation.objects.get(reference="DEV-2291").batch.lot_number == "P-0412"
    assert Deviation.objects.get(reference="CMP-0015").batch.lot_number == "H-5"
    for deviation in Deviation.objects.filter(batch__isnull=True).exclude(lot=""):
        assert not Batch.objects.filter(partnership=deviation.partnership_id,
                                        lot_number=deviation.lot).exists()


def test_demo_change_controls_are_in_each_state_and_one_waits_for_quinn(demo):
    """Change controls at Meridian's and Aurora's sites in every state; the resin supplier
    change (a generic request before) waits for Quinn's signed decision, classed by the
    agreement in force as needing the sponsor's approval."""
    from governance.models import ChangeControl

    changes = ChangeControl.objects.select_related("partnership__sponsor",
                                                   "partnership__cdmo", "site")
    assert {c.status for c in changes} == set(ChangeControl.Status.values)
    assert {c.site.organization.name for c in changes} == {"Meridian Biomanufacturing",
                                                          "Aurora Analytical Labs"}
    resin = changes.get(reference="CC-2026-041")
    assert str(resin.partnership) == NM and resin.status == "awaiting_decision"
    assert resin.category == "supplier" and resin.classification == "approval"
    assert resin.agreement is not None and not resin.is_decision_overdue
    quinn = User.objects.get(email="quinn@northwind.example")
    assert resin.decisions_for(quinn) == ["approved", "rejected"]
    assert not Request.objects.filter(title="Confirm the resin supplier change").exists()
    assert changes.filter(status="implemented", implemented_on__isnull=False).exists()
    assert len({c.description for c in changes}) == changes.count()


def test_each_meridian_and_aurora_site_has_an_audit_history(demo):
    """Issue 12, item 10: every site of Meridian and Aurora has been or will be audited;
    among the audits some are closed, one is in progress and one planned, and the findings
    cover every class, each with its own text."""
    from governance.models import Audit, Finding
    from partnership.models import Site

    audits = Audit.objects.select_related("site__organization")
    for site in Site.objects.filter(organization__name__in=(
            "Meridian Biomanufacturing", "Aurora Analytical Labs")):
        assert audits.filter(site=site).exists(), site.name
    statuses = [audit.status for audit in audits]
    assert statuses.count("closed") >= 2
    assert "in_progress" in statuses and "planned" in statuses
    findings = Finding.objects.all()
    assert {f.classification for f in findings} == set(Finding.Classification.values)
    assert len({f.title for f in findings}) == findings.count()


def test_demo_kpis_are_agreed_published_and_under_review(demo):
    """The standard KPIs agreed by both leads in each partnership, the entered ones with two
    years of published values (some red, some amber), the computed ones with the values
    worked out from the demo's own records, each linked to them (last month's a draft of
    the reporting party); in Northwind–Meridian one KPI at version 2, last month's on-time
    delivery shared for Nora's review, a dispute settled with both sides' words and one
    still open."""
    from metrics.kpis.library import STANDARD
    from metrics.measurements.models import KPIMeasurement
    from metrics.models import KPIDefinition
    from partnership.signatures.services import is_complete

    definitions = KPIDefinition.objects.select_related("partnership__sponsor",
                                                       "partnership__cdmo")
    for pair in (NM, NA, HM):
        agreed = [d for d in definitions if str(d.partnership) == pair and d.status == "agreed"]
        assert len(agreed) == len(STANDARD)
        assert all(is_complete(d, "agreed") for d in agreed)
    revised = definitions.get(partnership__cdmo__name="Meridian Biomanufacturing",
                              partnership__sponsor__name="Northwind Biologics", version=2)
    assert revised.supersedes.status == "superseded"
    assert revised.supersedes.measurements.filter(status="published").exists()
    values = KPIMeasurement.objects.select_related("definition", "partnership__sponsor",
                                                   "partnership__cdmo")
    published = [v for v in values if v.status == "published"]
    entered = [v for v in published if v.definition.data_source == "entered"]
    assert len(entered) >= 3 * 23 * 3
    computed = [v for v in values if v.definition.data_source == "computed"]
    for pair in (NM, NA, HM):
        assert any(str(v.partnership) == pair and v.status == "published" for v in computed)
    assert all(v.sources.exists() for v in computed)
    assert any(v.status == "draft" and v.created_by_id is None for v in computed)
    assert {v.rag for v in published} == {"green", "amber", "red"}
    nm = [v for v in values if str(v.partnership) == NM]
    shared = [v for v in nm if v.status == "shared"]
    assert [v.key for v in shared] == ["on-time-delivery"]
    assert [v.key for v in nm if v.status == "disputed"] == ["batch-record-review-time"]
    settled = [v for v in nm if {r.kind for r in v.reviews.all()} >= {"dispute", "correction"}]
    assert len(settled) == 1 and settled[0].status == "published"
    assert {r.party for r in settled[0].reviews.all()} == {"sponsor", "cdmo"}


def test_the_business_reviews_minutes_quote_published_values(demo):
    """The QBR minutes quote the portal's own published figures of the months before the
    meeting, not figures that exist nowhere."""
    from metrics.measurements.models import KPIMeasurement

    for pair in (NM, NA, HM):
        sponsor, cdmo = pair.split(" – ")
        review = Meeting.objects.get(partnership__sponsor__name=sponsor,
                                     partnership__cdmo__name=cdmo, status="held",
                                     kind="business_review")
        assert "92 %" not in review.minutes and "Published values quoted:" in review.minutes
        before = timezone.localdate(review.starts_at).replace(day=1)
        latest = KPIMeasurement.objects.filter(
            partnership=review.partnership, key="on-time-delivery", status="published",
            period__lt=before).order_by("-period").first()
        assert f"{latest.value.normalize():f} %" in review.minutes


def test_every_demo_request_says_when_it_is_needed(demo):
    """The list shows "Needed by": every demo request has one, after the day it was sent."""
    requests = list(Request.objects.all())
    assert requests
    assert all(r.needed_by is not None and r.needed_by > r.sent_at.date() for r in requests)


def test_what_was_delivered_is_attached_to_its_record(demo):
    """No demo note sends anyone to a shared folder: each fulfilled request and the executed
    batch record carry their file (a valid PDF) in their discussion, which both parties see,
    and the sponsor's internal note stays the sponsor's."""
    from partnership.discussion.models import Attachment, Comment
    from partnership.discussion.selectors import comment_list
    from partnership.models import Deliverable

    assert not Request.objects.filter(fulfilment_note__icontains="shared folder").exists()
    for request in Request.objects.filter(fulfilled_at__isnull=False):
        files = Attachment.objects.filter(comment__record_type="request",
                                          comment__record_id=request.pk)
        assert files.count() == 1, request.title
        assert files.get().open_verified().read(5) == b"%PDF-", request.title
    record = Deliverable.objects.get(title="Engineering run executed batch record")
    assert Attachment.objects.filter(comment__record_type="deliverable",
                                     comment__record_id=record.pk).exists()
    internal = Comment.objects.get(is_internal=True, body__contains="hold-time study")
    request = Request.objects.get(pk=internal.record_id)
    mei, quinn = (User.objects.get(email=e) for e in ("mei@meridian.example",
                                                      "quinn@northwind.example"))
    assert internal not in comment_list(user=mei, record=request)
    assert internal in comment_list(user=quinn, record=request)
    assert comment_list(user=mei, record=request).count() == 2


def test_a_finding_shows_two_files_on_a_comment_and_a_withdrawn_draft(demo):
    """The discussion's files and withdrawals (issue 14): a finding's thread has a comment
    with two files, below a draft its author withdrew (kept, with why, its file not served)."""
    from django.db.models import Count

    from partnership.discussion.models import Comment
    from partnership.discussion.selectors import attachment_list

    two = Comment.objects.annotate(files=Count("attachments")).filter(
        record_type="finding", files=2, withdrawn_at__isnull=True).get()
    withdrawn = Comment.objects.get(record_type="finding", record_id=two.record_id,
                                    withdrawn_at__isnull=False)
    assert withdrawn.withdrawn_by == withdrawn.created_by and withdrawn.withdrawal_reason
    assert withdrawn.withdrawn_at > withdrawn.created_at
    assert withdrawn.attachments.exists()  # kept, not deleted
    served = attachment_list(user=two.created_by)
    assert not served.filter(comment=withdrawn).exists()
    assert served.filter(comment=two).count() == 2


# --- A demo that reads true to someone who has worked in a CDMO -------------------------------

def _request_texts(request) -> list[str]:
    return [text for text in (request.description, request.question, request.answer,
                              request.fulfilment_note, request.decline_reason,
                              request.emergency_justification) if text]


def test_each_partnerships_minutes_and_requests_are_its_own(demo):
    """No request text is found word for word in two partnerships, and every meeting has
    minutes of its own (no week's check-in, or audit, minuted as another was)."""
    seen: dict[str, int] = {}
    shared = []
    for request in Request.objects.all():
        for text in _request_texts(request):
            if seen.setdefault(text, request.partnership_id) != request.partnership_id:
                shared.append(text)
    assert shared == []
    minutes = list(Meeting.objects.exclude(minutes="").values_list("minutes", flat=True))
    assert len(minutes) >= 30 and len(set(minutes)) == len(minutes)


def test_every_demo_request_says_what_it_asks(demo):
    """A request says what is asked, in its own words: none "as discussed"."""
    for request in Request.objects.all():
        assert "as discussed" not in request.description.lower(), request.title
        assert request.title.lower() not in request.description.lower(), request.title
        if request.status == "queried":
            assert request.question.endswith("?"), request.title


def test_acceptance_criteria_are_agreed_before_the_work_starts(demo):
    """Each deliverable under way or done had its criteria stated before its work started,
    started before it was due and before any milestone it serves was reached, and was
    reviewed after that."""
    from partnership.models import Deliverable

    for deliverable in Deliverable.objects.exclude(status="planned").prefetch_related(
            "criteria", "reviews", "milestones"):
        agreed = deliverable.criteria_agreed_at
        assert agreed is not None, deliverable.title
        assert all(c.created_at <= agreed for c in deliverable.criteria.all()), deliverable
        assert deliverable.created_at < agreed
        assert agreed.date() < deliverable.due_date, deliverable.title
        for milestone in deliverable.milestones.all():
            assert milestone.actual_date is None or agreed.date() <= milestone.actual_date
        assert all(agreed < review.reviewed_at <= timezone.now()
                   for review in deliverable.reviews.all()), deliverable.title


def test_no_open_action_is_overdue_for_work_already_delivered(demo):
    """An open action past its due date is not about a deliverable already accepted or a
    request already fulfilled (named in its title, or its source)."""
    from partnership.models import Deliverable

    today = timezone.localdate()
    done = {(d.partnership_id, d.title.lower())
            for d in Deliverable.objects.filter(status="accepted")}
    done |= {(r.partnership_id, r.title.lower())
             for r in Request.objects.filter(fulfilled_at__isnull=False)}
    for action in ActionItem.objects.filter(due_date__lt=today).exclude(
            status__in=ActionItem.CLOSED).select_related("request"):
        assert not [title for partnership, title in done
                    if partnership == action.partnership_id and title in action.title.lower()]
        assert action.request is None or action.request.fulfilled_at is None, action.title


def test_each_escalation_path_goes_up_to_other_people(demo):
    """Each level is held by people of both parties who are not on any level below it:
    the project leads, then the functional heads at level 2, then the steering committee."""
    for partnership in Partnership.objects.all():
        below: set[int] = set()
        levels = list(EscalationLevel.objects.filter(partnership=partnership)
                      .prefetch_related("people").order_by("level"))
        assert [level.level for level in levels] == [1, 2, 3]
        assert levels[1].name == "Functional heads"
        for level in levels:
            people = {person.pk: person for person in level.people.all()}
            assert not set(people) & below, f"{partnership}: level {level.level}"
            assert {partnership.party_of(person) for person in people.values()} == \
                {"sponsor", "cdmo"}
            below |= set(people)
        leads = set(Membership.objects.filter(partnership=partnership, role="lead")
                    .values_list("user_id", flat=True))
        assert {person.pk for person in levels[0].people.all()} == leads
        assert {person.pk for person in levels[2].people.all()} <= set(
            Membership.objects.filter(partnership=partnership, role="steering")
            .values_list("user_id", flat=True))


def test_each_communication_plan_names_a_contact_for_every_function(demo):
    from partnership.communication.models import Function, PointOfContact

    for partnership in Partnership.objects.all():
        for party in ("sponsor", "cdmo"):
            named = set(PointOfContact.objects.filter(partnership=partnership, party=party)
                        .values_list("function", flat=True))
            assert named == set(Function.values), f"{partnership}, {party}"


WEEKDAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays"]


def _rhythm(cadence: str):
    """(meeting title, weekday or None, local time, city) for each line of a plan's meeting
    cadence that says when the meeting starts: '<title>: … [<weekday>s] … at HH:MM <city>
    time'."""
    import re

    for line in cadence.splitlines():
        title, _, rest = line.partition(": ")
        day = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", rest)
        when = re.search(r"\bat (\d{1,2}):(\d{2}) ([A-Z][a-z]+(?: [A-Z][a-z]+)*) time\b", rest)
        if rest and when:
            yield (title, WEEKDAYS.index(day.group(1)) if day else None,
                   datetime.time(int(when.group(1)), int(when.group(2))), when.group(3))


def test_meetings_start_when_the_communication_plan_says(demo):
    """Every meeting of a series the plan times starts on its weekday, at its local time
    in the city it names."""
    import zoneinfo

    from partnership.communication.models import CommunicationPlan
    from partnership.models import Site

    for plan in CommunicationPlan.objects.select_related("partnership"):
        rhythm = list(_rhythm(plan.meeting_cadence))
        assert len(rhythm) >= 3, plan
        for title, weekday, local, city in rhythm:
            zone = zoneinfo.ZoneInfo(Site.objects.filter(city=city).first().time_zone)
            meetings = Meeting.objects.filter(partnership=plan.partnership, title=title)
            assert meetings.exists(), title
            for meeting in meetings:
                starts = meeting.starts_at.astimezone(zone)
                assert starts.time() == local, (title, starts)
                assert weekday is None or starts.weekday() == weekday, (title, starts)


def test_each_program_has_its_modality_and_runs_where_its_steps_can_be_done(demo):
    """The conjugate is an antibody–drug conjugate; each lot is made (or, at a testing lab,
    tested) at a site of its program that can do its step, and each change control is at a
    site of its program."""
    from governance.models import Batch, ChangeControl

    assert {p.code: p.modality for p in Program.objects.all()} == {
        "NWB-101": "biologic", "NWB-204": "biologic", "NWB-310": "biologic", "HLX-7": "adc",
        "HLX-12": "biologic"}
    needs = {"drug_substance": {"drug_substance"}, "drug_product": {"drug_product",
                                                                     "fill_finish"},
             "finished_pack": {"packaging"}}
    for batch in Batch.objects.select_related("site", "program"):
        can = set(batch.site.capabilities)
        assert can & needs[batch.stage] or can == {"analytical"}, batch.lot_number
        assert batch.program.sites.filter(pk=batch.site_id).exists(), batch.lot_number
    for change in ChangeControl.objects.select_related("program"):
        assert change.program.sites.filter(pk=change.site_id).exists(), change.reference


def test_drug_product_not_drug_substance_reaches_patients(demo):
    """Whatever the demo says about a clinic or patients speaks of drug product."""
    import re

    from governance.models import Notice, Recognition

    texts = [*Meeting.objects.values_list("minutes", flat=True),
             *Request.objects.values_list("description", flat=True),
             *Recognition.objects.values_list("message", flat=True),
             *Notice.objects.values_list("body", flat=True)]
    wrong = [text for text in texts
             if re.search(r"\b(DS|drug substance)\b", text)
             and re.search(r"\b(clinic|patients?)\b", text) and "drug product" not in text]
    assert wrong == []


def test_site_closures_say_when_they_take_effect(demo):
    from governance.models import Notice

    closures = Notice.objects.filter(kind="site_closure").select_related("site")
    assert closures.exists()
    for notice in closures:
        assert notice.effective_date == notice.site.status_date, notice.title


def test_each_partnership_agrees_its_own_emergency_acknowledgement_time(demo):
    """Not every demo partnership keeps the default: each has the time that fits it, within
    its time for any other request."""
    default = Partnership._meta.get_field("emergency_acknowledgement_hours").default
    hours = {p.pk: p.emergency_acknowledgement_hours for p in Partnership.objects.all()}
    assert len(set(hours.values())) == len(hours) and set(hours.values()) != {default}
    assert all(p.emergency_acknowledgement_hours <= p.acknowledgement_hours
               for p in Partnership.objects.all())
