"""The audit programme: each step of an audit and of its findings by the right party only,
bad input refused with field errors and nothing saved, the pages (filters, sorting, empty
state, buttons, dialogs) and the API, with their SQL queries pinned."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Audit, Finding
from governance.quality import services
from partnership.models import Membership, Site
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.partnership.test_api import api

START = datetime.date(2027, 5, 10)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso (Alice, Acme's
    lead, audits; Bob, a Contoso member, hosts)."""
    world.quinn = UserFactory(email="quinn@acme.test", first_name="Quinn",
                              last_name="Acmeson", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", first_name="Rita",
                             last_name="Contososon", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.quinn,
                      role=Membership.Role.QA_LEAD)
    MembershipFactory(partnership=world.acme_contoso, user=world.rita,
                      role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    return world


def plan(world, actor=None, **extra):
    fields = {"site": world.boston, "kind": "routine", "scope": "Aseptic filling line 2",
              "planned_start": START, "planned_end": START + datetime.timedelta(days=2),
              "lead_auditor": world.alice, "host": world.bob, **extra}
    return services.audit_plan(actor=actor or world.quinn, partnership=world.acme_contoso,
                               **fields)


def refused(call, error=ValidationError) -> Exception:
    with pytest.raises(error) as caught:
        call()
    return caught.value


# --- Services --------------------------------------------------------------------------

def test_qa_leads_plan_audits_and_the_other_partys_qa_leads_hear_of_it(cast):
    audit = plan(cast)
    assert audit.status == "planned" and audit.author_organization == cast.acme
    assert Notification.objects.filter(recipient=cast.rita, kind="audit_planned").exists()
    assert Notification.objects.filter(recipient=cast.bob, kind="audit_planned").exists()
    # Rita, the CDMO's QA lead, may plan one too; a lead, a member or a viewer may not.
    plan(cast, actor=cast.rita, scope="Warehouse")
    for person in (cast.alice, cast.bob, cast.vera):
        refused(lambda person=person: plan(cast, actor=person, scope="Not mine"),
                PermissionDenied)
    assert not Audit.objects.filter(scope="Not mine").exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"planned_end": START - datetime.timedelta(days=1)}, "planned_end"),
    ({"lead_auditor": "bob"}, "lead_auditor"),
    ({"host": "alice"}, "host"),
    ({"host": "carol"}, "host"),  # Contoso, but seated only with Globex
    ({"team": ["bob"]}, "team"),
    ({"kind": "picnic"}, "kind"),
])
def test_bad_plans_are_field_errors_and_save_nothing(cast, fields, field):
    fields = {name: ([getattr(cast, p) for p in value] if isinstance(value, list) else
                     getattr(cast, value) if name in ("lead_auditor", "host") else value)
              for name, value in fields.items()}
    before = Audit.objects.count()
    error = refused(lambda: plan(cast, **fields))
    assert field in error.message_dict
    assert Audit.objects.count() == before


def test_only_a_site_of_the_partnerships_cdmo_is_audited(cast):
    for site in (Site.objects.get(name="Acme Basel"), Site.objects.get(name="Labcorp Milan")):
        assert "site" in refused(lambda site=site: plan(cast, site=site)).message_dict


def test_the_audit_journey_each_step_by_its_party_only(cast):
    audit = plan(cast)
    # Confirm: the CDMO's QA lead only (not the host, not the sponsor).
    for person in (cast.bob, cast.alice, cast.quinn):
        refused(lambda person=person: services.audit_confirm(actor=person, audit=audit))
    refused(lambda: services.audit_confirm(actor=cast.vera, audit=audit), PermissionDenied)
    audit = services.audit_confirm(actor=cast.rita, audit=audit)
    assert audit.status == "confirmed" and audit.confirmed_by == cast.rita
    refused(lambda: services.audit_confirm(actor=cast.rita, audit=audit))  # not twice
    # Start: the audit team.
    refused(lambda: services.audit_start(actor=cast.rita, audit=audit))
    refused(lambda: services.audit_start(actor=cast.quinn, audit=audit))  # not on the team
    audit = services.audit_start(actor=cast.alice, audit=audit)
    assert audit.status == "in_progress"
    # Findings: raised by the team while it runs, answered only once the report is out.
    refused(lambda: services.finding_raise(actor=cast.rita, audit=audit, classification="minor",
                                           title="x", requirement="x", evidence="x",
                                           response_due=START), PermissionDenied)
    major = services.finding_raise(
        actor=cast.alice, audit=audit, classification="major",
        title="Gowning qualification lapsed", requirement="EU GMP Annex 1 §7.3",
        evidence="Two operators' requalification was 4 months overdue.",
        response_due=START + datetime.timedelta(days=30))
    observation = services.finding_raise(
        actor=cast.alice, audit=audit, classification="observation", title="Labels",
        requirement="SOP-QA-012", evidence="Handwritten status labels in the corridor.")
    assert (major.number, observation.number) == (1, 2)
    assert Notification.objects.filter(recipient=cast.rita, kind="finding_raised").exists()
    refused(lambda: services.finding_respond(actor=cast.rita, finding=major, response="Done"))
    # The report: its summary and signature are the lead auditor's alone.
    refused(lambda: services.audit_report_write(actor=cast.quinn, audit=audit,
                                                report_summary="Fine"), PermissionDenied)
    refused(lambda: sign(actor=cast.alice, record=audit, event="report_issued",
                         meaning="approval", password=PASSWORD))  # no summary yet
    services.audit_report_write(actor=cast.alice, audit=audit,
                                report_summary="Acceptable with one major finding.")
    refused(lambda: sign(actor=cast.quinn, record=audit, event="report_issued",
                         meaning="approval", password=PASSWORD), PermissionDenied)
    refused(lambda: sign(actor=cast.rita, record=audit, event="report_issued",
                         meaning="approval", password=PASSWORD), PermissionDenied)
    sign(actor=cast.alice, record=audit, event="report_issued", meaning="approval",
         password=PASSWORD)
    audit.refresh_from_db()
    assert audit.status == "report_issued" and audit.report_issued_at is not None
    refused(lambda: services.finding_update(actor=cast.alice, finding=major, title="Later"))
    # Responses: the CDMO's QA lead or the host, every finding but observations first.
    refused(lambda: services.audit_submit_responses(actor=cast.rita, audit=audit))
    refused(lambda: services.finding_respond(actor=cast.alice, finding=major, response="x"))
    refused(lambda: services.finding_respond(actor=cast.bob, finding=major, response=" "))
    major = services.finding_respond(actor=cast.bob, finding=major,
                                     response="Both requalified on 12 May; CAPA-0412.")
    refused(lambda: services.audit_submit_responses(actor=cast.alice, audit=audit))
    audit = services.audit_submit_responses(actor=cast.rita, audit=audit)
    assert audit.status == "responses_received"
    # Review: the lead auditor or the sponsor's QA lead; sending back needs a reason.
    refused(lambda: services.finding_accept(actor=cast.rita, finding=major))
    refused(lambda: services.finding_send_back(actor=cast.quinn, finding=major,
                                               review_note=""))
    major = services.finding_send_back(actor=cast.quinn, finding=major,
                                       review_note="No root cause for the lapse.")
    assert major.status == "sent_back"
    refused(lambda: services.audit_close(actor=cast.quinn, audit=audit))  # not accepted yet
    major = services.finding_respond(actor=cast.rita, finding=major,
                                     response="Root cause: the training matrix missed "
                                              "night shift. CAPA-0412 extended.")
    major = services.finding_accept(actor=cast.alice, finding=major)
    refused(lambda: services.audit_close(actor=cast.bob, audit=audit))
    audit = services.audit_close(actor=cast.quinn, audit=audit)
    assert audit.status == "closed" and audit.closed_at is not None
    refused(lambda: services.finding_respond(actor=cast.rita, finding=observation,
                                             response="Late"))


def test_rescheduling_a_confirmed_audit_asks_the_cdmo_to_confirm_again(cast):
    audit = services.audit_confirm(actor=cast.rita, audit=plan(cast))
    audit = services.audit_update(actor=cast.quinn, audit=audit, agenda="Day 1: tour")
    assert audit.status == "confirmed"
    audit = services.audit_update(actor=cast.quinn, audit=audit,
                                  planned_start=START + datetime.timedelta(days=7),
                                  planned_end=START + datetime.timedelta(days=8))
    assert audit.status == "planned" and audit.confirmed_at is None
    assert Notification.objects.filter(recipient=cast.rita, title__startswith=(
        "Audit rescheduled")).exists()
    refused(lambda: services.audit_update(actor=cast.alice, audit=audit, agenda="x"),
            PermissionDenied)
    services.audit_confirm(actor=cast.rita, audit=audit)
    audit = services.audit_start(actor=cast.alice, audit=audit)
    refused(lambda: services.audit_update(actor=cast.quinn, audit=audit, agenda="Too late"))


def test_findings_need_a_due_date_but_observations(cast):
    audit = Audit.objects.get(partnership=cast.acme_contoso)  # the world's, in progress
    before = Finding.objects.count()
    error = refused(lambda: services.finding_raise(
        actor=cast.alice, audit=audit, classification="critical", title="Sterility",
        requirement="21 CFR 211.113(b)", evidence="Media fill failed", response_due=None))
    assert "response_due" in error.message_dict and Finding.objects.count() == before
    assert "classification" in refused(lambda: services.finding_raise(
        actor=cast.alice, audit=audit, classification="grave", title="x", requirement="x",
        evidence="x", response_due=START)).message_dict


# --- Pages -----------------------------------------------------------------------------

def test_list_filters_sorts_and_says_what_to_do_when_empty(cast, login):
    plan(cast, kind="for_cause", scope="Sterility failure of lot H-7")
    client = login(cast.quinn)
    url = reverse("governance:audit_list", args=[cast.acme_contoso.pk])
    page = client.get(url).content.decode()
    assert "Plan an audit" in page and "Contoso Boston" in page
    assert client.get(url, {"kind": "for_cause"}).context["object_list"].count() == 1
    assert client.get(url, {"status": "closed"}).context["object_list"].count() == 0
    assert "No audit matches" in client.get(url, {"status": "closed"}).content.decode()
    assert client.get(url, {"site": cast.boston.pk}).context["object_list"].count() == 2
    for ordering in ("start", "-start", "type", "status", "site", "-site"):
        assert client.get(url, {"ordering": ordering}).status_code == 200
    Audit.objects.filter(partnership=cast.acme_contoso).delete()
    assert "The QA leads of either party plan them" in login(cast.bob).get(url).content.decode()
    assert "“Plan an audit”" in client.get(url).content.decode()


def test_detail_shows_each_person_only_their_steps(cast, login):
    audit = plan(cast)
    url = audit.get_absolute_url()
    confirm = reverse("governance:audit_step", args=[cast.acme_contoso.pk, audit.pk, "confirm"])
    assert confirm in login(cast.rita).get(url).content.decode()
    for person in (cast.alice, cast.bob, cast.vera):
        assert confirm not in login(person).get(url).content.decode()
    page = login(cast.quinn).get(url).content.decode()
    assert "Edit the plan" in page and 'id="history"' in page or "History" in page
    # A step posted by the wrong party is refused on the form, and changes nothing.
    response = login(cast.bob).post(confirm)
    assert response.status_code == 200 and "Only the CDMO" in response.content.decode()
    assert Audit.objects.get(pk=audit.pk).status == "planned"
    response = login(cast.rita).post(confirm, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == url
    assert Audit.objects.get(pk=audit.pk).status == "confirmed"


def test_create_dialog_reports_field_errors_and_saves_nothing(cast, login):
    client = login(cast.quinn)
    url = reverse("governance:audit_create", args=[cast.acme_contoso.pk])
    dialog = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in dialog.content and b"Plan the audit" in dialog.content
    before = Audit.objects.count()
    response = client.post(url, {"site": cast.boston.pk, "kind": "routine", "scope": "QC lab",
                                 "planned_start": "2027-05-10", "planned_end": "2027-05-01",
                                 "lead_auditor": cast.alice.pk})
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert Audit.objects.count() == before
    response = client.post(url, {"site": cast.boston.pk, "kind": "routine", "scope": "QC lab",
                                 "planned_start": "2027-05-10", "planned_end": "2027-05-11",
                                 "lead_auditor": cast.alice.pk, "host": cast.bob.pk})
    assert response.status_code == 302 and Audit.objects.count() == before + 1
    assert login(cast.alice).get(url).status_code == 403  # a lead, not a QA lead


def test_findings_dialogs_and_the_report_signature_on_the_page(cast, login):
    audit = Audit.objects.get(partnership=cast.acme_contoso)
    client = login(cast.alice)
    raise_url = reverse("governance:finding_create", args=[cast.acme_contoso.pk, audit.pk])
    response = client.post(raise_url, {"classification": "minor", "title": "Logbook gaps",
                                       "requirement": "EU GMP Chapter 4.31",
                                       "evidence": "Entries missing on 3 and 4 May.",
                                       "response_due": "2027-06-01"})
    assert response.status_code == 302
    assert login(cast.bob).get(raise_url).status_code == 403
    # Before the report, the finding's own page says why the CDMO has no button yet.
    raised = audit.findings.order_by("-number").first()
    page = login(cast.bob).get(raised.get_absolute_url()).content.decode()
    assert "responds to this finding once the audit report is issued" in page
    assert ">Respond to the finding<" not in page
    report_url = reverse("governance:audit_report", args=[cast.acme_contoso.pk, audit.pk])
    assert client.post(report_url, {"report_summary": "Satisfactory."}).status_code == 302
    sign_url = reverse("governance:audit_sign", args=[cast.acme_contoso.pk, audit.pk])
    assert sign_url in client.get(audit.get_absolute_url()).content.decode()
    response = client.post(sign_url, {"event": "report_issued", "meaning": "approval",
                                      "password": PASSWORD})
    assert response.status_code == 302
    assert Audit.objects.get(pk=audit.pk).status == "report_issued"
    finding = audit.findings.get(number=2)
    respond = reverse("governance:finding_step",
                      args=[cast.acme_contoso.pk, audit.pk, finding.pk, "respond"])
    assert respond in login(cast.bob).get(audit.get_absolute_url()).content.decode()
    page = login(cast.bob).get(finding.get_absolute_url()).content.decode()
    assert respond in page and "once the audit report is issued" not in page
    response = login(cast.bob).post(respond, {"response": ""})
    assert response.status_code == 200 and Finding.objects.get(pk=finding.pk).status == "open"
    assert login(cast.bob).post(respond, {"response": "Logbook reviewed."}).status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == "responded"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_audits(cast, count):
    for n in range(count):
        audit = plan(cast, scope=f"Area {n}", team=[cast.quinn])
        Audit.objects.filter(pk=audit.pk).update(status="in_progress")
        for number in (1, 2):
            Finding.objects.create(
                partnership=cast.acme_contoso, audit=audit, number=number,
                classification="minor", title=f"F{n}.{number}", requirement="SOP",
                evidence="Seen", response_due=START, raised_by=cast.alice)


def test_pages_keep_their_number_of_queries_whatever_the_data(cast, login):
    client = login(cast.quinn)
    list_url = reverse("governance:audit_list", args=[cast.acme_contoso.pk])
    audit = Audit.objects.get(partnership=cast.acme_contoso)
    _more_audits(cast, 2)
    small = (_queries(client, list_url), _queries(client, audit.get_absolute_url()))
    _more_audits(cast, 10)
    for number in range(2, 12):
        Finding.objects.create(partnership=cast.acme_contoso, audit=audit, number=number,
                               classification="minor", title=f"More {number}",
                               requirement="SOP", evidence="Seen", response_due=START,
                               raised_by=cast.alice)
    large = (_queries(client, list_url), _queries(client, audit.get_absolute_url()))
    assert large == small
    assert small == (8, 10)  # list; detail with its findings, signatures and History


# --- API -------------------------------------------------------------------------------

def test_api_plans_steps_and_refuses_the_wrong_party(cast):
    client = api(cast.quinn)
    body = {"partnership": cast.acme_contoso.pk, "site": cast.boston.pk, "kind": "remote",
            "scope": "Desk review of the batch records", "planned_start": "2027-05-10",
            "planned_end": "2027-05-10", "lead_auditor": cast.alice.pk, "host": cast.bob.pk,
            "team": [cast.quinn.pk]}
    before = Audit.objects.count()
    bad = client.post("/api/v1/audits/", {**body, "planned_end": "2027-05-01"}, format="json")
    assert bad.status_code == 400 and "planned_end" in bad.json()
    bad = client.post("/api/v1/audits/", {**body, "lead_auditor": cast.bob.pk}, format="json")
    assert bad.status_code == 400 and "lead_auditor" in bad.json()
    assert Audit.objects.count() == before
    created = client.post("/api/v1/audits/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api(cast.alice).post("/api/v1/audits/", body, format="json").status_code == 403
    assert api(cast.bob).post(f"/api/v1/audits/{pk}/confirm/").status_code == 400
    assert api(cast.vera).post(f"/api/v1/audits/{pk}/confirm/").status_code == 403
    confirmed = api(cast.rita).post(f"/api/v1/audits/{pk}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert api(cast.alice).get(f"/api/v1/audits/{pk}/").json()["steps"] == ["start"]
    assert api(cast.alice).post(f"/api/v1/audits/{pk}/start/").json()["status"] == \
        "in_progress"
    finding = api(cast.quinn).post("/api/v1/findings/", {
        "audit": pk, "classification": "critical", "title": "Data integrity",
        "requirement": "21 CFR 211.68", "evidence": "Shared log-ins on the HPLC.",
        "response_due": "2027-05-25"}, format="json")
    assert finding.status_code == 201 and finding.json()["number"] == 1
    assert api(cast.bob).post("/api/v1/findings/", {
        "audit": pk, "classification": "minor", "title": "x", "requirement": "x",
        "evidence": "x", "response_due": "2027-05-25"}, format="json").status_code == 403
    report = api(cast.alice).post(f"/api/v1/audits/{pk}/report/", {"report_summary": ""},
                                  format="json")
    assert report.status_code == 400 and "report_summary" in report.json()
    api(cast.alice).post(f"/api/v1/audits/{pk}/report/", {"report_summary": "Unacceptable."},
                         format="json")
    signed = api(cast.alice).post(f"/api/v1/audits/{pk}/sign/",
                                  {"meaning": "approval", "password": PASSWORD}, format="json")
    assert signed.status_code == 201
    finding_pk = finding.json()["id"]
    assert api(cast.quinn).post(f"/api/v1/findings/{finding_pk}/respond/",
                                {"response": "x"}, format="json").status_code == 400
    responded = api(cast.rita).post(f"/api/v1/findings/{finding_pk}/respond/",
                                    {"response": "Individual accounts since 20 May."},
                                    format="json")
    assert responded.status_code == 200 and responded.json()["status"] == "responded"
    back = api(cast.quinn).post(f"/api/v1/findings/{finding_pk}/send-back/", {},
                                format="json")
    assert back.status_code == 400 and "review_note" in back.json()


def test_api_lists_keep_their_number_of_queries(cast):
    client = api(cast.quinn)
    _more_audits(cast, 2)
    _queries(client, "/api/v1/audits/")  # the content types' cache, filled once
    small = (_queries(client, "/api/v1/audits/"), _queries(client, "/api/v1/findings/"))
    _more_audits(cast, 10)
    large = (_queries(client, "/api/v1/audits/"), _queries(client, "/api/v1/findings/"))
    assert large == small
    assert small == (5, 2)


def test_where_the_cdmo_has_no_qa_lead_its_lead_confirms(world):
    """Acme–Labcorp: Labcorp seats only Lena, its lead."""
    lena = world.acme_labcorp.memberships.get(user__organization=world.labcorp).user
    quinn = UserFactory(email="quinn@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_labcorp, user=quinn, role=Membership.Role.QA_LEAD)
    audit = services.audit_plan(
        actor=quinn, partnership=world.acme_labcorp, site=Site.objects.get(name="Labcorp Milan"),
        kind="qualification", scope="Stability chambers", planned_start=START,
        planned_end=START, lead_auditor=world.alice)
    assert services.audit_confirm(actor=lena, audit=audit).status == "confirmed"


def test_planning_schedules_the_opening_and_closing_meetings_in_the_sites_zone(cast):
    zone = zoneinfo.ZoneInfo("America/New_York")  # Contoso Boston, open 08:00–17:00
    audit = plan(cast, team=[cast.quinn])
    opening, closing = audit.opening_meeting, audit.closing_meeting
    assert (opening.kind, closing.kind) == ("audit_opening", "audit_closing")
    assert opening.starts_at.astimezone(zone) == datetime.datetime.combine(
        START, datetime.time(8, 0), tzinfo=zone)
    assert closing.starts_at.astimezone(zone) == datetime.datetime.combine(
        START + datetime.timedelta(days=2), datetime.time(16, 0), tzinfo=zone)
    assert set(opening.attendees.all()) == {cast.alice, cast.quinn, cast.bob}
    later = START + datetime.timedelta(days=7)
    services.audit_update(actor=cast.quinn, audit=audit, planned_start=later,
                          planned_end=later)
    opening.refresh_from_db()
    closing.refresh_from_db()
    assert opening.starts_at.astimezone(zone).date() == later == \
        closing.starts_at.astimezone(zone).date()
    assert plan(cast, with_meetings=False, scope="Desk").opening_meeting is None
