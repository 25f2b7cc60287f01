"""Shared objectives: owners on each side, reviews kept as history, shown on the home."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership import services
from partnership.models import Objective


def test_objective_needs_an_owner_on_each_side(world):
    with pytest.raises(ValidationError) as error:
        services.objective_create(actor=world.alice, partnership=world.acme_contoso,
                                  title="On-time release", measure_of_success="95 %",
                                  sponsor_owner=world.bob, cdmo_owner=world.alice,
                                  review_date=datetime.date(2027, 3, 1))
    assert {"sponsor_owner", "cdmo_owner"} <= set(error.value.message_dict)


def test_reviews_keep_the_history_and_move_the_status(world, login):
    objective = services.objective_create(
        actor=world.alice, partnership=world.acme_contoso, title="Right first time batches",
        measure_of_success="≥ 95 % of batches released without deviation",
        sponsor_owner=world.alice, cdmo_owner=world.bob, review_date=datetime.date(2027, 1, 1))
    client = login(world.bob)
    url = reverse("partnership:objectivereview_create",
                  args=[world.acme_contoso.pk, objective.pk])
    response = client.post(url, {"status": "at_risk", "note": "Two deviations in Q4",
                                 "next_review_date": "2027-04-01"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == "at_risk" and objective.review_date == datetime.date(2027, 4, 1)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "Two deviations in Q4" in page and "At risk" in page
    home = login(world.alice).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "Right first time batches" in home


def test_api_creates_and_reviews_objectives(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    created = client.post("/api/v1/objectives/", {
        "partnership": world.acme_contoso.pk, "title": "Shorter turnaround",
        "measure_of_success": "Median answer under 5 days", "sponsor_owner": world.alice.pk,
        "cdmo_owner": world.bob.pk, "review_date": "2027-02-01"}, format="json")
    assert created.status_code == 201, created.json()
    review = client.post("/api/v1/objective-reviews/", {
        "objective": created.json()["id"], "status": "achieved", "note": "Done",
        "next_review_date": "2027-06-01"}, format="json")
    assert review.status_code == 201
    assert Objective.objects.get(pk=created.json()["id"]).status == "achieved"
