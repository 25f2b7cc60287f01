"""Change controls: the CDMO raises a change, its QA lead submits it, classed by the quality
agreement in force (approval required without one); the sponsor's QA lead alone signs the
decision of an approval-required change or acknowledges a notify-only one; nothing is
implemented before an approval, through the pages or the API; the decision reminder runs
once; the pages keep their number of queries whatever the data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import ChangeControl, QualityAgreement
from governance.quality.changes import services
from partnership.models import Contract, Membership, Site
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.partnership.test_api import api

PROPOSED = datetime.date(2026, 11, 2)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso (Alice is Acme's
    lead, Bob a Contoso member, Vera a viewer). The world's quality agreement is executed
    and in force, with its default change terms."""
    world.quinn = UserFactory(email="quinn@acme.test", first_name="Quinn",
                              last_name="Acmeson", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", first_name="Rita",
                             last_name="Contososon", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.quinn,
                      role=Membership.Role.QA_LEAD)
    MembershipFactory(partnership=world.acme_contoso, user=world.rita,
                      role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    world.agreement = QualityAgreement.objects.get(partnership=world.acme_contoso)
    Contract.objects.filter(pk=world.agreement.contract_id).update(
        kind="quality_agreement", status="executed", effective_date=datetime.date(2026, 1, 1))
    return world


def raise_change(world, actor=None, **extra) -> ChangeControl:
    fields = {"reference": "CC-2026-041", "site": world.boston, "program": world.acme_program,
              "category": "supplier", "title": "Second source for the Protein A resin",
              "description": "Add MabSelect PrismA from a second supplier.",
              "rationale": "Single-source risk after the 2026 allocation.",
              "impact_quality": "Comparability of three lots.", "proposed_on": PROPOSED,
              **extra}
    return services.change_control_create(actor=actor or world.bob,
                                          partnership=world.acme_contoso, **fields)


def submitted(world, **extra) -> ChangeControl:
    return services.change_control_submit(actor=world.rita, change=raise_change(world, **extra))


def decide(world, change, event, actor=None):
    return sign(actor=actor or world.quinn, record=change, event=event, meaning="approval",
                password=PASSWORD)


def refused(call, error=ValidationError) -> Exception:
    with pytest.raises(error) as caught:
        call()
    return caught.value


def implement(world, change, actor=None):
    return services.change_control_implement(
        actor=actor or world.bob, change=change, implemented_on=datetime.date(2026, 3, 2),
        implementation_evidence="Supplier qualified; first lot made with the new resin.")


# --- Classification ------------------------------------------------------------------------

def test_the_class_comes_from_the_agreements_fields_at_submission(cast):
    QualityAgreement.objects.filter(pk=cast.agreement.pk).update(
        change_supplier="notify", change_decision_days=10)
    change = submitted(cast)
    assert change.classification == "notify"
    assert change.status == "awaiting_acknowledgement" and change.decision_due is None
    assert change.agreement_id == cast.agreement.pk
    QualityAgreement.objects.filter(pk=cast.agreement.pk).update(change_supplier="approval")
    other = submitted(cast, reference="CC-2026-042")
    assert other.classification == "approval" and other.status == "awaiting_decision"
    assert other.decision_due == other.submitted_at.date() + datetime.timedelta(days=10)
    # The class is kept as submitted, whatever the agreement says later.
    assert ChangeControl.objects.get(pk=change.pk).classification == "notify"


def test_default_terms_notify_equipment_and_approve_the_rest(cast):
    agreement = QualityAgreement.objects.get(pk=cast.agreement.pk)
    assert agreement.change_class("equipment") == "notify"
    assert {agreement.change_class(c) for c in ("process", "supplier", "site",
                                                "specification", "method")} == {"approval"}
    assert agreement.change_decision_days == 30


def test_without_an_agreement_in_force_approval_is_required_and_said(cast):
    Contract.objects.filter(pk=cast.agreement.contract_id).update(status="negotiation")
    change = submitted(cast, category="equipment")
    assert change.classification == "approval" and change.agreement is None
    assert "No quality agreement was in force" in change.classification_source()


def test_submission_tells_the_sponsors_qa_lead(cast):
    change = submitted(cast)
    told = Notification.objects.get(recipient=cast.quinn, kind="change_control")
    assert "awaits your decision" in told.title and told.url == change.get_absolute_url()


# --- Who does what ---------------------------------------------------------------------------

def test_only_the_cdmo_raises_and_only_its_qa_lead_submits(cast):
    refused(lambda: raise_change(cast, actor=cast.alice), PermissionDenied)
    change = raise_change(cast)
    error = refused(lambda: services.change_control_submit(actor=cast.bob, change=change))
    assert "QA lead" in error.message_dict["status"][0]
    refused(lambda: services.change_control_submit(actor=cast.quinn, change=change))
    assert ChangeControl.objects.get(pk=change.pk).status == "draft"


def test_implemented_is_refused_before_an_approval(cast):
    change = submitted(cast)
    error = refused(lambda: implement(cast, change))
    assert "approval" in error.message_dict["status"][0]
    assert ChangeControl.objects.get(pk=change.pk).status == "awaiting_decision"
    assert ChangeControl.objects.get(pk=change.pk).implemented_on is None


def test_only_the_sponsors_qa_lead_signs_the_decision(cast):
    change = submitted(cast)
    for person in (cast.alice, cast.rita, cast.bob, cast.vera):
        refused(lambda person=person: decide(cast, change, "approved", actor=person),
                (PermissionDenied, ValidationError))
    assert ChangeControl.objects.get(pk=change.pk).status == "awaiting_decision"
    decide(cast, change, "approved")
    change = ChangeControl.objects.get(pk=change.pk)
    assert change.status == "approved" and change.decided_by == cast.quinn
    assert Notification.objects.filter(recipient=cast.rita, kind="change_control",
                                       title__contains="approved").exists()
    change = implement(cast, change)
    assert change.status == "implemented"
    refused(lambda: services.change_control_close(actor=cast.bob, change=change))
    assert services.change_control_close(actor=cast.rita, change=change).status == "closed"


def test_approval_with_conditions_needs_them_stated_first(cast):
    change = submitted(cast)
    refused(lambda: decide(cast, change, "approved_with_conditions"))
    refused(lambda: services.change_control_set_conditions(
        actor=cast.rita, change=change, decision_conditions="Mine"), PermissionDenied)
    services.change_control_set_conditions(actor=cast.quinn, change=change,
                                           decision_conditions="Three lots on stability.")
    decide(cast, ChangeControl.objects.get(pk=change.pk), "approved_with_conditions")
    change = ChangeControl.objects.get(pk=change.pk)
    assert change.status == "approved_with_conditions"
    assert change.decision_conditions == "Three lots on stability."


def test_a_rejected_change_is_final(cast):
    change = submitted(cast)
    decide(cast, change, "rejected")
    change = ChangeControl.objects.get(pk=change.pk)
    assert change.status == "rejected"
    refused(lambda: implement(cast, change))
    refused(lambda: services.change_control_withdraw(actor=cast.rita, change=change,
                                                     reason="Late"))


def test_notify_only_is_acknowledged_by_the_sponsors_qa_without_signature(cast):
    change = submitted(cast, category="equipment")
    assert change.status == "awaiting_acknowledgement"
    refused(lambda: decide(cast, change, "approved"))
    refused(lambda: services.change_control_acknowledge(actor=cast.rita, change=change))
    refused(lambda: services.change_control_acknowledge(actor=cast.alice, change=change))
    change = services.change_control_acknowledge(actor=cast.quinn, change=change)
    assert change.status == "acknowledged" and change.acknowledged_by == cast.quinn
    assert implement(cast, change).status == "implemented"


def test_the_cdmo_withdraws_before_a_decision_with_a_reason(cast):
    change = submitted(cast)
    refused(lambda: services.change_control_withdraw(actor=cast.rita, change=change,
                                                     reason=" "))
    refused(lambda: services.change_control_withdraw(actor=cast.quinn, change=change,
                                                     reason="Not mine"))
    change = services.change_control_withdraw(actor=cast.rita, change=change,
                                              reason="Supplier withdrew its offer.")
    assert change.status == "withdrawn"


def test_a_submitted_change_keeps_its_content(cast):
    change = submitted(cast)
    refused(lambda: services.change_control_update(actor=cast.bob, change=change,
                                                   title="Other"))
    draft = raise_change(cast, reference="CC-2026-050")
    assert services.change_control_update(actor=cast.bob, change=draft,
                                          title="Renamed").title == "Renamed"
    error = refused(lambda: raise_change(cast, reference="cc-2026-050"))
    assert "reference" in error.message_dict


# --- The reminder ----------------------------------------------------------------------------

def test_the_overdue_decision_reminder_runs_once(cast):
    ChangeControl.objects.all().delete()  # the world's own, overdue in every partnership
    change = submitted(cast)
    later = change.submitted_at + datetime.timedelta(days=45)
    assert services.change_decision_reminders_send(now=change.submitted_at) == 0
    assert services.change_decision_reminders_send(now=later) == 1
    assert services.change_decision_reminders_send(now=later) == 0
    assert Notification.objects.filter(recipient=cast.quinn,
                                       title__startswith="Decision overdue").count() == 1


# --- Pages -----------------------------------------------------------------------------------

def test_implemented_before_approval_is_refused_on_the_page(cast, login):
    change = submitted(cast)
    url = reverse("governance:changecontrol_step", args=[cast.acme_contoso.pk, change.pk,
                                                         "implement"])
    answer = login(cast.bob).post(url, {"implemented_on": "2026-03-02",
                                        "implementation_evidence": "Done."})
    assert answer.status_code == 200 and "approval" in answer.content.decode()
    assert ChangeControl.objects.get(pk=change.pk).status == "awaiting_decision"


def test_each_party_sees_its_buttons_and_the_dialogs_post(cast, login):
    change = raise_change(cast)
    page = login(cast.rita).get(change.get_absolute_url()).content.decode()
    assert "Submit to the sponsor" in page and "Edit the draft" in page
    assert "approval required" in page.lower()  # the class the agreement would give
    assert "Submit to the sponsor" not in login(cast.quinn).get(
        change.get_absolute_url()).content.decode()
    step = reverse("governance:changecontrol_step", args=[cast.acme_contoso.pk, change.pk,
                                                          "submit"])
    assert login(cast.rita).post(step, {}).status_code == 302
    page = login(cast.quinn).get(change.get_absolute_url()).content.decode()
    assert "Approve (sign)" in page and "Reject (sign)" in page
    sign_url = reverse("governance:changecontrol_sign", args=[cast.acme_contoso.pk, change.pk])
    assert login(cast.quinn).post(f"{sign_url}?event=approved", {
        "event": "approved", "meaning": "approval", "password": PASSWORD}).status_code == 302
    assert ChangeControl.objects.get(pk=change.pk).status == "approved"
    withdraw = reverse("governance:changecontrol_step", args=[cast.acme_contoso.pk,
                                                              change.pk, "withdraw"])
    assert login(cast.rita).post(withdraw, {"reason": "x", "confirm": "on"}).status_code == 200
    listed = login(cast.alice).get(reverse("governance:changecontrol_list",
                                           args=[cast.acme_contoso.pk]),
                                   {"status": "approved", "category": "supplier"})
    assert "CC-2026-041" in listed.content.decode()


def test_the_agreement_page_shows_its_change_terms(cast, login):
    page = login(cast.quinn).get(cast.agreement.get_absolute_url()).content.decode()
    assert "Raw-material supplier: <strong>sponsor approval required</strong>" in page
    assert "Equipment: <strong>notify only</strong>" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(cast, count, start):
    for n in range(start, start + count):
        submitted(cast, reference=f"CC-2026-{n:04}")


def test_pages_and_api_keep_their_number_of_queries_whatever_the_data(cast, login):
    client, rest = login(cast.quinn), api(cast.quinn)
    list_url = reverse("governance:changecontrol_list", args=[cast.acme_contoso.pk])
    change = ChangeControl.objects.get(partnership=cast.acme_contoso)
    _more(cast, 2, 0)
    _queries(rest, "/api/v1/change-controls/")  # the content types' cache, filled once
    small = (_queries(client, list_url), _queries(client, change.get_absolute_url()),
             _queries(rest, "/api/v1/change-controls/"))
    _more(cast, 10, 100)
    large = (_queries(client, list_url), _queries(client, change.get_absolute_url()),
             _queries(rest, "/api/v1/change-controls/"))
    assert large == small
    assert small == (7, 19, 3)  # list; detail with its decisions and History; API


# --- API -------------------------------------------------------------------------------------

def test_api_walks_the_change_and_refuses_implementing_before_approval(cast):
    body = {"partnership": cast.acme_contoso.pk, "reference": "CC-2026-077",
            "site": cast.boston.pk, "program": cast.acme_program.pk, "category": "process",
            "title": "Longer hold time for the clarified harvest",
            "description": "From 24 h to 48 h at 2–8 °C.", "rationale": "Scheduling.",
            "proposed_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    assert api(cast.alice).post("/api/v1/change-controls/", body,
                                format="json").status_code == 403
    created = api(cast.bob).post("/api/v1/change-controls/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = api(cast.bob).post("/api/v1/change-controls/", {**body, "program": None},
                             format="json")
    assert bad.status_code == 400 and "program" in bad.json()
    assert api(cast.rita).post(f"/api/v1/change-controls/{pk}/submit/").status_code == 200
    early = api(cast.bob).post(f"/api/v1/change-controls/{pk}/implement/", {
        "implemented_on": "2026-03-02", "implementation_evidence": "Done."}, format="json")
    assert early.status_code == 400 and "status" in early.json()
    assert api(cast.bob).post(f"/api/v1/change-controls/{pk}/implement/", {},
                              format="json").status_code == 400
    assert api(cast.rita).post(f"/api/v1/change-controls/{pk}/sign/", {
        "event": "approved", "meaning": "approval", "password": PASSWORD},
        format="json").status_code == 403
    detail = api(cast.quinn).get(f"/api/v1/change-controls/{pk}/").json()
    assert detail["decisions"] == ["approved", "rejected"]
    assert api(cast.quinn).post(f"/api/v1/change-controls/{pk}/sign/", {
        "event": "approved", "meaning": "approval", "password": "wrong"},
        format="json").status_code == 400
    assert api(cast.quinn).post(f"/api/v1/change-controls/{pk}/sign/", {
        "event": "approved", "meaning": "approval", "password": PASSWORD},
        format="json").status_code == 201
    done = api(cast.bob).post(f"/api/v1/change-controls/{pk}/implement/", {
        "implemented_on": "2026-03-02", "implementation_evidence": "Done."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "implemented"
    assert api(cast.rita).post(f"/api/v1/change-controls/{pk}/close/").json()["status"] == \
        "closed"
    assert api(cast.rita).post(f"/api/v1/change-controls/{pk}/withdraw/", {
        "reason": "Late"}, format="json").status_code == 400
