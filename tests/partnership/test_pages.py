"""Pages of the partnership app as their users meet them."""

import pytest
from django.urls import reverse

from partnership.models import Membership, Program
from tests.factories import MembershipFactory, ProgramFactory, SiteFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    url = reverse("partnership:partnership_detail", args=[world.acme_contoso.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_log_in_by_email(client, world, password):
    response = client.post(reverse("login"), {"username": "ALICE@acme.test",
                                              "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")  # which sends Alice to her list
    assert client.get(reverse("landing"))["Location"] == reverse("partnership:partnership_list")
    page = client.get(reverse("partnership:partnership_list")).content.decode()
    assert "Acme Pharma – Contoso CDMO" in page and "Acme Pharma – Labcorp Testing" in page


def test_wrong_password_is_refused_with_a_message(client, world):
    response = client.post(reverse("login"), {"username": "alice@acme.test", "password": "x"})
    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()


def test_partnership_home_shows_parties_sites_programs_and_members(login, world):
    page = login(world.bob).get(world.acme_contoso.get_absolute_url()).content.decode()
    for text in ("Acme Pharma", "Contoso CDMO", "Contoso Boston", "America/New_York",
                 "Acmezumab", "Alice Acmeson", "Bob Contososon"):
        assert text in page
    assert "Secret backup plan" not in page  # Acme's internal program


def test_program_list_filters_and_htmx_gets_only_the_rows(login, world):
    ProgramFactory(partnership=world.acme_contoso, code="ACM-2", name="Late phase",
                   phase=Program.Phase.PHASE_3)
    client = login(world.alice)
    url = reverse("partnership:program_list", args=[world.acme_contoso.pk])
    page = client.get(url, {"phase": "phase_3"}).content.decode()
    assert "Late phase" in page and "Acmezumab" not in page and "<html" in page
    fragment = client.get(url, {"phase": "phase_3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Late phase" in fragment and "<html" not in fragment and 'id="results"' in fragment


def test_sponsor_creates_a_program(login, world):
    client = login(world.alice)
    url = reverse("partnership:program_create", args=[world.acme_contoso.pk])
    response = client.post(url, {"code": "ACM-3", "name": "Acmecept", "modality": "vaccine",
                                 "phase": "phase_2", "description": ""})
    program = Program.objects.get(partnership=world.acme_contoso, code="ACM-3")
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    assert program.author_organization == world.acme and program.created_by == world.alice


def test_the_program_form_names_no_sponsors_code(login, world):
    """Every sponsor reads the form's help: an example from one sponsor's real programs
    (the demo's) tells all of them about it."""
    from partnership.management.commands.seed_demo import PROGRAMS

    page = login(world.alice).get(reverse("partnership:program_create",
                                          args=[world.acme_contoso.pk])).content.decode()
    assert "own code for the program, as its documents give it" in page
    prefixes = {row[1].split("-")[0] + "-" for row in PROGRAMS}
    assert prefixes and not any(prefix in page for prefix in prefixes)


def test_program_created_in_a_dialog_redirects_the_browser(login, world):
    client = login(world.alice)
    url = reverse("partnership:program_create", args=[world.acme_contoso.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<form" in form and "<html" not in form
    response = client.post(url, {"code": "ACM-4", "name": "Dialogmab", "modality": "biologic",
                                 "phase": "phase_1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].endswith("/")


def test_bad_input_shows_field_errors_and_saves_nothing(login, world):
    client = login(world.alice)
    url = reverse("partnership:program_create", args=[world.acme_contoso.pk])
    before = Program.objects.count()
    response = client.post(url, {"code": "ACM-1", "name": "Duplicate code",
                                 "modality": "biologic", "phase": "nonsense"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "phase" in errors
    response = client.post(url, {"code": "ACM-1", "name": "Duplicate code",
                                 "modality": "biologic", "phase": "phase_1"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Program.objects.count() == before


def test_viewers_and_the_cdmo_cannot_create_programs(login, world):
    url = reverse("partnership:program_create", args=[world.acme_contoso.pk])
    data = {"code": "X-1", "name": "X", "modality": "biologic", "phase": "phase_1"}
    assert login(world.vera).post(url, data).status_code == 403
    assert login(world.bob).post(url, data).status_code == 403
    assert not Program.objects.filter(code="X-1").exists()


def test_sponsor_edits_a_program(login, world):
    url = reverse("partnership:program_edit", args=[world.acme_contoso.pk,
                                                    world.acme_program.pk])
    response = login(world.alice).post(url, {"code": "ACM-1", "name": "Acmezumab",
                                             "modality": "biologic", "phase": "phase_2"})
    assert response.status_code == 302
    world.acme_program.refresh_from_db()
    assert world.acme_program.phase == "phase_2"


def test_people_page_filters_by_role(login, world):
    url = reverse("partnership:membership_list", args=[world.acme_contoso.pk])
    page = login(world.bob).get(url, {"role": "viewer"}).content.decode()
    assert "Vera Acmeson" in page and "Alice Acmeson" not in page


def test_site_list_filters_by_capability_and_keeps_foreign_sites_out(login, world):
    SiteFactory(organization=world.contoso, name="Contoso Fill", capabilities=["fill_finish"])
    page = login(world.bob).get(reverse("partnership:site_list"),
                                {"capability": "fill_finish"}).content.decode()
    assert "Contoso Fill" in page and "Contoso Boston" not in page
    page = login(world.bob).get(reverse("partnership:site_list")).content.decode()
    assert "Globex" not in page


def test_profile_sets_the_time_zone(login, world):
    client = login(world.bob)
    response = client.post(reverse("partnership:profile"), {
        "first_name": "Bob", "last_name": "B", "job_title": "PM", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.time_zone == "Asia/Tokyo"
    response = client.post(reverse("partnership:profile"), {
        "first_name": "Bob", "last_name": "B", "job_title": "PM", "time_zone": "Mars/Base"})
    assert response.status_code == 200 and "time_zone" in response.context["form"].errors


@pytest.mark.parametrize("url_name", ["partnership_detail", "program_list", "membership_list"])
def test_partnership_pages_use_a_bounded_number_of_queries(
    login, world, url_name, django_assert_max_num_queries
):
    client = login(world.alice)
    url = reverse(f"partnership:{url_name}", args=[world.acme_contoso.pk])
    client.get(url)  # warm the session
    for _ in range(30):
        ProgramFactory(partnership=world.acme_contoso)
        MembershipFactory(partnership=world.acme_contoso, user__organization=world.contoso)
    # The home page includes the cockpit cards (about ten queries, constant: see
    # tests/governance/test_cockpit.py), the overdue CAPAs' count (one), the sites' two
    # "Coming up" kinds (certificates expiring, re-audits due), the change controls
    # awaiting a decision (one), their decision due dates in "Coming up" (one), the KPI
    # values whose review window ends soon (one) and the KPI tiles (two: the agreed KPIs
    # and their published values, tests/metrics/test_scorecard.py).
    with django_assert_max_num_queries(34 if url_name == "partnership_detail" else 18):
        assert client.get(url).status_code == 200


def test_site_and_partnership_lists_use_a_bounded_number_of_queries(
    login, world, django_assert_max_num_queries
):
    client = login(world.alice)
    client.get(reverse("partnership:site_list"))
    for _ in range(30):
        SiteFactory(organization=world.contoso)
    for url in (reverse("partnership:site_list"), reverse("partnership:partnership_list")):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_leads_set_the_negotiation_thresholds(login, world):
    url = reverse("partnership:partnership_settings", args=[world.acme_contoso.pk])
    data = {"negotiation_round_threshold": 6, "negotiation_turnaround_threshold": 14}
    assert login(world.vera).post(url, data).status_code == 403
    assert login(world.bob).post(url, data).status_code == 403  # a member, not a lead
    assert login(world.alice).post(url, data).status_code == 302
    world.acme_contoso.refresh_from_db()
    assert world.acme_contoso.negotiation_round_threshold == 6


@pytest.mark.parametrize("url_name", ["objective_list", "techtransfer_list",
                                      "communication_detail", "priority_list",
                                      "partnership_settings"])
def test_more_partnership_pages_use_a_bounded_number_of_queries(
    login, world, url_name, django_assert_max_num_queries
):
    from partnership.objectives.services import objective_create
    from partnership.techtransfer.services import tech_transfer_create
    from tests.factories import ProgramFactory

    client = login(world.alice)
    url = reverse(f"partnership:{url_name}", args=[world.acme_contoso.pk])
    client.get(url)
    site = world.contoso.sites.first()
    for n in range(15):
        objective_create(actor=world.alice, partnership=world.acme_contoso,
                         title=f"Goal {n}", measure_of_success="m",
                         sponsor_owner=world.alice, cdmo_owner=world.bob,
                         review_date="2027-01-01")
        tech_transfer_create(actor=world.alice, partnership=world.acme_contoso,
                             program=ProgramFactory(partnership=world.acme_contoso),
                             site=site, title=f"Transfer {n}")
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_the_side_menu_names_the_role_in_words(world, login):
    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).update(
        role="qa_lead")
    page = login(world.bob).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "Your role: QA lead" in page and "qa_lead" not in page


def test_an_error_page_links_to_my_partnerships_without_listing_them(login, world):
    """A foreign partnership's page answers 404 and a page the role may not open 403: their
    top bar links to My partnerships and reads neither the switcher's partnerships nor the
    top bar's links (the user, the session, the lookup that failed: a handful of queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.alice)
    client.get(reverse("partnership:partnership_list"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("partnership:partnership_detail",
                                      args=[world.globex_contoso.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert reverse("partnership:partnership_list") in page and "switcher" not in page
    assert str(world.acme_contoso) not in page  # no partnership listed in the top bar
    assert not any('"partnership_partnership"."sponsor_id"' in q["sql"] and "ORDER BY" in q["sql"]
                   for q in queries.captured_queries), "the switcher's query ran"
    assert len(queries) <= 6
