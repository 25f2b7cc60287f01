"""Numbers one party sets that the other party's pages and the jobs compute with have sane
bounds, the same through the API, the pages and the services."""

import pytest
from django.urls import reverse

from partnership.models import Contract, EscalationLevel, Partnership, Priority
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

INT_MAX = 2**31 - 1  # the largest a PostgreSQL integer holds, so no column refuses it


def test_a_renewal_notice_no_date_can_be_computed_for_is_refused(world, login):
    """A notice of two billion days was stored, then the contract page of both parties
    answered 500: its renewal notice date is out of any calendar."""
    response = api(world.alice).post("/api/v1/contracts/", {
        "partnership": world.acme_contoso.pk, "kind": "msa", "reference": "MSA-9",
        "title": "Forever", "expiry_date": "2030-01-01", "renewal_notice_days": INT_MAX},
        format="json")
    assert response.status_code == 400 and list(response.json()) == ["renewal_notice_days"]
    page = login(world.alice).post(
        reverse("partnership:contract_create", args=[world.acme_contoso.pk]), {
            "kind": "msa", "reference": "MSA-9", "title": "Forever",
            "expiry_date": "2030-01-01", "renewal_notice_days": INT_MAX})
    assert list(page.context["form"].errors) == ["renewal_notice_days"]
    assert not Contract.objects.filter(reference="MSA-9").exists()
    assert api(world.alice).post("/api/v1/contracts/", {
        "partnership": world.acme_contoso.pk, "kind": "msa", "reference": "MSA-9",
        "title": "Three years", "expiry_date": "2030-01-01",
        "renewal_notice_days": Contract.MAX_RENEWAL_NOTICE_DAYS}, format="json"
    ).status_code == 201


@pytest.mark.parametrize(("field", "value"), [
    ("negotiation_round_threshold", Partnership.MAX_ROUND_THRESHOLD + 1),
    ("negotiation_turnaround_threshold", INT_MAX),
])
def test_negotiation_warnings_past_any_negotiation_are_refused(world, login, field, value):
    thresholds = {"negotiation_round_threshold": 4, "negotiation_turnaround_threshold": 10}
    response = api(world.alice).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                      {field: value}, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    page = login(world.alice).post(
        reverse("partnership:partnership_settings", args=[world.acme_contoso.pk]),
        {**thresholds, field: value})
    assert list(page.context["form"].errors) == [field]
    world.acme_contoso.refresh_from_db()
    assert getattr(world.acme_contoso, field) == thresholds[field]


@pytest.mark.parametrize(("field", "value"), [("level", 0), ("level", 32767),
                                              ("days_allowed", 0), ("days_allowed", 32767)])
def test_the_api_keeps_escalation_levels_to_the_bounds_of_the_page(world, field, value):
    body = {"partnership": world.acme_contoso.pk, "level": 2, "name": "Heads",
            "days_allowed": 5, "people": [world.alice.pk], field: value}
    response = api(world.alice).post("/api/v1/escalation-levels/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert EscalationLevel.objects.filter(partnership=world.acme_contoso).count() == 1


def test_a_ranking_longer_than_anyone_can_read_is_refused(world):
    titles = [f"Program {n}" for n in range(Priority.MAX_RANK + 1)]
    response = api(world.alice).post("/api/v1/priority-changes/", {
        "partnership": world.acme_contoso.pk, "after": titles, "reason": "Everything"},
        format="json")
    assert response.status_code == 400 and list(response.json()) == ["titles"]
    assert Priority.objects.filter(partnership=world.acme_contoso).count() == 1
