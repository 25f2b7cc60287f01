"""A CDMO closing a site: every sponsor whose programs run there is told on its own
partnership home, without learning about the other sponsors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.models import Site
from partnership.parties import services


@pytest.fixture
def boston(world):
    site = Site.objects.get(name="Contoso Boston")
    world.acme_program.sites.add(site)
    world.globex_program.sites.add(site)
    return site


def test_closing_a_site_warns_each_sponsor_using_it(world, login, boston):
    response = login(world.olga).post(reverse("partnership:site_detail", args=[boston.pk]), {
        "status": "closing", "status_date": "2027-06-30"})
    assert response.status_code == 302
    acme_home = login(world.alice).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "Contoso Boston (Boston) is closing" in acme_home and "ACM-1" in acme_home
    assert "GLX-1" not in acme_home
    globex_home = login(world.dave).get(world.globex_contoso.get_absolute_url()).content.decode()
    assert "is closing" in globex_home and "GLX-1" in globex_home and "ACM-1" not in globex_home


def test_closing_needs_a_date_and_an_admin_of_the_site(world, login, boston):
    response = login(world.olga).post(reverse("partnership:site_detail", args=[boston.pk]),
                                      {"status": "closed", "status_date": ""})
    assert "Give the date" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.site_set_status(actor=world.bob, site=boston, status="closed",
                                 status_date=datetime.date(2027, 1, 1))
    boston.refresh_from_db()
    assert boston.status == "active"


def test_programs_run_only_at_their_cdmos_sites(world, login):
    acme_site = Site.objects.get(name="Acme Basel")
    url = reverse("partnership:program_edit", args=[world.acme_contoso.pk,
                                                    world.acme_program.pk])
    response = login(world.alice).post(url, {"code": "ACM-1", "name": "Acmezumab",
                                             "modality": "biologic", "phase": "phase_1",
                                             "sites": [acme_site.pk]})
    assert "sites" in response.context["form"].errors


def test_api_marks_a_site_closed(world, boston):
    client = APIClient()
    client.force_authenticate(world.olga)
    response = client.post(f"/api/v1/sites/{boston.pk}/status/",
                           {"status": "closed", "status_date": "2026-10-01"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    client.force_authenticate(world.bob)
    assert client.post(f"/api/v1/sites/{boston.pk}/status/", {"status": "active"},
                       format="json").status_code == 403


def test_people_who_cannot_change_the_status_never_get_its_form(world, login, boston):
    url = reverse("partnership:site_detail", args=[boston.pk])
    page = login(world.bob).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="status"' not in page and "Contoso Boston" in page
    assert 'name="status"' in login(world.olga).get(url).content.decode()
