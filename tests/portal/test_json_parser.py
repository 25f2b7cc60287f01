"""The API's JSON parser (portal.parsers.JSONParser): a body Python can decode but nothing can
store or quote answers 400 as the parse error it is, for every resource, never 500."""

import json

import pytest
from django.conf import settings

from governance.models import Meeting
from portal.parsers import lone_surrogate_at
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def post_raw(user, url: str, text: str):
    """POST a JSON text as typed: the client's own encoder would refuse the surrogate."""
    return api(user).generic("POST", url, text, content_type="application/json")


def meeting(world, **fields) -> dict:
    return {"partnership": world.acme_contoso.pk, "title": "Check-in",
            "kind": "weekly_check_in", "starts_at": "2030-01-07T09:00:00Z", **fields}


@pytest.mark.parametrize(("field", "where"), [
    ("kind", "kind"),  # a choice field quoted the value in its error: a 500
    ("title", "title"),
    ("location", "location"),
])
def test_a_lone_surrogate_in_a_field_answers_400_naming_it(world, field, where):
    before = Meeting.objects.count()
    text = json.dumps(meeting(world, **{field: "\ud800"}))  # ASCII: "\\ud800"
    assert "\\ud800" in text
    response = post_raw(world.alice, "/api/v1/meetings/", text)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("JSON parse error") and f" {where} holds a lone surrogate" in detail
    assert Meeting.objects.count() == before


def test_a_lone_surrogate_deep_in_the_body_is_named_by_its_path(world):
    held = Meeting.objects.get(partnership=world.acme_contoso)
    text = json.dumps({"minutes": "Agreed", "actions": [
        {"title": "Fine", "owner": world.alice.pk, "due_date": "2030-01-07"},
        {"title": "Half \udfff", "owner": world.alice.pk, "due_date": "2030-01-07"}]})
    response = post_raw(world.alice, f"/api/v1/meetings/{held.pk}/minutes/", text)
    assert response.status_code == 400
    assert "actions[1].title holds a lone surrogate" in response.json()["detail"]


def test_a_lone_surrogate_in_a_list_or_a_key_answers_400(world):
    text = json.dumps({"partnership": world.acme_contoso.pk, "reason": "Why",
                       "after": ["First", "\ud800"]})
    response = post_raw(world.alice, "/api/v1/priority-changes/", text)
    assert response.status_code == 400 and "after[1]" in response.json()["detail"]
    response = post_raw(world.alice, "/api/v1/meetings/",
                        json.dumps({**meeting(world), "x\ud800": 1}))
    assert response.status_code == 400 and "x\\ud800" in response.json()["detail"]


def test_an_escaped_pair_is_one_character_and_welcome(world):
    text = json.dumps(meeting(world, title="Launch \U0001f680"))
    assert "\\ud83d\\ude80" in text  # JSON spells it as two halves that make a pair
    response = post_raw(world.alice, "/api/v1/meetings/", text)
    assert response.status_code == 201, response.json()
    assert Meeting.objects.get(pk=response.json()["id"]).title == "Launch \U0001f680"


def test_a_body_nested_too_deeply_answers_400(world):
    response = post_raw(world.alice, "/api/v1/meetings/", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_lone_surrogate_at_names_the_first_place_it_finds():
    assert lone_surrogate_at({"a": [1, {"b": "ok"}], "c": True, "d": None}) is None
    assert lone_surrogate_at("\ud800") == ""
    assert lone_surrogate_at({"a": [1, {"b": "x\udc00"}]}) == "a[1].b"


def test_a_body_django_refuses_before_any_view_answers_json(world):
    """A body over Django's limit of what it reads into memory (DATA_UPLOAD_MAX_MEMORY_SIZE)
    but under the upload limit is refused before any view: the API says so in JSON, as every
    other API error, not with the HTML page; nothing is saved."""
    form = {"partnership": str(world.acme_contoso.pk), "title": "x" * (
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024), "kind": "weekly_check_in"}
    before = Meeting.objects.count()
    response = api(world.alice).post("/api/v1/meetings/", form)  # multipart, as a form
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"] == "application/json"
    assert "Nothing was saved" in response.json()["detail"]
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("number", ["1e400", "-1e999", "1.5e309"])
def test_a_number_too_large_for_a_float_answers_400(world, number):
    """Python reads 1e400 as infinity: as a record's id it broke the lookup (a 500)."""
    before = Meeting.objects.count()
    text = json.dumps(meeting(world)).replace(f'"partnership": {world.acme_contoso.pk}',
                                              f'"partnership": {number}')
    assert number in text
    response = post_raw(world.alice, "/api/v1/meetings/", text)
    assert response.status_code == 400
    assert "Out of range float values are not JSON compliant" in response.json()["detail"]
    assert Meeting.objects.count() == before


def test_an_id_with_a_fraction_is_refused_not_rounded(world):
    """1.9 was looked up as 1, and the record saved in partnership 1."""
    before = Meeting.objects.count()
    response = api(world.alice).post("/api/v1/meetings/", meeting(
        world, partnership=world.acme_contoso.pk + 0.9), format="json")
    assert response.status_code == 400
    assert "Incorrect type" in " ".join(response.json()["partnership"])
    assert Meeting.objects.count() == before
    assert api(world.alice).post("/api/v1/meetings/", meeting(
        world, partnership=str(world.acme_contoso.pk)), format="json").status_code == 201
