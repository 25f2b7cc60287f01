"""Bad input at the bounded doors (bounded choices, bounded pages): a 4xx or the
page without the input, never a 500 (tests/isolation: found by attacking them)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import ActionItem
from portal.pagination import BoundedPaginator

pytestmark = pytest.mark.django_db

LISTS = [("governance:actionitem_list", "meeting"), ("governance:deviation_list", "batch")]


@pytest.mark.parametrize(("name", "field"), LISTS)
@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "1\x00"])
def test_a_chosen_record_that_is_no_number_is_refused_not_a_500(world, login, name, field,
                                                                value):
    url = reverse(name, args=[world.acme_contoso.pk])
    client = login(world.alice)
    assert client.get(url, {field: value}).status_code == 200
    assert client.get(url, {"choices_of": field, field: value}).status_code == 200
    api = APIClient()
    api.force_authenticate(world.alice)
    assert api.get("/api/v1/action-items/", {"meeting": value}).status_code in {200, 400}


@pytest.mark.parametrize(("name", "field"), LISTS)
def test_a_nul_in_the_choices_search_is_dropped_not_a_500(world, login, name, field):
    url = reverse(name, args=[world.acme_contoso.pk])
    client = login(world.alice)
    for params in ({f"{field}_q": "a\x00b"}, {"choices_of": field, f"{field}_q": "\x00"}):
        assert client.get(url, params).status_code == 200


@pytest.fixture
def past_the_count(world, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "count_limit", 3)
    ActionItem.objects.bulk_create(
        ActionItem(partnership=world.acme_contoso, author_organization=world.acme,
                   title=f"Bulk action {n}", owner=world.alice,
                   due_date=datetime.date(2026, 6, 1)) for n in range(6))


@pytest.mark.parametrize("page", [str(2**63), "10" + "0" * 19, str(2**62)])
def test_a_page_past_any_table_is_a_404_not_a_500(world, login, past_the_count, page):
    """Past the count's limit, pages are read with OFFSET: one past a bigint was a 500."""
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    assert login(world.alice).get(url, {"page": page}).status_code == 404
    api = APIClient()
    api.force_authenticate(world.alice)
    for path in ("/api/v1/action-items/", "/api/v1/requests/"):
        assert api.get(path, {"page": page}).status_code == 404
    assert "More than 3 in all" in login(world.alice).get(url).content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_record_named_in_a_create_form_url_that_is_no_number_is_ignored(world, login, value):
    """?batch= (a deviation opened from its lot), ?deviation= / ?finding= (a CAPA raised
    from them) took anything str.isdigit() accepts, and int() or the database refused it."""
    deviation = reverse("governance:deviation_create", args=[world.acme_contoso.pk])
    capa = reverse("governance:capa_create", args=[world.acme_contoso.pk])
    for user, url, param in [(world.bob, deviation, "batch"), (world.alice, capa, "deviation"),
                             (world.alice, capa, "finding")]:
        assert login(user).get(url, {param: value}).status_code in {200, 403}, (url, param)


@pytest.mark.parametrize("value", ["²", "9" * 5000, "1\x00"])
def test_revoking_a_token_that_is_no_number_is_a_404(world, login, value):
    assert login(world.alice).post("/account/tokens/revoke/", {"token": value}
                                   ).status_code == 404


def test_parse_id_takes_ascii_digits_of_a_bigint_only():
    from portal.validation import MAX_ID, parse_id

    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for text in (None, "", "0", "-1", "²", "٣", "1\x00", str(MAX_ID + 1), "9" * 5000):
        assert parse_id(text) is None, text
