"""The demo cast (README): each person sees exactly their partnerships, in pages and API."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.models import Membership, Partnership, Program, User

NM = "Northwind Biologics – Meridian Biomanufacturing"
NA = "Northwind Biologics – Aurora Analytical Labs"
HM = "Helix Therapeutics – Meridian Biomanufacturing"
EXPECTED = {
    "nora@northwind.example": {NM, NA},
    "quinn@northwind.example": {NM, NA},
    "sam@northwind.example": {NM, NA},
    "hana@helix.example": {HM},
    "mei@meridian.example": {NM},
    "ravi@meridian.example": {NM},
    "max@meridian.example": {HM},
    "olga@meridian.example": {NM, HM},
    "ari@aurora.example": {NA},
    "admin@lockstep.example": set(),
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_seeding_twice_changes_nothing(demo):
    counts = [User.objects.count(), Membership.objects.count(), Program.objects.count(),
              Partnership.objects.count()]
    call_command("seed_demo", verbosity=0)
    assert counts == [User.objects.count(), Membership.objects.count(),
                      Program.objects.count(), Partnership.objects.count()]


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_each_demo_user_sees_exactly_their_partnerships(demo, client, email):
    assert client.login(username=email, password="lockstep-demo")
    page = client.get(reverse("partnership:partnership_list")).content.decode()
    for name in {NM, NA, HM}:
        assert (name in page) == (name in EXPECTED[email]), f"{email} and {name}"
    api = APIClient()
    api.force_authenticate(User.objects.get(email=email))
    listed = {f"{row['sponsor']['name']} – {row['cdmo']['name']}"
              for row in api.get("/api/v1/partnerships/").json()["results"]}
    assert listed == EXPECTED[email]


def test_one_sponsors_names_never_reach_the_other(demo):
    helix = Partnership.objects.get(sponsor__name="Helix Therapeutics")
    northwind_words = {"Northwind", "Velarimab", "Torvacept", "NWB"}
    for program in Program.objects.filter(partnership=helix):
        assert not any(word in f"{program.code} {program.name} {program.description}"
                       for word in northwind_words)
    assert "Northwind" not in helix.description
