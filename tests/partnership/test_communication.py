"""Communication plan: contacts with backups per function, working hours in the viewer's
zone, and the escalation path."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.communication import services
from partnership.models import EscalationLevel, Membership, PointOfContact
from partnership.notifications.models import Notification
from tests.factories import MembershipFactory, SiteFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_each_side_names_its_own_contact_and_backup(world, login):
    ravi = MembershipFactory(partnership=world.acme_contoso, user__organization=world.contoso,
                             user__first_name="Ravi").user
    client = login(world.bob)
    url = reverse("partnership:pointofcontact_set", args=[world.acme_contoso.pk])
    response = client.post(url, {"function": "quality", "primary": world.bob.pk,
                                 "backup": world.bob.pk})
    assert "someone else" in response.content.decode()
    response = client.post(url, {"function": "quality", "primary": world.alice.pk})
    assert "primary" in response.context["form"].errors  # not a colleague of Bob's
    client.post(url, {"function": "quality", "primary": world.bob.pk, "backup": ravi.pk})
    contact = PointOfContact.objects.get(partnership=world.acme_contoso, function="quality")
    assert (contact.party, contact.primary, contact.backup) == ("cdmo", world.bob, ravi)
    page = login(world.alice).get(reverse("partnership:communication_detail",
                                          args=[world.acme_contoso.pk])).content.decode()
    assert "Ravi" in page and "Bob Contososon" in page


def test_working_hours_are_shown_in_the_viewers_zone(world):
    site = SiteFactory(organization=world.contoso, time_zone="Asia/Shanghai",
                       opens_at=datetime.time(9, 0), closes_at=datetime.time(18, 0))
    opens, closes = site.working_hours_in(zoneinfo.ZoneInfo("Europe/London"))
    shanghai_offset = 8
    london_offset = opens.utcoffset().total_seconds() / 3600
    assert opens.hour == (9 - shanghai_offset + london_offset) % 24
    assert (closes - opens) == datetime.timedelta(hours=9)


def test_escalation_levels_need_members_of_the_partnership(world):
    with pytest.raises(ValidationError, match="Not members"):
        services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso,
                                      level=2, name="Functional heads", days_allowed=5,
                                      people=[world.alice, world.dave])
    services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso, level=2,
                                  name="Functional heads", days_allowed=5,
                                  people=[world.alice, world.bob])
    services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso, level=2,
                                  name="Heads of function", days_allowed=7, people=[world.bob])
    level = EscalationLevel.objects.get(partnership=world.acme_contoso, level=2)
    assert (level.name, level.days_allowed, list(level.people.all())) == (
        "Heads of function", 7, [world.bob])


def test_viewers_read_the_plan_but_cannot_change_it(world, login):
    client = login(world.vera)
    assert client.get(reverse("partnership:communication_detail",
                              args=[world.acme_contoso.pk])).status_code == 200
    assert client.post(reverse("partnership:communicationplan_edit",
                               args=[world.acme_contoso.pk]),
                       {"ground_rules": "x"}).status_code == 403


def test_api_sets_contacts_and_levels(world):
    client = APIClient()
    client.force_authenticate(world.bob)
    response = client.post("/api/v1/points-of-contact/", {
        "partnership": world.acme_contoso.pk, "function": "supply", "primary": world.bob.pk},
        format="json")
    assert response.status_code == 201 and response.json()["party"] == "cdmo"
    response = client.post("/api/v1/escalation-levels/", {
        "partnership": world.acme_contoso.pk, "level": 3, "name": "Steering committee",
        "days_allowed": 10, "people": [world.bob.pk, world.alice.pk]}, format="json")
    assert response.status_code == 201
    response = client.post("/api/v1/escalation-levels/", {
        "partnership": world.acme_contoso.pk, "level": 4, "name": "X", "days_allowed": 1,
        "people": [world.dave.pk]}, format="json")
    assert response.status_code == 400 and "people" in response.json()


def told(kind="communication_changed") -> dict[str, list[str]]:
    """{first name: [body, …]} of the notifications of `kind` so far."""
    found: dict[str, list[str]] = {}
    for first_name, body in Notification.objects.filter(kind=kind).order_by("pk").values_list(
            "recipient__first_name", "body"):
        found.setdefault(first_name, []).append(body)
    return found


@pytest.fixture
def steering(world):
    """Level 3, set up by Acme with a steering member of each side."""
    return services.escalation_level_set(
        actor=world.alice, partnership=world.acme_contoso, level=3, name="Steering committee",
        days_allowed=10, people=[world.alice, world.bob])


def test_each_party_changes_only_its_own_people_at_a_level(world, login, steering):
    """Contoso took Acme's steering member off level 3 and stretched the wait to 90 days."""
    client = APIClient()
    client.force_authenticate(world.bob)
    body = {"partnership": world.acme_contoso.pk, "level": 3, "name": "Steering committee",
            "days_allowed": 90}
    response = client.post("/api/v1/escalation-levels/", {**body, "people": [world.bob.pk]},
                           format="json")
    assert response.status_code == 400
    assert response.json()["people"] == [
        "Only the sponsor changes its own people at this level: keep Alice Acmeson."]
    page = login(world.bob).post(
        reverse("partnership:escalationlevel_set", args=[world.acme_contoso.pk]),
        {**body, "people": [world.bob.pk]})
    assert page.status_code == 200 and "Only the sponsor" in str(page.context["form"].errors)
    steering.refresh_from_db()
    assert (steering.days_allowed, set(steering.people.all())) == (10, {world.alice,
                                                                       world.bob})
    ravi = MembershipFactory(partnership=world.acme_contoso, user__organization=world.contoso,
                             user__first_name="Ravi").user
    with pytest.raises(ValidationError, match="Only the CDMO changes its own people"):
        services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso,
                                      level=3, name="Steering", days_allowed=10,
                                      people=[world.alice, ravi])
    # Its own people, and the level's name and wait, are Contoso's to change too.
    response = client.post("/api/v1/escalation-levels/", {
        **body, "people": [world.alice.pk, ravi.pk]}, format="json")
    assert response.status_code == 201
    steering.refresh_from_db()
    assert (steering.days_allowed, set(steering.people.all())) == (90, {world.alice, ravi})
    # While a level has nobody of the other party, either party may propose someone.
    services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso, level=1,
                                  name="Project leads", days_allowed=5,
                                  people=[world.alice, world.bob])
    with pytest.raises(ValidationError, match="keep Bob Contososon"):
        services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso,
                                      level=1, name="Project leads", days_allowed=5,
                                      people=[world.alice, ravi])
    # Someone who has left the partnership since may be dropped by either party.
    Membership.objects.filter(partnership=world.acme_contoso, user=ravi).delete()
    services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso, level=3,
                                  name="Steering committee", days_allowed=90,
                                  people=[world.alice])


def test_changing_the_path_tells_the_other_partys_leads(world, steering):
    lou = MembershipFactory(partnership=world.acme_contoso, user__organization=world.contoso,
                            user__first_name="Lou", role=Membership.Role.LEAD).user
    assert told() == {"Bob": ["New level 3: Steering committee, 10 days before it moves up, "
                              "people: Alice Acmeson, Bob Contososon"]}  # no lead then
    services.escalation_level_set(actor=world.bob, partnership=world.acme_contoso, level=3,
                                  name="Steering committee", days_allowed=90,
                                  people=[world.alice, world.bob, lou])
    services.escalation_level_set(actor=world.bob, partnership=world.acme_contoso, level=3,
                                  name="Steering committee", days_allowed=90,
                                  people=[world.alice, world.bob, lou])  # no change
    changes = told()
    assert set(changes) == {"Bob", "Alice"}  # Acme's lead; not Vera (a viewer), not Contoso
    assert changes["Alice"] == [
        "Days before it moves up: 10 → 90\n"
        f"People: Alice Acmeson, Bob Contososon → Alice Acmeson, Bob Contososon, {lou}"]
    notice = Notification.objects.get(kind="communication_changed", recipient=world.alice)
    assert "Bob" in notice.title and "level 3 of the escalation path" in notice.title
    assert notice.url == reverse("partnership:communication_detail",
                                 args=[world.acme_contoso.pk])
    services.escalation_level_set(actor=world.alice, partnership=world.acme_contoso, level=3,
                                  name="Steering board", days_allowed=90,
                                  people=[world.alice, world.bob, lou])
    assert told()["Lou"] == ["Name: Steering committee → Steering board"]


def test_changing_the_plan_tells_the_other_partys_leads(world, login):
    url = reverse("partnership:communicationplan_edit", args=[world.acme_contoso.pk])
    assert login(world.bob).post(url, {"ground_rules": "Answer within a week.",
                                       "meeting_cadence": ""}).status_code == 302
    assert told() == {"Alice": [
        "Ground rules: “Acme–Contoso supply agreement rules” → “Answer within a week.”"]}
    client = APIClient()
    client.force_authenticate(world.alice)
    assert client.post("/api/v1/communication-plans/", {
        "partnership": world.acme_contoso.pk, "ground_rules": "Answer within a week.",
        "meeting_cadence": "Weekly on Tuesdays"}, format="json").status_code == 201
    assert told()["Bob"] == ["Meeting cadence: (none) → “Weekly on Tuesdays”"]
    services.communication_plan_update(actor=world.alice, partnership=world.acme_contoso,
                                       ground_rules="Answer within a week.",
                                       meeting_cadence="Weekly on Tuesdays")  # no change
    assert sum(len(bodies) for bodies in told().values()) == 2
