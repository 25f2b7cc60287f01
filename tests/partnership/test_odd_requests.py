"""Requests an attacker sent that the generic cases did not: digits `int()` refuses, a NUL
in a secret, a record moved to another partnership, a form shown to the wrong party, a
change with nothing in it from a read-only seat. Each answers 4xx and changes nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import ActionItem
from partnership.models import Deliverable, NegotiationRound
from tests.isolation.registry import API_ROUTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("route", sorted(API_ROUTES))
def test_a_partnership_id_the_database_cannot_hold_is_ignored_not_a_500(world, route):
    for value in ("²", "٣", "9" * 30, "-1", "1e3"):
        response = api(world.alice).get(reverse(f"{route}-list"), {"partnership": value})
        assert response.status_code in (200, 400), (value, response.content[:300])


def test_a_calendar_secret_with_a_nul_is_a_404(client):
    assert client.get("/calendar/%00.ics").status_code == 404
    assert client.get("/calendar/a%00b.ics").status_code == 404


def test_a_record_is_not_moved_to_another_partnership_through_the_api(world):
    action = ActionItem.objects.filter(partnership=world.acme_contoso).first()
    response = api(world.alice).patch(reverse("actionitem-detail", args=[action.pk]),
                                      {"partnership": world.acme_labcorp.pk}, format="json")
    assert response.status_code == 400
    assert "partnership" in response.json()
    action.refresh_from_db()
    assert action.partnership_id == world.acme_contoso.pk


def test_the_review_form_is_refused_to_the_responsible_party_on_get_too(world, login):
    deliverable = Deliverable.objects.filter(partnership=world.acme_contoso).first()
    responsible = world.bob if deliverable.responsible_party == "cdmo" else world.alice
    receiving = world.alice if responsible == world.bob else world.bob
    url = reverse("partnership:deliverablereview_create",
                  args=[world.acme_contoso.pk, deliverable.pk])
    assert login(responsible).get(url).status_code == 403
    assert login(world.vera).get(url).status_code == 403  # a viewer
    assert login(receiving).get(url).status_code == 200


def test_an_empty_change_from_a_read_only_seat_is_refused(world):
    round_ = NegotiationRound.objects.filter(partnership=world.acme_contoso).first()
    url = reverse("negotiationround-detail", args=[round_.pk])
    assert api(world.vera).patch(url, {}, format="json").status_code == 403
    assert api(world.vera).patch(url, {"summary": "x"}, format="json").status_code == 403


def test_a_refused_step_names_the_statuses_in_words(world):
    action = ActionItem.objects.filter(partnership=world.acme_contoso).first()
    url = reverse("actionitem-transition", args=[action.pk])
    response = api(world.alice).post(url, {"status": action.status}, format="json")
    assert response.status_code == 400
    message = str(response.json())
    assert f"“{action.get_status_display()}”" in message
