"""DESIGN §2 for one field: the justification of an emergency sent within its party's budget
is the sending party's (governance.request_read_justification). The request's page and API
hide it from the receiving party; its History (page and API) and the auditor's export read
the raw audit rows, so they must apply the same rule — or the receiving party reads the
sender's words there."""

import datetime

import pytest
from django.urls import reverse

from governance.requests import services
from partnership.models import Membership
from tests.clock import today
from tests.partnership.test_api import api

WORDS = "Our own board asked for it (zebra-unique)"


@pytest.fixture
def emergencies(world):
    """Acme sends one emergency within its budget, then one over it, to Contoso."""
    world.acme_contoso.sponsor_emergency_budget = 1
    world.acme_contoso.save()
    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).update(
        role=Membership.Role.LEAD)  # a lead exports the audit trail
    sent = [services.request_send(
        actor=world.alice, partnership=world.acme_contoso, title=title, kind="information",
        description="Please.", urgency="emergency", emergency_justification=f"{WORDS} {n}")
        for n, title in ((1, "Within budget"), (2, "Over budget"))]
    assert not sent[0].over_emergency_budget and sent[1].over_emergency_budget
    return sent


def _history(person, request, login):
    page = login(person).get(reverse("partnership:record_history", args=[
        request.partnership_id, "request", request.pk])).content.decode()
    response = api(person).get(f"/api/v1/requests/{request.pk}/history/")
    return page, response.content.decode()


def test_history_shows_a_within_budget_justification_to_the_sending_party_only(
        world, login, emergencies):
    within, over = emergencies
    for person, sees_within in ((world.alice, True), (world.bob, False)):
        for text in _history(person, within, login):
            assert (f"{WORDS} 1" in text) == sees_within, person
        for text in _history(person, over, login):
            assert f"{WORDS} 2" in text, person  # over budget: both parties read it


def test_audit_export_keeps_a_within_budget_justification_to_the_sending_party(
        world, login, emergencies):
    day = today(world.alice)
    query = {"start": day - datetime.timedelta(days=1), "end": day, "format": "csv"}
    url = reverse("partnership:audit_export", args=[world.acme_contoso.pk])
    for person, sees_within in ((world.alice, True), (world.bob, False)):
        response = login(person).get(url, query)
        assert response.status_code == 200
        text = response.content.decode()
        assert (f"{WORDS} 1" in text) == sees_within, person
        assert f"{WORDS} 2" in text, person
