"""The sponsor's priority ranking: only its leads change it, every change is kept with
who, when and why, and the CDMO sees it announced on the partnership home."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.models import Priority, PriorityChange
from partnership.objectives import services


def url(world):
    return reverse("partnership:priority_list", args=[world.acme_contoso.pk])


def test_sponsor_lead_reranks_and_the_cdmo_is_told(world, login):
    response = login(world.alice).post(url(world), {
        "titles": "Acmezumab PPQ\nStability program\n", "reason": "Filing moved forward"})
    assert response.status_code == 302
    assert list(Priority.objects.filter(partnership=world.acme_contoso)
                .values_list("title", flat=True)) == ["Acmezumab PPQ", "Stability program"]
    change = PriorityChange.objects.filter(partnership=world.acme_contoso).first()
    assert change.before == ["Acme–Contoso supply agreement priority"]
    assert change.changed_by == world.alice
    home = login(world.bob).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "changed its priorities" in home and "Filing moved forward" in home
    assert "1. Acmezumab PPQ" in home


def test_nobody_else_changes_the_ranking(world, login):
    for person in (world.bob, world.vera):
        with pytest.raises(PermissionDenied):
            services.priorities_set(actor=person, partnership=world.acme_contoso,
                                    titles=["X"], reason="y")
    assert login(world.bob).post(url(world), {"titles": "X", "reason": "y"}).status_code == 403
    assert "Change the ranking" not in login(world.bob).get(url(world)).content.decode()


def test_a_change_needs_a_reason_and_a_new_ranking(world):
    with pytest.raises(ValidationError, match="Say why"):
        services.priorities_set(actor=world.alice, partnership=world.acme_contoso,
                                titles=["A"], reason=" ")
    with pytest.raises(ValidationError, match="current ranking already"):
        services.priorities_set(actor=world.alice, partnership=world.acme_contoso,
                                titles=["Acme–Contoso supply agreement priority"], reason="x")
    with pytest.raises(ValidationError, match="different"):
        services.priorities_set(actor=world.alice, partnership=world.acme_contoso,
                                titles=["A", "A"], reason="x")


def test_api_reranks(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    response = client.post("/api/v1/priority-changes/", {
        "partnership": world.acme_contoso.pk, "after": ["B", "A"], "reason": "Budget"},
        format="json")
    assert response.status_code == 201
    ranks = client.get(f"/api/v1/priorities/?partnership={world.acme_contoso.pk}").json()
    assert [row["title"] for row in ranks["results"]] == ["B", "A"]
