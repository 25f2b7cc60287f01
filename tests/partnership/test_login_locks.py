"""Locks after failed log-ins, as an office meets them: one account's wrong passwords lock
that account only, not the colleagues behind the same address; one address is locked only
after many failures across accounts (password spraying); each lock and unlock is in the
audit trail on the person, with who unlocked it."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnership.models import User, UserEvent
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

LOGIN = "/account/login/"
OFFICE = "192.0.2.60"  # one NAT address for a whole office


def log_in(email, password, address=OFFICE):
    return Client().post(LOGIN, {"username": email, "password": password},
                         REMOTE_ADDR=address)


def test_wrong_passwords_lock_the_account_but_not_colleagues_behind_the_same_address(
        world, password):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(world.bob.email, f"typo-{attempt}-not-it")
    assert log_in(world.bob.email, password).status_code == 429
    assert log_in(world.bob.email, password, address="198.51.100.61").status_code == 429
    # Colleagues in the same office, the admin who could unlock bob included, still log in.
    assert log_in(world.carol.email, password).status_code == 302
    assert log_in(world.olga.email, password).status_code == 302


def test_many_failures_from_one_address_across_accounts_lock_the_address(world, password):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.LOGIN_FAILURE_LIMIT
    sprayer = "203.0.113.61"
    per_account = settings.LOGIN_FAILURE_LIMIT - 1  # never enough to lock one account
    for number in range(limit - 1):
        log_in(f"person{number // per_account}@spray.test", "Summer2026!", address=sprayer)
    assert log_in(world.bob.email, password, address=sprayer).status_code == 302
    log_in("one-more@spray.test", "Summer2026!", address=sprayer)
    assert log_in(world.bob.email, password, address=sprayer).status_code == 429
    # Only that address: bob from elsewhere, and no account was locked.
    assert log_in(world.bob.email, password, address="203.0.113.62").status_code == 302
    assert not User.objects.exclude(login_locked_at=None).exists()


def _bob_events(world):
    return list(UserEvent.objects.filter(pgh_obj_id=world.bob.pk).order_by("pgh_id"))


def test_the_lock_and_the_unlock_are_in_the_trail_with_who_unlocked(world, login, password):
    before = len(_bob_events(world))
    for attempt in range(settings.LOGIN_FAILURE_LIMIT + 3):  # more tries: one lock recorded
        log_in(world.bob.email, f"typo-{attempt}-not-it")
    events = _bob_events(world)[before:]
    assert len(events) == 1
    locked = events[0]
    assert locked.login_locked_at is not None
    assert locked.pgh_context["door"] == "page" and not locked.pgh_context.get("user")
    assert "wrong passwords" in locked.pgh_context["reason"]

    assert login(world.olga).post(
        reverse("partnership:person_unlock", args=[world.bob.pk])).status_code == 302
    unlocked = _bob_events(world)[-1]
    assert unlocked.login_locked_at is None
    assert unlocked.pgh_context["user"] == world.olga.pk
    assert log_in(world.bob.email, password).status_code == 302

    # The person's history, as their admin reads it, names both.
    history = api(world.olga).get(f"/api/v1/people/{world.bob.pk}/history/").json()
    changes = [(entry["person"], change["field"], change["old"], change["new"])
               for entry in history["results"] for change in entry["changes"]]
    assert any(person == str(world.olga) and field == "Log-in locked at" and new == "—"
               for person, field, _old, new in changes)
    assert any(person == "the portal" and field == "Log-in locked at" and old == "—"
               for person, field, old, _new in changes)


def test_an_operator_unlock_is_recorded_too(world, login):
    from tests.factories import UserFactory

    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(world.bob.email, f"typo-{attempt}-not-it")
    operator = UserFactory(is_staff=True, is_superuser=True, organization=None)
    login(operator).post(reverse("admin:partnership_user_changelist"), {
        "action": "unlock", "_selected_action": [world.bob.pk]})
    unlocked = _bob_events(world)[-1]
    assert unlocked.login_locked_at is None
    assert unlocked.pgh_context["user"] == operator.pk
    assert unlocked.pgh_context["door"] == "admin"


def test_a_name_that_is_no_account_locks_the_same_and_writes_nothing(world):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in("nobody@contoso.test", f"typo-{attempt}-not-it")
    assert response.status_code == 429
    assert not User.objects.exclude(login_locked_at=None).exists()


def test_the_organization_page_says_since_when_an_account_is_locked(world, login):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(world.bob.email, f"typo-{attempt}-not-it")
    page = login(world.olga).get(reverse("partnership:organization_detail")).content.decode()
    assert "Locked</span> <span class=\"small\">since" in page


def test_the_locked_page_gives_the_time_in_utc_and_in_minutes_whatever_the_servers_zone(
        world, settings):
    import datetime
    import re

    from django.utils import timezone

    settings.TIME_ZONE = "America/New_York"
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(world.bob.email, f"typo-{attempt}-not-it")
    assert response.status_code == 429
    text = response.content.decode()
    shown = re.search(r"Try again after (\d\d:\d\d) UTC", text)
    assert shown, text
    expected = timezone.now().astimezone(datetime.UTC) + settings.AXES_COOLOFF_TIME
    assert abs(datetime.datetime.combine(expected.date(), datetime.time.fromisoformat(
        shown.group(1)), tzinfo=datetime.UTC) - expected) < datetime.timedelta(minutes=2)
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    assert f"in {minutes} minutes" in text
    assert re.search(r'data-local-time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*\+00:00"', text)
    # The same words for an address that is no account: nothing tells them apart.
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        other = log_in("nobody@contoso.test", f"typo-{attempt}-not-it", address="192.0.2.61")
    def words(page):
        alert = re.search(r'data-testid="locked">(.*?)</div>', page, re.S).group(1)
        return re.sub(r"\d", "0", alert)
    assert words(other.content.decode()) == words(text)
