"""The quality agreement's matrix, deviations and CAPAs: who edits the matrix and when, its
gaps and overlaps; a deviation's notification clock against the agreement (in time, late,
running, overdue), its steps by the right party only and closure approved by the sponsor's
QA lead when the agreement says so; CAPAs from a finding or a deviation, verified only by
the sponsor's QA lead's signature; the overdue reminder once; the cockpit card; the API;
and the pages' SQL queries pinned."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Deviation, Finding, QualityAgreement
from governance.quality.agreement import services as agreements
from governance.quality.agreement.models import STANDARD_ACTIVITIES
from governance.quality.deviations import services
from partnership.models import Contract, Membership, Partnership, Site
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD, ContractFactory, MembershipFactory, UserFactory
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

NOW = timezone.now()


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso; Bob is a Contoso
    member, Alice Acme's lead, Vera a viewer. The world's quality agreement (on its contract
    in negotiation) is made executed and in force: 24 h / 3 d / 30 d, closure approved."""
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


def report(world, actor=None, **extra):
    fields = {"reference": "DEV-2400", "site": world.boston, "lot": "P-0411",
              "kind": "deviation", "classification": "major",
              "title": "Fill-weight excursion on line F2",
              "description": "Three consecutive checks above the upper action limit.",
              "detected_at": NOW - datetime.timedelta(days=1), **extra}
    return services.deviation_report(actor=actor or world.bob,
                                     partnership=world.acme_contoso, **fields)


def refused(call, error=ValidationError) -> Exception:
    with pytest.raises(error) as caught:
        call()
    return caught.value


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- The quality agreement's matrix ----------------------------------------------------------

def test_matrix_is_written_by_qa_leads_while_the_agreement_is_not_executed(cast):
    draft = ContractFactory(partnership=cast.acme_contoso, kind="amendment",
                            parent=cast.agreement.contract, reference="QA-AM-1",
                            status="negotiation")
    for person in (cast.alice, cast.bob, cast.vera):  # Acme and Contoso seat QA leads
        refused(lambda person=person: agreements.quality_agreement_create(
            actor=person, partnership=cast.acme_contoso, contract=draft), PermissionDenied)
    amended = agreements.quality_agreement_create(actor=cast.rita,
                                                  partnership=cast.acme_contoso,
                                                  contract=draft)
    # The amendment starts from the matrix in force, with its terms.
    assert [row.activity for row in amended.responsibilities.all()] == ["Batch release"]
    assert Notification.objects.filter(recipient=cast.quinn, kind="quality_agreement").exists()
    row = amended.responsibilities.get()
    amended = agreements.quality_agreement_update(
        actor=cast.quinn, agreement=amended, critical_notice_hours=12,
        cells={row.pk: ("responsible", "responsible")}, new_activity="Recalls")
    assert amended.critical_notice_hours == 12
    assert [(r.activity, r.is_gap, r.is_overlap) for r in amended.responsibilities.all()] == \
        [("Batch release", False, True), ("Recalls", True, False)]
    bad = refused(lambda: agreements.quality_agreement_update(
        actor=cast.quinn, agreement=amended, cells={row.pk: ("boss", "")}))
    assert f"sponsor_{row.pk}" in bad.message_dict
    # Executed: no more changes, whoever asks; a new agreement needs a contract in draft.
    refused(lambda: agreements.quality_agreement_update(
        actor=cast.quinn, agreement=cast.agreement, minor_notice_days=10))
    assert "contract" in refused(lambda: agreements.quality_agreement_create(
        actor=cast.quinn, partnership=cast.acme_contoso, contract=draft)).message_dict


def test_a_matrix_row_is_removed_by_page_and_api_and_a_foreign_row_changes_nothing(cast, login):
    """While the agreement is drafted a QA lead takes an activity out of the matrix (the
    page's tick box, the API's `remove`); a row of another agreement is a field error and
    nothing of the request is saved (a new row named beside it included)."""
    draft = ContractFactory(partnership=cast.acme_contoso, kind="amendment",
                            parent=cast.agreement.contract, reference="QA-AM-2",
                            status="negotiation")
    amended = agreements.quality_agreement_create(actor=cast.quinn,
                                                  partnership=cast.acme_contoso,
                                                  contract=draft)
    amended = agreements.quality_agreement_update(actor=cast.quinn, agreement=amended,
                                                  new_activity="Recalls")
    release, recalls = amended.responsibilities.all()
    foreign = cast.agreement.responsibilities.get()
    url = reverse("governance:qualityagreement_edit", args=[cast.acme_contoso.pk, amended.pk])
    body = {"critical_notice_hours": 24, "major_notice_days": 3, "minor_notice_days": 10,
            "change_decision_days": 30, f"remove_{recalls.pk}": "on"}
    body.update({name: "approval" for name in (
        "change_process", "change_equipment", "change_supplier", "change_site",
        "change_specification", "change_method")})
    response = login(cast.quinn).post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [row.activity for row in amended.responsibilities.all()] == ["Batch release"]
    path = f"/api/v1/quality-agreements/{amended.pk}/"
    bad = api(cast.quinn).patch(path, {"responsibilities": [
        {"activity": "Stability"}, {"id": foreign.pk, "remove": True}]}, format="json")
    assert bad.status_code == 400 and "responsibilities" in bad.json()
    assert [row.activity for row in amended.responsibilities.all()] == ["Batch release"]
    assert cast.agreement.responsibilities.filter(pk=foreign.pk).exists()
    # A cell changed, then a row that cannot be added: the cell keeps its value.
    before = amended.responsibilities.get().sponsor
    bad = api(cast.quinn).patch(path, {"responsibilities": [
        {"id": release.pk, "sponsor": "informed"}, {"activity": "Batch release"}]},
        format="json")
    assert bad.status_code == 400
    assert amended.responsibilities.get().sponsor == before != "informed"
    done = api(cast.quinn).patch(path, {"responsibilities": [
        {"id": release.pk, "remove": True}]}, format="json")
    assert done.status_code == 200 and done.json()["responsibilities"] == []


def test_a_new_quality_agreement_starts_with_the_standard_activities(world):
    """Acme–Labcorp has no agreement in force; Labcorp seats no QA lead, so Lena, its lead,
    writes the terms."""
    lena = world.acme_labcorp.memberships.get(user__organization=world.labcorp).user
    contract = ContractFactory(partnership=world.acme_labcorp, kind="quality_agreement",
                               reference="QA-LAB-1")
    QualityAgreement.objects.filter(partnership=world.acme_labcorp).delete()
    agreement = agreements.quality_agreement_create(actor=lena, partnership=world.acme_labcorp,
                                                    contract=contract)
    assert [row.activity for row in agreement.responsibilities.all()] == \
        list(STANDARD_ACTIVITIES)
    assert all(row.is_gap for row in agreement.responsibilities.all())
    msa = ContractFactory(partnership=world.acme_labcorp, kind="msa", reference="MSA-LAB")
    assert "contract" in refused(lambda: agreements.quality_agreement_create(
        actor=lena, partnership=world.acme_labcorp, contract=msa)).message_dict


def test_matrix_page_shows_both_sides_with_gaps_and_overlaps(cast, login):
    row = cast.agreement.responsibilities.get()
    row.sponsor = row.cdmo = "responsible"
    row.save()
    page = login(cast.bob).get(cast.agreement.get_absolute_url()).content.decode()
    assert "Overlap: both responsible" in page and "Edit the terms" not in page
    assert "24 hours of detection" in page
    listing = login(cast.bob).get(reverse("governance:qualityagreement_list",
                                          args=[cast.acme_contoso.pk])).content.decode()
    assert "1 with both responsible" in listing and "In force" in listing


def test_agreement_pages_keep_their_queries_whatever_the_matrix(cast, login):
    client = login(cast.quinn)
    url = reverse("governance:qualityagreement_list", args=[cast.acme_contoso.pk])
    detail = cast.agreement.get_absolute_url()
    small = (_queries(client, url), _queries(client, detail))
    for number in range(12):
        cast.agreement.responsibilities.create(partnership=cast.acme_contoso,
                                               activity=f"Activity {number}", sponsor="approves")
    large = (_queries(client, url), _queries(client, detail))
    assert large == small
    assert small == (9, 8)  # list; detail with its matrix and History


# --- Deviations -------------------------------------------------------------------------

def test_a_deviation_notified_at_once_is_in_time_and_the_sponsor_hears(cast):
    deviation = report(cast)
    assert deviation.notify_by == deviation.detected_at + datetime.timedelta(days=3)
    assert deviation.notified_in_time is True and not deviation.is_internal
    assert deviation.agreement == cast.agreement
    assert Notification.objects.filter(recipient=cast.quinn, kind="deviation").exists()
    # Critical: hours, not days. Told by telephone 30 hours after detection: late.
    detected = NOW - datetime.timedelta(days=2)
    late = report(cast, reference="DEV-2401", classification="critical", detected_at=detected,
                  sponsor_notified_at=detected + datetime.timedelta(hours=30))
    assert late.notify_by == detected + datetime.timedelta(hours=24)
    assert late.notified_in_time is False


def test_an_unnotified_deviation_is_the_cdmos_while_its_clock_runs(cast, login):
    deviation = report(cast, notify_sponsor=False, classification="critical")
    assert deviation.is_internal and deviation.sponsor_notified_at is None
    assert deviation.is_notice_overdue()  # detected a day ago, 24 hours allowed
    assert login(cast.quinn).get(deviation.get_absolute_url()).status_code == 404
    page = login(cast.rita).get(deviation.get_absolute_url()).content.decode()
    assert "Notification overdue" in page and "Notify the sponsor" in page
    refused(lambda: services.deviation_notify_sponsor(actor=cast.quinn, deviation=deviation),
            PermissionDenied)
    deviation = services.deviation_notify_sponsor(actor=cast.bob, deviation=deviation)
    assert not deviation.is_internal and deviation.notified_in_time is False
    page = login(cast.quinn).get(deviation.get_absolute_url()).content.decode()
    assert "Notified late" in page
    refused(lambda: services.deviation_notify_sponsor(actor=cast.bob, deviation=deviation))


def test_the_sponsor_reports_no_deviation(cast):
    refused(lambda: report(cast, actor=cast.quinn), PermissionDenied)
    assert "site" in refused(lambda: report(
        cast, site=Site.objects.get(name="Labcorp Milan"))).message_dict
    assert "sponsor_notified_at" in refused(lambda: report(
        cast, sponsor_notified_at=NOW - datetime.timedelta(days=5))).message_dict


def test_closure_is_approved_by_the_sponsors_qa_lead_when_the_agreement_says_so(cast):
    deviation = services.deviation_investigate(actor=cast.bob, deviation=report(cast))
    refused(lambda: services.deviation_request_closure(actor=cast.rita, deviation=deviation))
    deviation = services.deviation_investigation_write(
        actor=cast.bob, deviation=deviation, investigation="Load cell drift on F2.",
        root_cause="Calibration interval too long.", product_impact="None: lots within spec.")
    assert "close" not in deviation.steps_for(cast.rita)
    refused(lambda: services.deviation_close(actor=cast.rita, deviation=deviation))
    refused(lambda: services.deviation_request_closure(actor=cast.bob, deviation=deviation))
    deviation = services.deviation_request_closure(actor=cast.rita, deviation=deviation)
    refused(lambda: services.deviation_approve_closure(actor=cast.alice, deviation=deviation))
    back = services.deviation_send_back(actor=cast.quinn, deviation=deviation,
                                        review_note="Which lots were weighed again?")
    assert back.status == "investigating"
    assert Notification.objects.filter(recipient=cast.rita, kind="deviation").exists()
    deviation = services.deviation_request_closure(actor=cast.rita, deviation=back)
    closed = services.deviation_approve_closure(actor=cast.quinn, deviation=deviation)
    assert closed.status == "closed" and closed.closed_by == cast.quinn
    # Where the agreement lets the CDMO close, it closes without asking.
    QualityAgreement.objects.filter(pk=cast.agreement.pk).update(
        closure_needs_sponsor_approval=False)
    other = services.deviation_investigation_write(
        actor=cast.bob, deviation=report(cast, reference="DEV-2402"), investigation="Seen",
        root_cause="Cause", product_impact="None")
    other = services.deviation_investigate(actor=cast.bob, deviation=other)
    assert list(other.steps_for(cast.rita)) == ["close"]
    assert services.deviation_close(actor=cast.rita, deviation=other).status == "closed"


def test_deviation_pages_filter_and_keep_their_queries(cast, login):
    client = login(cast.quinn)
    url = reverse("governance:deviation_list", args=[cast.acme_contoso.pk])
    report(cast)
    small = (_queries(client, url), _queries(client, Deviation.objects.filter(
        partnership=cast.acme_contoso).first().get_absolute_url()))
    for number in range(10):
        report(cast, reference=f"DEV-9{number}", classification="minor")
    large = (_queries(client, url), _queries(client, Deviation.objects.filter(
        partnership=cast.acme_contoso).first().get_absolute_url()))
    assert large == small
    assert small == (8, 7)  # list (and its lots to filter by); detail, CAPAs, History
    page = client.get(f"{url}?classification=major").content.decode()
    assert "DEV-2400" in page and "DEV-90" not in page
    assert "DEV-2400" not in client.get(f"{url}?late=true").content.decode()
    # Its yes/no filter offers "Any" when unset, not django-filter's "Unknown".
    assert '<option value="" selected>Any</option>' in page and ">Unknown<" not in page
    assert ">Unknown<" not in client.get(
        reverse("governance:capa_list", args=[cast.acme_contoso.pk])).content.decode()


# --- CAPAs ------------------------------------------------------------------------------

def capa(world, actor=None, **extra):
    fields = {"title": "Calibrate the F2 load cells monthly",
              "root_cause": "Calibration interval too long for the load cells' drift.",
              "action_plan": "Monthly calibration; SOP-EN-044 revised; trend reviewed.",
              "owner": world.rita, "due_date": datetime.date.today() + datetime.timedelta(30),
              **extra}
    if "finding" not in fields and "deviation" not in fields:
        fields["deviation"] = report(world)
    return services.capa_create(actor=actor or world.rita, partnership=world.acme_contoso,
                                **fields)


def test_capa_effectiveness_is_verified_only_by_the_sponsors_qa_lead(cast, login):
    record = capa(cast)
    assert record.number == 2 and str(record).startswith("CAPA-0002")  # the world has one
    refused(lambda: services.capa_start(actor=cast.quinn, capa=record))  # not the owner's
    record = services.capa_start(actor=cast.rita, capa=record)
    assert record.status == "in_progress"
    assert "effectiveness_evidence" in refused(lambda: services.capa_implement(
        actor=cast.rita, capa=record, effectiveness_evidence=" ")).message_dict
    record = services.capa_implement(actor=cast.rita, capa=record,
                                     effectiveness_evidence="No excursion in 3 months.")
    assert Notification.objects.filter(recipient=cast.quinn, kind="capa").exists()
    for person in (cast.rita, cast.alice):
        refused(lambda person=person: sign(actor=person, record=record,
                                           event="effectiveness_verified",
                                           meaning="approval", password=PASSWORD),
                PermissionDenied)
    sign(actor=cast.quinn, record=record, event="effectiveness_verified", meaning="approval",
         password=PASSWORD)
    record.refresh_from_db()
    assert record.status == "verified" and record.verified_at is not None
    page = login(cast.rita).get(record.get_absolute_url()).content.decode()
    assert "Effectiveness verified" in page and "Quinn" in page


def test_a_capa_answers_one_finding_or_one_deviation(cast):
    finding = Finding.objects.get(partnership=cast.acme_contoso)
    assert capa(cast, finding=finding).finding == finding
    error = refused(lambda: capa(cast, finding=finding, deviation=report(
        cast, reference="DEV-77")))
    assert "deviation" in error.message_dict
    unnotified = report(cast, reference="DEV-78", notify_sponsor=False)
    refused(lambda: capa(cast, deviation=unnotified))  # the sponsor cannot see it


def test_overdue_capas_are_told_once_and_counted_on_the_home(cast, login):
    record = capa(cast, due_date=datetime.date.today() - datetime.timedelta(days=2))
    assert services.capa_overdue_reminders_send() >= 1
    assert services.capa_overdue_reminders_send() == 0
    assert Notification.objects.filter(recipient=cast.quinn, kind="capa",
                                       title__startswith="CAPA overdue").count() >= 1
    home = login(cast.alice).get(reverse("partnership:partnership_detail",
                                         args=[cast.acme_contoso.pk])).content.decode()
    assert "CAPA" in home and "overdue" in home
    listing = login(cast.alice).get(reverse("governance:capa_list",
                                            args=[cast.acme_contoso.pk]) + "?overdue=true")
    assert record.title in listing.content.decode()


def test_overdue_capas_escalate_along_the_partnerships_path_once(cast, login):
    from governance.escalation.services import escalations_advance
    from governance.models import CapaEscalation

    record = capa(cast, due_date=datetime.date.today() - datetime.timedelta(days=3))
    escalations_advance(partnerships=Partnership.objects.filter(pk=cast.acme_contoso.pk))
    escalations_advance(partnerships=Partnership.objects.filter(pk=cast.acme_contoso.pk))
    assert list(CapaEscalation.objects.filter(capa=record).values_list("level", flat=True)) \
        == [1]
    assert Notification.objects.filter(recipient=cast.alice, kind="escalated",
                                       url=record.get_absolute_url()).exists()
    assert "Escalation" in login(cast.bob).get(record.get_absolute_url()).content.decode()


def test_capa_pages_keep_their_queries(cast, login):
    client = login(cast.quinn)
    url = reverse("governance:capa_list", args=[cast.acme_contoso.pk])
    record = capa(cast)
    small = (_queries(client, url), _queries(client, record.get_absolute_url()))
    finding = Finding.objects.get(partnership=cast.acme_contoso)
    for _ in range(10):
        capa(cast, finding=finding)
    large = (_queries(client, url), _queries(client, record.get_absolute_url()))
    assert large == small
    assert small == (6, 11)  # list; detail with its escalation, signatures and History


# --- API --------------------------------------------------------------------------------

def test_api_reports_steps_and_verifies(cast):
    body = {"partnership": cast.acme_contoso.pk, "reference": "DEV-500", "site": cast.boston.pk,
            "kind": "oos", "classification": "critical", "title": "Assay OOS, lot 7",
            "description": "Potency 71 % against 80–125 %.",
            "detected_at": (NOW - datetime.timedelta(hours=2)).isoformat()}
    assert api(cast.quinn).post("/api/v1/deviations/", body, format="json").status_code == 403
    created = api(cast.bob).post("/api/v1/deviations/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["notified_in_time"] is True
    pk = created.json()["id"]
    assert api(cast.quinn).post(f"/api/v1/deviations/{pk}/investigate/").status_code == 400
    assert api(cast.bob).post(f"/api/v1/deviations/{pk}/investigate/").json()["status"] == \
        "investigating"
    made = api(cast.rita).post("/api/v1/capas/", {
        "partnership": cast.acme_contoso.pk, "deviation": pk, "title": "Re-qualify HPLC 4",
        "root_cause": "Column degraded", "action_plan": "Replace; add system suitability.",
        "owner": cast.rita.pk, "due_date": "2027-01-31"}, format="json")
    assert made.status_code == 201, made.json()
    capa_pk = made.json()["id"]
    api(cast.rita).post(f"/api/v1/capas/{capa_pk}/start/")
    done = api(cast.rita).post(f"/api/v1/capas/{capa_pk}/implement/",
                               {"effectiveness_evidence": "Suitability passed 20 runs."},
                               format="json")
    assert done.json()["status"] == "implemented"
    assert api(cast.rita).post(f"/api/v1/capas/{capa_pk}/sign/", {
        "meaning": "approval", "password": PASSWORD}, format="json").status_code == 403
    assert api(cast.quinn).post(f"/api/v1/capas/{capa_pk}/sign/", {
        "meaning": "approval", "password": PASSWORD}, format="json").status_code == 201
    assert api(cast.bob).get(f"/api/v1/capas/{capa_pk}/").json()["status"] == "verified"
    agreement = api(cast.bob).get(f"/api/v1/quality-agreements/{cast.agreement.pk}/").json()
    assert agreement["responsibilities"][0]["activity"] == "Batch release"


def test_api_lists_keep_their_number_of_queries(cast):
    client = api(cast.quinn)
    capa(cast)
    urls = ("/api/v1/deviations/", "/api/v1/capas/", "/api/v1/quality-agreements/")
    client.get(urls[1])  # the content types' cache, filled once
    small = [_queries(client, url) for url in urls]
    finding = Finding.objects.get(partnership=cast.acme_contoso)
    for number in range(8):
        capa(cast, finding=finding, deviation=None) if number % 2 else \
            report(cast, reference=f"DEV-6{number}")
    large = [_queries(client, url) for url in urls]
    assert large == small
