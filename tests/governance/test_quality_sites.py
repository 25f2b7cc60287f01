"""Sites as the sponsor's QA sees them and the audit programme's later parts: the site's
status moved by the sponsor's QA lead only, inspections by either party, subcontractors
declared by the CDMO and permitted by the sponsor's QA lead; the re-audit due date from the
last closed audit and the partnership's interval; cancel and postpone with a reason; the
working-hours warning; the calendar and its .ics; the overdue-response reminder run twice;
the pages' and API lists' queries pinned."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.meetings.models import Meeting
from governance.models import (
    Audit,
    Finding,
    FindingResponseReminder,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from governance.quality import services as audit_services
from governance.quality.sites import selectors as site_selectors
from governance.quality.sites import services as site_services
from governance.quality.sites.models import add_months
from partnership.models import Membership, Site
from partnership.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.governance.test_quality import START, plan
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso (as in
    test_quality)."""
    world.quinn = UserFactory(email="quinn@acme.test", first_name="Quinn",
                              last_name="Acmeson", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", first_name="Rita",
                             last_name="Contososon", organization=world.contoso)
    for person in (world.quinn, world.rita):
        MembershipFactory(partnership=world.acme_contoso, user=person,
                          role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    return world


def refused(call, error=ValidationError) -> Exception:
    with pytest.raises(error) as caught:
        call()
    return caught.value


def qualification_of(world) -> SiteQualification:
    """The world's qualification of Contoso Boston in Acme–Contoso (under qualification)."""
    return SiteQualification.objects.get(partnership=world.acme_contoso, site=world.boston)


# --- Qualification ---------------------------------------------------------------------

def test_only_the_sponsors_qa_lead_moves_a_sites_qualification(cast):
    qualification = qualification_of(cast)
    for person in (cast.rita, cast.bob, cast.alice, cast.vera):  # Acme seats Quinn as QA lead
        refused(lambda person=person: site_services.site_qualification_transition(
            actor=person, qualification=qualification, status="approved",
            approved_activities=["drug_substance"]), PermissionDenied)
    error = refused(lambda: site_services.site_qualification_transition(
        actor=cast.quinn, qualification=qualification, status="approved"))
    assert "approved_activities" in error.message_dict
    error = refused(lambda: site_services.site_qualification_transition(
        actor=cast.quinn, qualification=qualification, status="approved_with_conditions",
        approved_activities=["drug_substance"]))
    assert "conditions" in error.message_dict
    qualification = site_services.site_qualification_transition(
        actor=cast.quinn, qualification=qualification, status="approved",
        approved_activities=["drug_substance", "release_testing"])
    assert qualification.status == "approved" and qualification.status_changed_by == cast.quinn
    assert Notification.objects.filter(recipient=cast.rita, kind="site_qualification").exists()
    refused(lambda: site_services.site_qualification_transition(  # not a step from approved
        actor=cast.quinn, qualification=qualification, status="not_assessed"))


def test_where_the_sponsor_seats_no_qa_lead_its_lead_acts(world):
    """Acme–Labcorp seats no QA lead of Acme: Alice, its lead, qualifies the site."""
    qualification = SiteQualification.objects.get(partnership=world.acme_labcorp)
    qualification = site_services.site_qualification_transition(
        actor=world.alice, qualification=qualification, status="disqualified",
        conditions="Data integrity: shared log-ins on the HPLCs.")
    assert qualification.status == "disqualified"


def test_a_site_is_added_once_and_only_the_cdmos(cast):
    error = refused(lambda: site_services.site_qualification_create(
        actor=cast.quinn, partnership=cast.acme_contoso, site=cast.boston))
    assert "site" in error.message_dict
    acme_site = cast.acme.sites.first()
    error = refused(lambda: site_services.site_qualification_create(
        actor=cast.quinn, partnership=cast.acme_contoso, site=acme_site))
    assert "site" in error.message_dict


# --- Inspections and subcontractors ----------------------------------------------------

def test_either_party_enters_inspections_and_only_its_party_corrects_them(cast):
    qualification = qualification_of(cast)
    error = refused(lambda: site_services.inspection_create(
        actor=cast.rita, qualification=qualification, authority="fda",
        inspected_on=datetime.date(2026, 5, 1), outcome="form_483"))
    assert "observation_count" in error.message_dict
    error = refused(lambda: site_services.inspection_create(
        actor=cast.quinn, qualification=qualification, authority="eu",
        inspected_on=datetime.date(2026, 5, 1), outcome="gmp_certificate"))
    assert "certificate_expiry" in error.message_dict
    certificate = site_services.inspection_create(
        actor=cast.quinn, qualification=qualification, authority="eu",
        inspected_on=datetime.date(2026, 5, 1), outcome="gmp_certificate",
        certificate_number="NL/H 26/1234", certificate_expiry=datetime.date(2029, 5, 1))
    assert Notification.objects.filter(recipient=cast.rita, kind="site_qualification").exists()
    refused(lambda: site_services.inspection_update(
        actor=cast.rita, inspection=certificate, summary="Not ours"), PermissionDenied)
    refused(lambda: site_services.inspection_update(
        actor=cast.vera, inspection=certificate, summary="Read only"), PermissionDenied)
    site_services.inspection_update(actor=cast.alice, inspection=certificate,
                                    summary="QC laboratory")
    assert Inspection.objects.get(pk=certificate.pk).summary == "QC laboratory"


def test_the_cdmo_declares_subcontractors_and_the_sponsors_qa_lead_permits(cast):
    qualification = qualification_of(cast)
    refused(lambda: site_services.subcontractor_create(
        actor=cast.quinn, qualification=qualification, name="X", activity="Y",
        location="Z"), PermissionDenied)
    lab = site_services.subcontractor_create(
        actor=cast.rita, qualification=qualification, name="Sterilis", location="Oxford, UK",
        activity="Sterility testing")
    assert Notification.objects.filter(recipient=cast.quinn, kind="site_qualification").exists()
    for person in (cast.rita, cast.bob, cast.alice):  # only the QA lead of the sponsor
        refused(lambda person=person: site_services.subcontractor_decide(
            actor=person, subcontractor=lab, status="permitted"), PermissionDenied)
    error = refused(lambda: site_services.subcontractor_decide(
        actor=cast.quinn, subcontractor=lab, status="refused"))
    assert "decision_note" in error.message_dict
    lab = site_services.subcontractor_decide(
        actor=cast.quinn, subcontractor=lab, status="permitted",
        permission_date=datetime.date(2026, 11, 2), decision_note="For NWB-101 only.")
    assert (lab.status, lab.permission_date, lab.permitted_by) == (
        "permitted", datetime.date(2026, 11, 2), cast.quinn)
    refused(lambda: site_services.subcontractor_update(  # decided: kept as permitted
        actor=cast.rita, subcontractor=lab, name="Renamed"))
    site_services.subcontractor_decide(actor=cast.bob, subcontractor=lab, status="withdrawn")
    assert Subcontractor.objects.get(pk=lab.pk).status == "withdrawn"


# --- Re-audit due date -----------------------------------------------------------------

def _closed_audit(world, end: datetime.date, classification="minor") -> Audit:
    audit = plan(world, planned_start=end - datetime.timedelta(days=2), planned_end=end)
    Audit.objects.filter(pk=audit.pk).update(status="closed")
    Finding.objects.create(partnership=world.acme_contoso, audit=audit, number=1,
                           classification=classification, title="F", requirement="SOP",
                           evidence="Seen", response_due=end, raised_by=world.alice)
    return audit


def test_next_audit_is_due_after_the_interval_sooner_after_a_critical_finding(cast):
    Audit.objects.filter(partnership=cast.acme_contoso).update(status="cancelled")  # the world's
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    end = datetime.date.today() - datetime.timedelta(days=700)
    _closed_audit(cast, end)
    row = site_selectors.with_due_dates(site_selectors.qualification_list(
        user=cast.quinn, partnership=cast.acme_contoso))[0]
    assert row.next_due == add_months(end, 24) and row.is_due  # 24 months: due in ~30 days
    assert [r.pk for r in site_selectors.reaudit_due_list(user=cast.quinn)] == [row.pk]
    assert site_selectors.reaudit_due_list(user=cast.dave) == []  # Globex sees none of it
    site_services.audit_programme_set(actor=cast.quinn, partnership=cast.acme_contoso,
                                      reaudit_months=36, reaudit_months_after_critical=12)
    assert site_selectors.reaudit_due_list(user=cast.quinn) == []
    _closed_audit(cast, end + datetime.timedelta(days=10), classification="critical")
    row = site_selectors.with_due_dates(site_selectors.qualification_list(
        user=cast.quinn, partnership=cast.acme_contoso))[0]
    assert row.last_audit_critical and row.is_overdue
    assert row.next_due == add_months(end + datetime.timedelta(days=10), 12)
    plan(cast)  # an audit planned: no longer on the list
    assert site_selectors.reaudit_due_list(user=cast.quinn) == []
    refused(lambda: site_services.audit_programme_set(
        actor=cast.rita, partnership=cast.acme_contoso, reaudit_months=6), PermissionDenied)
    error = refused(lambda: site_services.audit_programme_set(
        actor=cast.quinn, partnership=cast.acme_contoso, reaudit_months=6,
        reaudit_months_after_critical=12))
    assert "reaudit_months_after_critical" in error.message_dict


# --- Cancel, postpone, working hours ---------------------------------------------------

def test_cancel_and_postpone_need_a_reason_and_take_the_meetings_along(cast):
    audit = plan(cast)
    audit = audit_services.audit_confirm(actor=cast.rita, audit=audit)
    refused(lambda: site_services.audit_postpone(
        actor=cast.alice, audit=audit, planned_start=START, planned_end=START,
        reason="Lead only"), PermissionDenied)
    error = refused(lambda: site_services.audit_postpone(
        actor=cast.quinn, audit=audit, planned_start=START + datetime.timedelta(days=7),
        planned_end=START + datetime.timedelta(days=9), reason=" "))
    assert "reason" in error.message_dict
    audit = site_services.audit_postpone(
        actor=cast.quinn, audit=audit, planned_start=START + datetime.timedelta(days=7),
        planned_end=START + datetime.timedelta(days=9), reason="Line 2 shutdown moved")
    assert audit.status == "planned"  # to confirm again
    opening = Meeting.objects.get(pk=audit.opening_meeting_id)
    assert opening.starts_at.date() == START + datetime.timedelta(days=7)
    audit = site_services.audit_cancel(actor=cast.rita, audit=audit,
                                       reason="Product transfer stopped")
    assert (audit.status, audit.cancel_reason) == ("cancelled", "Product transfer stopped")
    assert set(Meeting.objects.filter(pk__in=[audit.opening_meeting_id,
                                              audit.closing_meeting_id]).values_list(
        "status", flat=True)) == {"cancelled"}
    error = refused(lambda: site_services.audit_cancel(actor=cast.quinn, audit=audit,
                                                       reason="Again"))
    assert "status" in error.message_dict


def test_meetings_outside_the_sites_working_hours_are_warned_of(cast, login):
    audit = plan(cast)
    client = login(cast.quinn)
    assert b"hours-warning" not in client.get(audit.get_absolute_url()).content
    meeting = Meeting.objects.get(pk=audit.opening_meeting_id)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - datetime.timedelta(hours=3))  # 05:00 in Boston
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "outside its working hours (08:00–17:00)" in page


# --- The overdue-response reminder -----------------------------------------------------

def test_overdue_responses_are_reminded_once_per_due_date(cast):
    finding = Finding.objects.get(partnership=cast.acme_contoso)  # due 10 April 2026
    Audit.objects.filter(pk=finding.audit_id).update(status="report_issued")
    today = datetime.date(2026, 4, 20)
    assert site_services.finding_response_reminders_send(today=today) == 1
    assert site_services.finding_response_reminders_send(today=today) == 0
    assert Notification.objects.filter(kind="finding_overdue", recipient=cast.rita).count() == 1
    Finding.objects.filter(pk=finding.pk).update(response_due=datetime.date(2026, 4, 15))
    assert site_services.finding_response_reminders_send(today=today) == 1
    assert FindingResponseReminder.objects.filter(finding=finding).count() == 2


# --- Pages and API ---------------------------------------------------------------------

def test_calendar_month_list_and_ics_show_the_users_audits_only(cast, login):
    audit = plan(cast)
    client = login(cast.quinn)
    url = reverse("governance:audit_calendar")
    page = client.get(url, {"month": START.strftime("%Y-%m")}).content.decode()
    assert audit.get_absolute_url() in page and "May 2027" in page
    assert audit.get_absolute_url() not in client.get(url, {"month": "2027-07"}).content.decode()
    assert client.get(url, {"month": "garbage"}).status_code == 200
    ics = client.get(reverse("governance:audit_calendar_ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"audit-{audit.pk}@lockstep".encode() in ics.content
    assert b"Opening meeting" in ics.content
    other = login(cast.dave).get(url, {"month": START.strftime("%Y-%m")}).content.decode()
    assert audit.get_absolute_url() not in other


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_sites(world, count):
    for n in range(count):
        site = world.contoso.sites.create(name=f"Contoso site {count}.{n}", country="US", city="X",
                                          time_zone="America/New_York")
        qualification = site_services.site_qualification_create(
            actor=world.quinn, partnership=world.acme_contoso, site=site)
        site_services.inspection_create(
            actor=world.rita, qualification=qualification, authority="fda",
            inspected_on=datetime.date(2026, 1, 5), outcome="nai")
        site_services.subcontractor_create(actor=world.rita, qualification=qualification,
                                           name=f"Lab {n}", activity="Testing", location="Y")
        _closed_audit(world, datetime.date(2025, 1, 10 + n))


def test_pages_and_api_keep_their_number_of_queries_whatever_the_data(cast, login):
    client, token = login(cast.quinn), api(cast.quinn)
    list_url = reverse("governance:sitequalification_list", args=[cast.acme_contoso.pk])
    detail_url = qualification_of(cast).get_absolute_url()
    urls = [list_url, detail_url, reverse("governance:reaudit_list"),
            reverse("governance:audit_calendar") + "?view=list"]
    apis = ["/api/v1/site-qualifications/", "/api/v1/inspections/", "/api/v1/subcontractors/"]
    _more_sites(cast, 1)
    _queries(token, apis[0])  # the content types' cache, filled once
    small = [_queries(client, url) for url in urls] + [_queries(token, url) for url in apis]
    _more_sites(cast, 6)
    large = [_queries(client, url) for url in urls] + [_queries(token, url) for url in apis]
    assert large == small


def test_api_steps_by_the_right_party(cast):
    qualification = qualification_of(cast)
    url = f"/api/v1/site-qualifications/{qualification.pk}/transition/"
    body = {"status": "approved", "approved_activities": ["drug_substance"]}
    assert api(cast.rita).post(url, body, format="json").status_code == 403
    response = api(cast.quinn).post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    sub = Subcontractor.objects.get(partnership=cast.acme_contoso)
    url = f"/api/v1/subcontractors/{sub.pk}/decide/"
    assert api(cast.bob).post(url, {"status": "permitted"}, format="json").status_code == 403
    assert api(cast.quinn).post(url, {"status": "refused"}, format="json").status_code == 400
    assert api(cast.quinn).post(url, {"status": "permitted"}, format="json").json()[
        "status"] == "permitted"
    audit = plan(cast)
    response = api(cast.quinn).post(f"/api/v1/audits/{audit.pk}/cancel/",
                                    {"reason": "Budget cut"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
