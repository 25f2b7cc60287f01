"""Two-factor sign-in (TOTP, django-otp): enrolment from the profile page with a QR code,
log-in's second step, backup codes, an organization that requires it, and its reset."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from partnership.accounts import services
from partnership.accounts.services import api_token_create

SETUP = reverse("partnership:two_factor_setup")
VERIFY = reverse("partnership:two_factor_verify")
HOME = reverse("partnership:partnership_list")


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def code_of(device, steps_ahead=0) -> str:
    """What the person's app shows now (or `steps_ahead` periods of 30 s later: a code is
    accepted once, so a second one in the same test is the next period's)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrol(user) -> list[str]:
    device = services.two_factor_begin(actor=user)
    _device, codes = services.two_factor_confirm(actor=user, device=device,
                                                 code=code_of(device))
    user.refresh_from_db()
    return codes


def test_a_person_enrols_from_the_profile_page(world, login, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code first, then the right one at once
    client = login(world.bob)
    profile = client.get(reverse("partnership:profile")).content.decode()
    assert "Set up two-factor sign-in" in profile and SETUP in profile
    # Nothing is made on a GET (not the bare letters "QR": a CSRF token may hold them).
    assert 'data-testid="qr"' not in client.get(SETUP).content.decode()
    assert client.post(SETUP, {"start": "1"}).status_code == 302
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and 'data-testid="secret"' in page
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)

    wrong = client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    world.bob.refresh_from_db()
    assert not world.bob.two_factor_enabled

    done = client.post(SETUP, {"code": code_of(device, 1)})
    assert done.status_code == 200 and "Two-factor sign-in is on" in done.content.decode()
    assert StaticToken.objects.filter(device__user=world.bob).count() == 10
    world.bob.refresh_from_db()
    assert world.bob.two_factor_enabled
    assert client.get(HOME).status_code == 200  # this session counts as verified


def test_log_in_asks_for_the_code_before_anything_else(world, client, password):
    enrol(world.bob)
    device = TOTPDevice.objects.get(user=world.bob)
    response = client.post("/account/login/", {"username": world.bob.email,
                                               "password": password})
    assert response.status_code == 302
    blocked = client.get(reverse("governance:my_work"))
    assert blocked.status_code == 302 and blocked.url.startswith(VERIFY)
    assert client.get("/api/v1/programs/").status_code == 403
    key_before = client.session.session_key
    page = client.get(VERIFY).content.decode()
    assert "My work" not in page and "Log out" in page  # no menu before the code

    wrong = client.post(VERIFY, {"code": "12345x", "next": reverse("governance:my_work")})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    right = client.post(VERIFY, {"code": code_of(device, 1),
                                 "next": reverse("governance:my_work")})
    assert right.status_code == 302 and right.url == reverse("governance:my_work")
    assert client.session.session_key != key_before
    assert client.get(reverse("governance:my_work")).status_code == 200


def test_a_backup_code_signs_in_once(world, login):
    codes = enrol(world.bob)
    first, second = login(world.bob), login(world.bob)  # sessions not yet verified
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get(HOME).status_code == 200
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200  # used up
    assert StaticToken.objects.filter(device__user=world.bob).count() == 9


def test_wrong_codes_slow_down_the_next_try(world, login, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    enrol(world.bob)
    device = TOTPDevice.objects.get(user=world.bob)
    client = login(world.bob)
    client.post(VERIFY, {"code": "000001"})
    refused = client.post(VERIFY, {"code": code_of(device, 1)})  # right, but too soon
    text = refused.content.decode()
    assert refused.status_code == 200 and "codes are not checked for a moment: wait" in text
    assert "not right" not in text  # it was right: it was not checked


def test_an_organization_admin_makes_two_factor_mandatory(world, login):
    bob = login(world.bob)
    token_key = api_token_create(actor=world.bob, name="LIMS")[1]
    admin = login(world.olga)
    page = admin.get(reverse("partnership:organization_detail")).content.decode()
    assert "must use two-factor sign-in" in page
    assert admin.post(reverse("partnership:organization_two_factor"),
                      {"required": "on"}).status_code == 302
    world.contoso.refresh_from_db()
    assert world.contoso.require_two_factor

    sent = bob.get(reverse("governance:my_work"))
    assert sent.status_code == 302 and sent.url.startswith(SETUP)
    assert "requires two-factor sign-in" in bob.get(SETUP).content.decode()
    htmx = bob.post(reverse("partnership:apitoken_create"), {"name": "x", "days": "30"},
                    HTTP_HX_REQUEST="true")
    assert htmx.headers.get("HX-Redirect", "").startswith(SETUP)
    assert bob.get(reverse("portal:notification_bell"), HTTP_HX_REQUEST="true").status_code \
        == 204  # the bell's poll does not move the person off the set-up page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    refused = api.get("/api/v1/programs/")
    assert refused.status_code in (401, 403) and "two-factor" in refused.json()["detail"]

    bob.post(SETUP, {"start": "1"})
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    assert bob.post(SETUP, {"code": code_of(device)}).status_code == 200
    assert bob.get(reverse("governance:my_work")).status_code == 200
    assert api.get("/api/v1/programs/").status_code == 200
    # Required, so it stays on.
    bob.post(reverse("partnership:two_factor_disable"), {"code": code_of(device, 1)})
    world.bob.refresh_from_db()
    assert world.bob.two_factor_enabled


def test_only_organization_admins_set_the_rule(world, login):
    assert login(world.bob).post(reverse("partnership:organization_two_factor"),
                                 {"required": "on"}).status_code == 403
    world.contoso.refresh_from_db()
    assert not world.contoso.require_two_factor


def test_a_person_turns_two_factor_off_with_a_current_code(world, login):
    enrol(world.bob)
    device = TOTPDevice.objects.get(user=world.bob)
    client = login(world.bob)
    client.post(VERIFY, {"code": code_of(device, 1)})
    client.post(reverse("partnership:two_factor_disable"), {"code": "999999x"})
    world.bob.refresh_from_db()
    assert world.bob.two_factor_enabled
    client.post(reverse("partnership:two_factor_disable"), {"code": code_of(device, 2)})
    world.bob.refresh_from_db()
    assert not world.bob.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=world.bob).exists()


def test_the_organization_admin_resets_a_lost_phone(world, login):
    codes = enrol(world.bob)
    bob = login(world.bob)
    bob.post(VERIFY, {"code": codes[0]})
    assert bob.get(HOME).status_code == 200
    url = reverse("partnership:person_two_factor_reset", args=[world.bob.pk])
    admin = login(world.olga)
    assert url in admin.get(reverse("partnership:organization_detail")).content.decode()
    assert login(world.carol).post(url).status_code == 403
    assert admin.post(url).status_code == 302
    world.bob.refresh_from_db()
    assert not world.bob.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=world.bob).exists()
    assert not StaticToken.objects.filter(device__user=world.bob).exists()
    assert bob.get(HOME).status_code == 302  # the session on the lost phone has ended


@pytest.mark.parametrize("name", ["partnership:person_two_factor_reset",
                                  "partnership:person_deactivate"])
def test_an_admin_of_another_organization_gets_nothing(world, login, name):
    from tests.factories import UserFactory

    other_admin = UserFactory(organization=world.acme, is_org_admin=True)
    response = login(other_admin).post(reverse(name, args=[world.bob.pk]))
    assert response.status_code == 404
    world.bob.refresh_from_db()
    assert world.bob.is_active
