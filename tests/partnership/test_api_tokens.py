"""Personal API tokens (kept hashed, named, with an expiry and the time last used) and what
deactivating a person ends at once: their sessions and their tokens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partnership.accounts.models import ApiToken, digest_of
from partnership.accounts.services import api_token_create
from tests.factories import UserFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def api_with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_is_made_on_the_profile_page_shown_once_and_kept_hashed(world, login):
    client = login(world.bob)
    response = client.post(reverse("partnership:apitoken_create"),
                           {"name": "LIMS export", "days": "30"})
    assert response.status_code == 302
    key = client.session["new_api_token"]
    profile = client.get(reverse("partnership:profile")).content.decode()
    assert key in profile and "LIMS export" in profile
    assert key not in client.get(reverse("partnership:profile")).content.decode()
    token = ApiToken.objects.get(user=world.bob)
    assert token.digest == digest_of(key) and key not in {token.digest, token.prefix}
    assert key.startswith(token.prefix)
    assert token.expires_at - token.created_at > datetime.timedelta(days=29)
    assert token.last_used_at is None

    assert api_with(key).get("/api/v1/programs/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "never" not in client.get(reverse("partnership:profile")).content.decode()


def test_a_token_needs_a_name_and_a_known_lifetime(world, login):
    client = login(world.bob)
    client.post(reverse("partnership:apitoken_create"), {"name": "", "days": "30"})
    client.post(reverse("partnership:apitoken_create"), {"name": "X", "days": "5000"})
    assert not ApiToken.objects.filter(user=world.bob).exists()


def test_revoked_expired_and_unknown_tokens_are_refused(world, login):
    token, key = api_token_create(actor=world.bob, name="Old script")
    client = login(world.bob)
    assert client.post(reverse("partnership:apitoken_delete"),
                       {"token": token.pk}).status_code == 302
    refused = api_with(key).get("/api/v1/programs/")
    assert refused.status_code in (401, 403) and "revoked" in refused.json()["detail"]

    expired, expired_key = api_token_create(actor=world.bob, name="Short")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_with(expired_key).get("/api/v1/programs/").status_code in (401, 403)
    assert api_with("lsk_made-up").get("/api/v1/programs/").status_code in (401, 403)


def test_nobody_revokes_another_persons_token(world, login):
    token, key = api_token_create(actor=world.alice, name="Alice's")
    assert login(world.bob).post(reverse("partnership:apitoken_delete"),
                                 {"token": token.pk}).status_code == 404
    assert login(world.bob).post(reverse("partnership:apitoken_delete"),
                                 {"token": "x"}).status_code == 404
    assert api_with(key).get("/api/v1/programs/").status_code == 200


def _signed_in_everywhere(person, login):
    browser = login(person)
    assert browser.get(reverse("partnership:partnership_list")).status_code == 200
    key = api_token_create(actor=person, name="Integration")[1]
    assert api_with(key).get("/api/v1/programs/").status_code == 200
    return browser, key


def _refused_everywhere(person, browser, key):
    response = browser.get(reverse("partnership:partnership_list"))
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    assert api_with(key).get("/api/v1/programs/").status_code in (401, 403)
    assert not ApiToken.objects.usable().filter(user=person).exists()


def test_deactivating_on_the_organization_page_ends_sessions_and_tokens_at_once(world, login):
    browser, key = _signed_in_everywhere(world.bob, login)
    admin = login(world.olga)
    url = reverse("partnership:person_deactivate", args=[world.bob.pk])
    assert "session they have open ends now" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    _refused_everywhere(world.bob, browser, key)
    # Reactivated, they sign in again, but the old session and token stay ended.
    assert admin.post(reverse("partnership:person_reactivate",
                              args=[world.bob.pk])).status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.is_active
    assert browser.get(reverse("partnership:partnership_list")).status_code == 302
    assert api_with(key).get("/api/v1/programs/").status_code in (401, 403)


def test_deactivating_in_the_django_admin_ends_sessions_and_tokens_at_once(world, login):
    browser, key = _signed_in_everywhere(world.bob, login)
    operator = login(UserFactory(is_staff=True, is_superuser=True, organization=None))
    page = operator.get(reverse("admin:partnership_user_change", args=[world.bob.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name != "password"}
    data.update(is_active="", organization=world.bob.organization_id, email=world.bob.email,
                time_zone=world.bob.time_zone, is_org_admin="", is_staff="", is_superuser="",
                last_login_0="", last_login_1="",
                date_joined_0=world.bob.date_joined.strftime("%Y-%m-%d"),
                date_joined_1=world.bob.date_joined.strftime("%H:%M:%S"))
    data.pop("last_login", None), data.pop("date_joined", None), data.pop("groups", None)
    data.pop("user_permissions", None)
    response = operator.post(reverse("admin:partnership_user_change", args=[world.bob.pk]),
                             data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.bob.refresh_from_db()
    assert not world.bob.is_active
    _refused_everywhere(world.bob, browser, key)


def test_an_admin_cannot_deactivate_themselves(world, login):
    admin = login(world.olga)
    assert admin.post(reverse("partnership:person_deactivate",
                              args=[world.olga.pk])).status_code == 302
    world.olga.refresh_from_db()
    assert world.olga.is_active
