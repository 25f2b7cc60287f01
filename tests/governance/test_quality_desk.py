"""The QA desk (governance.quality.desk): for those who act for quality, across those of
their partnerships where they do, each section lists the records that await quality and
no others (foreign partnerships, closed records, what the other party keeps to itself);
anyone else is told the page is for QA leads; the top bar links it for them only; the
page's queries stay the same whatever the data."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Audit, Batch, Capa, ChangeControl, Deviation, Finding
from governance.quality.desk import ROWS, SECTIONS
from governance.quality.qa import acts_for_quality, quality_partnerships
from partnership.models import Membership, Partnership, Site, User
from tests.factories import MembershipFactory, UserFactory

URL = "/quality/desk/"
TODAY = timezone.localdate()
NOW = timezone.now()


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso: there Alice,
    Acme's lead, no longer acts for quality; she still does in Acme–Labcorp (Acme seats no
    QA lead there), and Dave, Globex's lead, in Globex–Contoso."""
    world.quinn = UserFactory(email="quinn@acme.test", first_name="Quinn",
                              last_name="Acmeson", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", first_name="Rita",
                             last_name="Contososon", organization=world.contoso)
    for person in (world.quinn, world.rita):
        MembershipFactory(partnership=world.acme_contoso, user=person,
                          role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    return world


def desk(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, key: str) -> str:
    """The HTML of one section of the page."""
    match = re.search(rf'<section[^>]*id="desk-{key}".*?</section>', page, re.S)
    assert match, key
    return match.group(0)


def _record(model, partnership, **fields):
    return model.objects.filter(partnership=partnership, **fields).get()


# --- Who it is for ---------------------------------------------------------------------

def test_qa_leads_get_the_desk_and_the_link_others_are_told_it_is_for_qa_leads(cast, login):
    for person in (cast.quinn, cast.rita, cast.alice, cast.dave):
        client = login(person)
        assert 'href="/quality/desk/"' in client.get(reverse("governance:my_work")).content.decode()
        assert client.get(URL).status_code == 200
    for person in (cast.bob, cast.vera, cast.olga, cast.oscar):
        client = login(person)
        response = client.get(URL)
        assert response.status_code == 403
        assert "for QA leads" in response.content.decode()
        assert 'href="/quality/desk/"' not in client.get(
            reverse("governance:my_work")).content.decode()
    assert Client().get(URL).status_code == 302  # to the log-in page
    # The partnership's quality pages link it too, for those it is for.
    capas = reverse("governance:capa_list", args=[cast.acme_contoso.pk])
    assert "QA desk: what awaits" in login(cast.quinn).get(capas).content.decode()
    assert "QA desk: what awaits" not in login(cast.bob).get(capas).content.decode()


def test_quality_partnerships_is_acts_for_quality_in_sql(cast):
    """The query the desk and the top bar use says what acts_for_quality says, for every
    seat of the world (a QA lead; a lead where their party seats none, or one; others)."""
    cast.steward = UserFactory(email="sam@contoso.test", organization=cast.contoso)
    MembershipFactory(partnership=cast.globex_contoso, user=cast.steward,
                      role=Membership.Role.QA_LEAD)
    for user in User.objects.all():
        expected = {p.pk for p in Partnership.objects.visible_to(user)
                    if acts_for_quality(p, user)}
        assert {p.pk for p in quality_partnerships(user)} == expected, user
    assert {p.pk for p in quality_partnerships(cast.alice)} == {cast.acme_labcorp.pk}
    assert not quality_partnerships(cast.carol).exists()  # Sam is Contoso's QA lead there


# --- The sections ----------------------------------------------------------------------

def test_each_section_shows_its_partnerships_open_records_only(cast, login):
    """Quinn sees Acme–Contoso's: the running audit, the open CAPA, the lot awaiting
    disposition; not Acme–Labcorp's (Alice acts there) nor Globex–Contoso's."""
    page = desk(login(cast.quinn))
    audits, capas, lots = section(page, "audits"), section(page, "capas"), \
        section(page, "disposition")
    ac, al, gc = cast.acme_contoso, cast.acme_labcorp, cast.globex_contoso
    assert _record(Audit, ac).get_absolute_url() in audits
    assert _record(Capa, ac).get_absolute_url() in capas
    assert _record(Batch, ac).get_absolute_url() in lots
    assert _record(ChangeControl, ac).get_absolute_url() in section(page, "changes")
    for partnership in (al, gc):
        for model in (Audit, Capa, Batch, ChangeControl):
            assert _record(model, partnership).get_absolute_url() not in page
    assert "Globex" not in page and "Labcorp" not in page
    # The world's finding is raised in a running audit: nothing is owed yet.
    assert "No findings await a response." in section(page, "findings")
    assert "No batch record awaits review." in section(page, "review")
    assert "No site is due for re-audit." in section(page, "reaudits")
    # Alice, across hers: Acme–Labcorp only.
    page = desk(login(cast.alice))
    assert _record(Audit, al).get_absolute_url() in page
    assert _record(Audit, ac).get_absolute_url() not in page


def test_closed_records_leave_the_desk(cast, login):
    ac = cast.acme_contoso
    Audit.objects.filter(partnership=ac).update(status="closed")
    Capa.objects.filter(partnership=ac).update(status="verified")
    Batch.objects.filter(partnership=ac).update(status="released")
    ChangeControl.objects.filter(partnership=ac).update(status="approved")
    page = desk(login(cast.quinn))
    assert "No change control awaits a decision or an acknowledgement." in section(
        page, "changes")
    assert "No audit is planned, confirmed or running." in section(page, "audits")
    assert "No CAPA is open." in section(page, "capas")
    assert "No lot awaits disposition." in section(page, "disposition")


def test_findings_awaiting_response_overdue_first(cast, login):
    ac = cast.acme_contoso
    audit = _record(Audit, ac)
    Audit.objects.filter(pk=audit.pk).update(status="report_issued")
    first = _record(Finding, ac)
    Finding.objects.filter(pk=first.pk).update(response_due=TODAY - datetime.timedelta(days=3))
    common = {"partnership": ac, "audit": audit, "requirement": "21 CFR 211.100",
              "evidence": "Seen", "raised_by": cast.quinn}
    later = Finding.objects.create(number=2, classification="minor", title="Line clearance",
                                   response_due=TODAY + datetime.timedelta(days=9), **common)
    Finding.objects.create(number=3, classification="observation", title="Just a remark",
                           **common)
    Finding.objects.create(number=4, classification="major", title="Already accepted",
                           status="accepted", response_due=TODAY, **common)
    findings = section(desk(login(cast.rita)), "findings")
    assert findings.index(first.title) < findings.index(later.title)
    assert "Overdue" in findings and ">2</span>" in findings
    assert "Just a remark" not in findings and "Already accepted" not in findings
    # Answered, it awaits the sponsor's review, no longer a response.
    Finding.objects.filter(pk=later.pk).update(status="responded")
    assert later.title not in section(desk(login(cast.quinn)), "findings")


def test_capas_by_age_with_the_overdue_marked(cast, login):
    ac = cast.acme_contoso
    old = _record(Capa, ac)
    Capa.objects.filter(pk=old.pk).update(due_date=TODAY - datetime.timedelta(days=1),
                                          created_at=NOW - datetime.timedelta(days=90))
    young = Capa.objects.create(
        partnership=ac, author_organization=cast.contoso, created_by=cast.rita, number=2,
        title="Retrain the dispensary operators", finding=_record(Finding, ac),
        root_cause="Cause", action_plan="Plan", owner=cast.rita,
        due_date=TODAY + datetime.timedelta(days=30), status="implemented")
    capas = section(desk(login(cast.quinn)), "capas")
    assert capas.index(old.title) < capas.index(young.title)
    assert capas.count("Overdue") == 1


def test_deviations_clock_for_the_cdmo_closure_for_both(cast, login):
    """A deviation not yet notified is the CDMO's own: its running clock shows to Rita,
    never to Quinn; one whose closure awaits the sponsor shows to both; closed, to none."""
    ac = cast.acme_contoso
    detected = NOW - datetime.timedelta(hours=30)
    running = Deviation.objects.create(
        partnership=ac, author_organization=cast.contoso, created_by=cast.rita,
        reference="DEV-77", site=cast.boston, kind="oos", classification="critical",
        title="Assay OOS on stability pull", description="Assay 91.2 %", detected_at=detected,
        notify_by=detected + datetime.timedelta(days=1), is_internal=True)
    Deviation.objects.filter(partnership=ac, reference="DEV-1").update(
        status="closure_requested")
    closing = _record(Deviation, ac, reference="DEV-1")
    rita, quinn = (section(desk(login(person)), "deviations")
                   for person in (cast.rita, cast.quinn))
    assert running.get_absolute_url() in rita and "Notification overdue" in rita
    assert rita.index(running.title) < rita.index(closing.title)
    assert running.get_absolute_url() not in quinn and "DEV-77" not in quinn
    assert closing.get_absolute_url() in quinn
    Deviation.objects.filter(pk=closing.pk).update(status="closed")
    assert "No deviation" in section(desk(login(cast.quinn)), "deviations")


def test_batches_awaiting_review_and_disposition(cast, login):
    ac = cast.acme_contoso
    Batch.objects.create(partnership=ac, author_organization=cast.contoso,
                         created_by=cast.rita, site=cast.boston, lot_number="B-NEW",
                         stage="drug_product", manufactured_on=TODAY)
    quarantined = Batch.objects.create(
        partnership=ac, author_organization=cast.contoso, created_by=cast.rita,
        site=cast.boston, lot_number="B-HELD", stage="drug_product",
        manufactured_on=TODAY - datetime.timedelta(days=400), status="quarantined")
    page = desk(login(cast.quinn))
    review, dispose = section(page, "review"), section(page, "disposition")
    assert "B-NEW" in review and "B-NEW" not in dispose
    assert dispose.index("B-HELD") < dispose.index(_record(Batch, ac, status="sponsor_reviewed")
                                                   .lot_number)
    assert quarantined.get_absolute_url() in dispose


def test_sites_due_for_reaudit(cast, login):
    ac = cast.acme_contoso
    Audit.objects.filter(partnership=ac).update(
        status="closed", planned_start=TODAY - datetime.timedelta(days=700),
        planned_end=TODAY - datetime.timedelta(days=698))
    reaudits = section(desk(login(cast.quinn)), "reaudits")
    assert "Contoso Boston" in reaudits and "Overdue" not in reaudits
    assert "Contoso Boston" not in section(desk(login(cast.dave)), "reaudits")


# --- Bounded and pinned ----------------------------------------------------------------

def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def _more(world, partnership, count):
    """`count` more open records of each kind in `partnership`."""
    site = partnership.cdmo.sites.first()
    sponsor_lead = partnership.memberships.filter(
        user__organization=partnership.sponsor).first().user
    audit = Audit.objects.filter(partnership=partnership).first()
    Audit.objects.filter(pk=audit.pk).update(status="report_issued")
    start = Finding.objects.filter(partnership=partnership).count()
    for n in range(count):
        common = {"partnership": partnership, "author_organization": partnership.sponsor,
                  "created_by": sponsor_lead}
        Audit.objects.create(site=site, kind="routine", scope="More", lead_auditor=sponsor_lead,
                             planned_start=TODAY + datetime.timedelta(days=n + 1),
                             planned_end=TODAY + datetime.timedelta(days=n + 2), **common)
        finding = Finding.objects.create(
            partnership=partnership, audit=audit, number=start + n + 1, classification="minor",
            title=f"More {n}", requirement="EU GMP 5", evidence="Seen",
            response_due=TODAY, raised_by=sponsor_lead)
        Capa.objects.create(number=100 + n, title=f"More {n}", finding=finding,
                            root_cause="C", action_plan="P", owner=sponsor_lead,
                            due_date=TODAY, **common)
        Deviation.objects.create(
            reference=f"DEV-M{n}", site=site, kind="deviation", classification="minor",
            title=f"More {n}", description="D", detected_at=NOW, status="closure_requested",
            sponsor_notified_at=NOW, **common)
        ChangeControl.objects.create(
            reference=f"CC-M{n}", title=f"More {n}", site=site, category="process",
            program=None, description="Longer hold", rationale="Scheduling",
            proposed_on=TODAY, status="awaiting_decision", classification="approval",
            decision_due=TODAY + datetime.timedelta(days=n), **common)
        for status in ("manufactured", "sponsor_reviewed"):
            Batch.objects.create(site=site, lot_number=f"M-{status[:3]}-{n}",
                                 stage="drug_product", manufactured_on=TODAY,
                                 status=status, **common)


def test_the_page_keeps_its_number_of_queries_and_rows_whatever_the_data(cast, login):
    """One partnership with a record or so in each section, then two with many more
    records each than a section shows: the same queries, ROWS rows a section."""
    client = login(cast.quinn)
    desk(client)  # caches filled once
    small = _queries(client)
    MembershipFactory(partnership=cast.acme_labcorp, user=cast.quinn,
                      role=Membership.Role.QA_LEAD)
    for partnership in (cast.acme_contoso, cast.acme_labcorp):
        _more(cast, partnership, ROWS)
    large = _queries(client)
    # The user, the partnerships, a query of rows per section, one for all their counts
    # and the top bar's partnerships.
    assert large == small == 3 + len(SECTIONS) + 1 == 12
    page = desk(client)
    for key in ("audits", "findings", "capas", "deviations", "changes", "disposition",
                "review"):
        block = section(page, key)
        assert block.count("list-group-item") == ROWS, key
        # Two partnerships: a link to each one's list, with its count.
        assert "Acme Pharma – Contoso CDMO: " in block and "Acme Pharma – Labcorp" in block
