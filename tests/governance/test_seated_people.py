"""Every field that names people on a partnership's record takes only people with a seat in
THAT partnership (Partnership.seated_people), whatever the door, and lists only them.

Olga administers Contoso: she sees Acme–Contoso without a seat in it, and every Contoso
colleague, among them Carol, seated only in Globex–Contoso. Acme must never learn of
Carol (DESIGN §2), nor find Olga named on its records unless she is given a seat."""

import datetime

import pytest
from django.urls import reverse

from governance.actions.api import ActionItemSerializer
from governance.meetings.api import DecisionSerializer, MeetingSerializer
from governance.models import ActionItem, Decision, Meeting, Request, Risk
from governance.relationship.api import RecognitionSerializer
from governance.requests.api import RequestSerializer
from governance.risks.api import RiskSerializer
from partnership.communication.api import EscalationLevelSerializer, PointOfContactSerializer
from partnership.models import EscalationLevel, PointOfContact
from tests.partnership.test_api import api

SOON = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def bodies(world, person):
    """(route, body, field naming people, model) of each create that names `person`."""
    p = world.acme_contoso.pk
    return [
        ("action-items", {"partnership": p, "title": "Named", "owner": person.pk,
                          "due_date": SOON}, "owner", ActionItem),
        ("risks", {"partnership": p, "title": "Named", "category": "supply", "likelihood": 2,
                   "impact": 2, "owner": person.pk}, "owner", Risk),
        ("meetings", {"partnership": p, "title": "Named", "kind": "weekly_check_in",
                      "starts_at": f"{SOON}T10:00:00Z", "attendees": [person.pk]},
         "attendees", Meeting),
        ("decisions", {"partnership": p, "title": "Named", "rationale": "-",
                       "decided_on": "2026-03-02", "decided_by": [person.pk]},
         "decided_by", Decision),
        ("requests", {"partnership": p, "title": "Named", "description": "-",
                      "kind": "information", "assignee": person.pk}, "assignee", Request),
        ("points-of-contact", {"partnership": p, "function": "finance",
                               "primary": person.pk}, "primary", PointOfContact),
        ("escalation-levels", {"partnership": p, "level": 2, "name": "Heads",
                               "days_allowed": 5, "people": [person.pk]}, "people",
         EscalationLevel),
    ]


# The partnership as a body may spell it: its own field takes each of these as that
# partnership, so the field naming people must read it as that partnership too.
SPELLINGS = [lambda pk: pk, lambda pk: str(pk), lambda pk: f" {pk}", lambda pk: f"{pk}\n",
             lambda pk: f"+{pk}"]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=["int", "str", "space", "newline", "plus"])
@pytest.mark.parametrize("who", ["carol", "olga"])
def test_the_api_refuses_people_without_a_seat_here(world, who, spelling):
    client = api(world.olga)
    for route, body, field, model in bodies(world, getattr(world, who)):
        body = {**body, "partnership": spelling(body["partnership"])}
        before = model.objects.count()
        response = client.post(f"/api/v1/{route}/", body, format="json")
        assert response.status_code == 400, (route, response.json())
        assert "seat in this partnership" in str(response.json()[field]), route
        assert model.objects.count() == before, route


def test_the_api_lists_only_seated_people(world, rf):
    request = rf.get("/")
    request.user = world.olga
    context = {"request": request}
    seated = {world.alice, world.bob, world.vera}
    writers = {world.alice, world.bob}
    for serializer, field, expected in (
            (ActionItemSerializer, "owner", writers), (RiskSerializer, "owner", seated),
            (RequestSerializer, "assignee", writers),
            (MeetingSerializer, "attendees", seated), (DecisionSerializer, "decided_by", seated),
            (RecognitionSerializer, "recipients", seated),
            (PointOfContactSerializer, "primary", seated),
            (EscalationLevelSerializer, "people", seated)):
        fields = serializer(data={"partnership": world.acme_contoso.pk}, context=context).fields
        relation = getattr(fields[field], "child_relation", fields[field])
        assert set(relation.get_queryset()) == expected, (serializer.__name__, field)
        # A partnership the body names but the caller may not see (or cannot be read)
        # offers nobody; the partnership field says what is wrong with it.
        for foreign in (world.globex_contoso.pk + 10**6, "x", [world.acme_contoso.pk]):
            fields = serializer(data={"partnership": foreign}, context=context).fields
            relation = getattr(fields[field], "child_relation", fields[field])
            assert not relation.get_queryset().exists(), (serializer.__name__, foreign)


def test_who_answers_a_request_acts_so_viewers_are_not_offered(world, login):
    """Vera only views Acme–Contoso: she may attend and be thanked, not answer a request
    (acknowledging and fulfilling want a writer)."""
    request = login(world.bob).get(reverse("governance:request_create",
                                           args=[world.acme_contoso.pk])).context["form"]
    assert set(request.fields["assignee"].queryset) == {world.alice}
    response = api(world.bob).post("/api/v1/requests/", {
        "partnership": world.acme_contoso.pk, "title": "Answered by a viewer",
        "description": "-", "kind": "information", "assignee": world.vera.pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    assert not Request.objects.filter(title="Answered by a viewer").exists()


def test_acknowledging_names_a_seated_writer_of_the_receiving_party(world):
    request = Request.objects.get(partnership=world.acme_contoso)  # Acme asks Contoso
    path = f"/api/v1/requests/{request.pk}/acknowledge/"
    for person in (world.carol, world.olga):
        response = api(world.olga).post(path, {"committed_date": SOON,
                                               "assignee": person.pk}, format="json")
        assert response.status_code == 400
        assert "seat in this partnership" in str(response.json()["assignee"])
    request.refresh_from_db()
    assert request.status == "sent" and request.assignee is None
    response = api(world.olga).post(path, {"committed_date": SOON, "assignee": world.bob.pk},
                                    format="json")
    assert response.status_code == 200 and response.json()["assignee"] == world.bob.pk
