"""Communication plan: contacts with backups per function, working hours in the viewer's
zone, and the escalation path."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership import services
from partnership.models import EscalationLevel, PointOfContact
from tests.factories import MembershipFactory, SiteFactory


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
