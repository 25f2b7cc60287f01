"""Signing in (OWASP ASVS 5.0 level 2, 21 CFR Part 11 §11.300): Argon2, password rules with
the offline breached-password list, locks after failed log-ins and their unlock, the
password reset's limits, and sessions (idle expiry, a new key at log-in)."""

import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import portal.settings as configured

LOGIN = "/account/login/"
SETTINGS_FILE = Path(configured.__file__)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def log_in(client, email, password, address="127.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password},
                       REMOTE_ADDR=address)


def test_argon2_comes_first_and_an_older_hash_is_upgraded_at_log_in(world, client, password,
                                                                    settings):
    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    world.bob.password = make_password(password, hasher="pbkdf2_sha256")
    world.bob.save(update_fields=["password"])
    assert log_in(client, world.bob.email, password).status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.password.startswith("argon2$argon2id$")


@pytest.mark.parametrize(("candidate", "code"), [
    ("Sh0rt-pass!", "password_too_short"),
    ("manchesterunited1", "password_breached"),  # leaked, but not in Django's 20,000
    ("password123456", "password_too_common"),
    ("839201746352981", "password_entirely_numeric"),
    ("bob.contoso.test", "password_too_similar"),
])
def test_weak_passwords_are_refused_with_the_reason(world, candidate, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(candidate, user=world.bob)
    assert code in {error.code for error in refused.value.error_list}


def test_a_strong_passphrase_passes(world):
    validate_password("walnut-harbour-quietly-47", user=world.bob)


def test_the_password_change_page_names_a_breached_password(world, login, password):
    response = login(world.bob).post(reverse("password_change"), {
        "old_password": password, "new_password1": "manchesterunited1",
        "new_password2": "manchesterunited1"})
    assert response.status_code == 200
    assert "leaked from other websites" in response.content.decode()


def test_31_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused_clearly(
        world, client, password):
    for attempt in range(31):
        response = log_in(client, world.bob.email, f"not-the-password-{attempt}")
        assert response.status_code in (200, 429)
    assert response.status_code == 429
    for address in ("127.0.0.1", "198.51.100.7"):  # the account, from any address
        response = log_in(Client(), world.bob.email, password, address=address)
        assert response.status_code == 429
        text = response.content.decode()
        assert "Log-in is locked for now" in text and "Try again after" in text
        assert "ask your organization's admin to unlock your account" in text
    assert "_auth_user_id" not in client.session
    # The lock is recorded: django-axes's attempts and its log of each failure.
    assert AccessAttempt.objects.get(username=world.bob.email,
                                     ip_address="127.0.0.1").failures_since_start == 32
    assert AccessFailureLog.objects.filter(username=world.bob.email).count() >= 10


def test_changing_the_case_of_the_address_does_not_dodge_the_lock(world, client, password):
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, world.bob.email.upper() if attempt % 2 else world.bob.email,
               "wrong-password-x", address="198.51.100.20")
    assert log_in(Client(), world.bob.email, password,
                  address="198.51.100.21").status_code == 429


def test_one_address_trying_many_accounts_is_locked_but_not_the_accounts(world, password):
    prober = Client()
    for number in range(django_settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(prober, f"someone{number}@contoso.test", "guess-guess-1", address="203.0.113.9")
    assert log_in(prober, world.bob.email, password, address="203.0.113.9").status_code == 429
    assert log_in(Client(), world.bob.email, password,
                  address="203.0.113.10").status_code == 302


def _lock(user):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(Client(), user.email, "wrong-password-y", address="192.0.2.44")


def test_the_organization_admin_sees_the_lock_and_unlocks(world, login, password):
    _lock(world.bob)
    admin = login(world.olga)
    page = admin.get(reverse("partnership:organization_detail")).content.decode()
    assert "Locked" in page and reverse("partnership:person_unlock", args=[world.bob.pk]) in page
    url = reverse("partnership:person_unlock", args=[world.bob.pk])
    assert "Unlock" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    assert log_in(Client(), world.bob.email, password, address="192.0.2.44").status_code == 302


def test_only_an_admin_of_their_organization_unlocks(world, login):
    _lock(world.bob)
    url = reverse("partnership:person_unlock", args=[world.bob.pk])
    assert login(world.carol).post(url).status_code == 403  # a colleague, not an admin
    assert login(world.alice).post(url).status_code == 403  # another organization
    assert AccessAttempt.objects.filter(username=world.bob.email).exists()


def test_an_operator_unlocks_in_the_django_admin(world, login, password):
    from tests.factories import UserFactory

    _lock(world.bob)
    operator = login(UserFactory(is_staff=True, is_superuser=True, organization=None))
    response = operator.post(reverse("admin:partnership_user_changelist"), {
        "action": "unlock", "_selected_action": [world.bob.pk]})
    assert response.status_code == 302
    assert log_in(Client(), world.bob.email, password, address="192.0.2.44").status_code == 302


@pytest.fixture
def reset_limits():
    """The reset limits live in the cache (Redis): start each test with none counted."""
    def clear(*keys):
        cache.delete_many([f"throttle:password-reset:{key}" for key in keys])
    return clear


def test_password_reset_is_limited_per_email_without_saying_so(world, client, reset_limits):
    reset_limits("ip:192.0.2.80", f"email:{world.bob.email}")
    answers = [client.post(reverse("password_reset"), {"email": world.bob.email},
                           REMOTE_ADDR="192.0.2.80") for _ in range(5)]
    assert {answer.status_code for answer in answers} == {302}  # the same answer each time
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_address(world, client, reset_limits):
    reset_limits("ip:192.0.2.81", *(f"email:nobody{n}@contoso.test" for n in range(11)))
    for number in range(10):
        assert client.post(reverse("password_reset"), {"email": f"nobody{number}@contoso.test"},
                           REMOTE_ADDR="192.0.2.81").status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "nobody10@contoso.test"},
                          REMOTE_ADDR="192.0.2.81")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()


def test_sessions_expire_after_15_idle_minutes_unless_configured(monkeypatch):
    monkeypatch.delenv("SESSION_IDLE_MINUTES", raising=False)
    assert runpy.run_path(str(SETTINGS_FILE))["SESSION_COOKIE_AGE"] == 15 * 60
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "60")
    assert runpy.run_path(str(SETTINGS_FILE))["SESSION_COOKIE_AGE"] == 60 * 60
    assert configured.SESSION_SAVE_EVERY_REQUEST  # each request starts the idle time again


def test_activity_pushes_the_expiry_forward_at_most_once_a_minute(world, client, password):
    """A request saves the session (a database write) only when the last save is a minute
    old or more: the session so never lasts longer than the idle time after the last
    request, and most requests write nothing."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from portal.middleware import SessionMiddleware

    assert log_in(client, world.bob.email, password).status_code == 302
    page = reverse("partnership:partnership_list")
    assert "sessionid" not in client.get(page).cookies  # saved at log-in, a moment ago
    session = client.session
    session[SessionMiddleware.SAVED_AT] -= SessionMiddleware.REFRESH_SECONDS
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    answer = client.get(page)
    assert answer.status_code == 200 and "sessionid" in answer.cookies  # pushed forward
    after = Session.objects.get(session_key=session.session_key).expire_date
    assert before <= after <= timezone.now() + django_settings.SESSION_COOKIE_AGE * \
        timezone.timedelta(seconds=1)
    assert "sessionid" not in client.get(page).cookies  # and not again within the minute


def test_log_in_gives_a_new_session_key(world, client, password):
    session = client.session
    session["before"] = "anonymous"
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    assert log_in(client, world.bob.email, password).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not type(session)().exists(before)
    assert client.get(reverse("partnership:partnership_list")).status_code == 200


def test_ones_own_good_log_in_between_guesses_does_not_reset_the_count_against_another(
        world, password, settings):
    """An attacker with an account of their own, guessing Bob's password from one address,
    logs in as themselves between rounds of guesses: Bob's account still locks."""
    limit = django_settings.AXES_FAILURE_LIMIT
    guesses = 0
    while guesses < 2 * limit:
        for _ in range(limit - 1):
            log_in(Client(), world.bob.email, f"guess-{guesses}", address="192.0.2.90")
            guesses += 1
        log_in(Client(), world.alice.email, password, address="192.0.2.90")
    assert log_in(Client(), world.bob.email, password, address="192.0.2.92").status_code == 429
