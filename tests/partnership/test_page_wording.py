"""Small faults a walk through the sign-in and signing pages found: what a form labels and
marks, when backup codes are mentioned, what saving a rule says, how zones are named."""

import re

import pytest
from django.contrib.auth.models import update_last_login
from django.urls import reverse

from tests.partnership.test_signatures import sign_url


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_the_sign_dialog_shows_its_event_as_text_and_marks_what_is_required(
        world, login, contract):  # noqa: F811
    page = login(world.alice).get(sign_url(contract), HTTP_HX_REQUEST="true").content.decode()
    assert ">Event<" not in page and 'for="id_event"' not in page
    assert 'type="hidden" name="event"' in page
    assert "contract executed" in page.split("<form", 1)[1].split("</p>", 1)[0]
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, re.S).group(1)
    assert "Meaning of my signature" in legend and 'class="text-danger">*' in legend


def test_the_profile_marks_its_required_fields(world, login):
    page = login(world.bob).get(reverse("partnership:profile")).content.decode()
    label = re.search(r'<label class="form-label" for="token-name">(.*?)</label>', page).group(1)
    assert "*" in label


def test_setting_up_two_factor_speaks_of_backup_codes_only_after_it(world, login):
    client = login(world.bob)
    client.post(reverse("partnership:two_factor_setup"), {"start": "1"})
    page = client.get(reverse("partnership:two_factor_setup")).content.decode()
    assert "QR code" in page
    assert "backup" not in page.lower()


def test_saving_the_two_factor_rule_says_so_in_view(world, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.partnership.test_two_factor import VERIFY, code_of, enrol

    enrol(world.olga)
    admin = login(world.olga)
    admin.post(VERIFY, {"code": code_of(TOTPDevice.objects.get(user=world.olga), 1)})
    response = admin.post(reverse("partnership:organization_two_factor"), {})
    assert response.status_code == 302 and "#" not in response.url
    assert "now optional" in admin.get(response.url).content.decode()


def test_the_people_table_says_never_for_who_never_signed_in(world, login):
    update_last_login(None, world.carol)
    page = login(world.olga).get(reverse("partnership:organization_detail")).content.decode()
    assert "Never signed in" in page  # bob, who never signed in
    assert "Last signed in" in page  # carol


def test_the_password_reset_names_its_field_as_the_portal_does(client):
    page = client.get(reverse("password_reset")).content.decode()
    assert "E-mail address" in page and ">Email<" not in page


def test_zones_are_named_one_way(world, login):
    client = login(world.bob)  # Europe/Zurich
    page = client.get(reverse("partnership:profile")).content.decode()
    assert re.search(r"Europe/Zurich \(CES?T\)", page)  # the menu
    assert re.search(r'<option value="Europe/Berlin"[^>]*>Europe/Berlin \(CES?T\)</option>',
                     page)
