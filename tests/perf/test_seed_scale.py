"""The scale data set generator (manage.py seed_scale), at its tiny size:
it builds, is deterministic, keeps every partnership-scoped reference inside its
partnership, numbers as the constraints demand, its records pass their own validation, and
a generated lead's pages answer."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from governance.actions.services import action_overdue_reminders_send
from governance.escalation.services import escalations_advance
from governance.models import (
    ActionItem,
    ActionItemEscalation,
    ActionItemOverdueReminder,
    Audit,
    Batch,
    Deviation,
    Finding,
    Meeting,
    Request,
    RequestEscalation,
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


@pytest.fixture(scope="module")
def tiny(django_db_setup, django_db_blocker):
    """One tiny build for the module's read-only tests, rolled back at its end (each test
    runs in a savepoint of it: the `db` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def test_references_stay_inside_their_partnership(tiny):
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
        "escalation level's people seated": "SELECT l.id FROM "
        "partnership_escalationlevel_people l JOIN partnership_escalationlevel e ON e.id = "
        "l.escalationlevel_id WHERE NOT EXISTS (SELECT 1 FROM partnership_membership s WHERE "
        "s.user_id = l.user_id AND s.partnership_id = e.partnership_id)",
        "internal action owned by its author's organization": "SELECT a.id FROM "
        "governance_actionitem a JOIN partnership_user u ON u.id = a.owner_id WHERE "
        "a.is_internal AND u.organization_id <> a.author_organization_id",
    }
    found = {name: rows(sql) for name, sql in mismatches.items()}
    assert found == {name: [] for name in mismatches}


def test_numbering_counts_per_partnership(tiny):
    numbers = rows("SELECT partnership_id, array_agg(number ORDER BY number) FROM "
                   "governance_request GROUP BY partnership_id")
    assert numbers and all(got == list(range(1, len(got) + 1)) for _p, got in numbers)
    findings = rows("SELECT audit_id, array_agg(number ORDER BY number) FROM "
                    "governance_finding GROUP BY audit_id")
    assert findings and all(got == list(range(1, len(got) + 1)) for _a, got in findings)


def test_every_status_and_a_share_overdue(tiny):
    for kind in (Request, ActionItem, Meeting, Audit, Batch, Deviation):
        statuses = set(kind.objects.values_list("status", flat=True))
        wanted = set(kind.Status.values)
        # The tiny set is small: most of each workflow, the larger sets all of it.
        assert len(statuses) >= len(wanted) - 2, (kind.__name__, wanted - statuses)
    assert ActionItem.objects.filter(status="open", due_date__lt=scale.today()).exists()
    assert Meeting.objects.filter(starts_at__gt=scale.anchor()).exists()


def test_the_jobs_next_run_finds_only_what_became_due_lately(tiny):
    """The set holds the jobs' past work: their next run tells of what became due since
    yesterday, not of years of backlog (and the backlog is there to be told of)."""
    assert ActionItemOverdueReminder.objects.exists()
    assert ActionItemEscalation.objects.exists() and RequestEscalation.objects.exists()
    with transaction.atomic():
        action_overdue_reminders_send()
        escalations_advance()
        lately = scale.today() - datetime.timedelta(days=3)
        assert not ActionItemOverdueReminder.objects.filter(
            due_date__lt=lately, created_at__gt=scale.anchor()).exists()
        new_steps = ActionItemEscalation.objects.filter(reached_at__gt=scale.anchor())
        assert all(step.action.due_date >= lately or step.level > 1 for step in new_steps)
        transaction.set_rollback(True)


def test_records_pass_their_own_validation(tiny):
    for kind in (Partnership, Membership, User, Meeting, ActionItem, Request, Audit, Finding,
                 Batch, Deviation, Comment):
        for record in kind.objects.order_by("?")[:8]:
            record.full_clean()


def test_the_history_has_an_insert_event_per_loaded_row(tiny):
    assert tiny["history_events"] >= Request.objects.count() + ActionItem.objects.count()
    missing = rows("SELECT a.id FROM governance_actionitem a WHERE NOT EXISTS (SELECT 1 FROM "
                   "governance_actionitemevent e WHERE e.pgh_obj_id = a.id AND e.pgh_label = "
                   "'insert' AND e.pgh_created_at = a.created_at)")
    assert missing == []
    # The triggers are back on: a change is recorded.
    action = ActionItem.objects.order_by("pk").first()
    ActionItem.objects.filter(pk=action.pk).update(title="Changed")
    assert rows(f"SELECT pgh_label FROM governance_actionitemevent WHERE pgh_obj_id = "
                f"{action.pk} ORDER BY pgh_id") == [("insert",), ("update",)]


def test_a_generated_leads_pages_answer(tiny, client):
    manifest = tiny
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


def test_kpis_signed_and_computed_values_equal_the_records(tiny):
    from metrics.computed.compute import compute
    from metrics.kpis.models import KPIDefinition
    from metrics.measurements.models import KPIMeasurement
    from partnership.signatures.declarations import content_hash
    from partnership.signatures.models import Signature

    assert KPIDefinition.objects.filter(status="agreed").count() == \
        KPIDefinition.objects.count() > 0
    assert set(KPIMeasurement.objects.values_list("status", flat=True)) == set(
        KPIMeasurement.Status.values)
    for value in KPIMeasurement.objects.filter(status="published"):
        signature = Signature.objects.get(object_id=value.pk, event="published",
                                          content_type__model="kpimeasurement")
        assert signature.content_hash == content_hash(value, "published")
    for definition in KPIDefinition.objects.order_by("?")[:5]:
        for signature in Signature.objects.filter(object_id=definition.pk, event="agreed",
                                                  content_type__model="kpidefinition"):
            assert signature.content_hash == content_hash(definition, "agreed")
    computed = KPIMeasurement.objects.filter(definition__data_source="computed")
    assert computed.filter(status="draft").exists()  # the nightly job's
    for value in computed.select_related("partnership", "definition"):
        result = compute(value.partnership, value.key, value.period,
                         value.definition.frequency)
        assert (value.value, value.numerator, value.denominator) == (
            result.value, result.numerator, result.denominator), value.key
    for value in KPIMeasurement.objects.order_by("?")[:50]:
        value.full_clean()


def test_the_foreign_keys_check_of_a_load_without_triggers_finds_a_broken_key(tiny):
    loader = scale.Loader()
    actions = loader[ActionItem]
    actions.first, actions.count = 1, 1
    assert scale.check_foreign_keys(loader) >= 5  # the keys of the built actions hold
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE governance_actionitem SET meeting_id = 999999999 WHERE id = "
                       "(SELECT min(id) FROM governance_actionitem)")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with pytest.raises(ValueError, match="meeting_id of row .* points at no row"):
        scale.check_foreign_keys(loader)
