"""The REST API under /api/v1/: shapes, authentication, writes through services."""

import pytest
from rest_framework.test import APIClient

from partnership.accounts.services import api_token_create
from partnership.models import Program


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def api(user=None, token=False) -> APIClient:
    client = APIClient()
    if user and token:
        _token, key = api_token_create(actor=user, name="Tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif user:
        client.force_authenticate(user)
    return client


def test_root_lists_every_resource(world):
    body = api(world.bob).get("/api/v1/").json()
    assert set(body) >= {"organizations", "sites", "partnerships", "memberships", "people",
                         "programs"}


def test_anonymous_calls_are_refused(world):
    assert api().get("/api/v1/programs/").status_code in (401, 403)


def test_token_authentication_and_paginated_lists(world):
    response = api(world.bob, token=True).get("/api/v1/programs/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = {row["code"]: row for row in body["results"]}
    assert "ACM-1" in rows and "ACM-9" not in rows  # not Acme's internal program
    assert rows["ACM-1"]["partnership"] == world.acme_contoso.pk
    assert rows["ACM-1"]["id"] == world.acme_program.pk


def test_partnership_filter_narrows_but_never_widens(world):
    client = api(world.alice)
    labcorp = client.get(f"/api/v1/programs/?partnership={world.acme_labcorp.pk}").json()
    assert {row["partnership"] for row in labcorp["results"]} == {world.acme_labcorp.pk}
    assert client.get(f"/api/v1/programs/?partnership={world.globex_contoso.pk}").json()[
        "count"] == 0
    assert client.get(f"/api/v1/memberships/?partnership={world.acme_contoso.pk}").json()[
        "count"] == 3


def test_create_a_program(world):
    response = api(world.alice).post("/api/v1/programs/", {
        "partnership": world.acme_contoso.pk, "code": "ACM-5", "name": "Apimab",
        "modality": "biologic", "phase": "phase_1"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["partnership"] == world.acme_contoso.pk
    assert Program.objects.get(code="ACM-5").created_by == world.alice


def test_bad_program_gets_field_errors_and_nothing_is_saved(world):
    client = api(world.alice)
    response = client.post("/api/v1/programs/", {
        "partnership": world.acme_contoso.pk, "code": "ACM-1", "name": "Dup",
        "modality": "biologic", "phase": "phase_1"}, format="json")
    assert response.status_code == 400 and "__all__" in response.json()
    response = client.post("/api/v1/programs/", {"partnership": world.acme_contoso.pk},
                           format="json")
    assert response.status_code == 400 and {"code", "name", "phase"} <= set(response.json())
    assert not Program.objects.filter(name="Dup").exists()


def test_foreign_partnership_in_the_body_looks_like_a_missing_one(world):
    body = {"code": "GLX-9", "name": "X", "modality": "biologic", "phase": "phase_1"}
    foreign = api(world.alice).post(
        "/api/v1/programs/", {**body, "partnership": world.globex_contoso.pk}, format="json")
    missing = api(world.alice).post(
        "/api/v1/programs/", {**body, "partnership": 999999}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["partnership"][0].replace(str(world.globex_contoso.pk), "N") == \
        missing.json()["partnership"][0].replace("999999", "N")


def test_cdmo_and_viewers_cannot_write_programs(world):
    body = {"partnership": world.acme_contoso.pk, "code": "X-2", "name": "X",
            "modality": "biologic", "phase": "phase_1"}
    assert api(world.bob).post("/api/v1/programs/", body, format="json").status_code == 403
    assert api(world.vera).post("/api/v1/programs/", body, format="json").status_code == 403
    response = api(world.bob).patch(f"/api/v1/programs/{world.acme_program.pk}/",
                                    {"name": "Renamed"}, format="json")
    assert response.status_code == 403


def test_sponsor_updates_a_program(world):
    response = api(world.alice).patch(f"/api/v1/programs/{world.acme_program.pk}/",
                                      {"phase": "phase_3"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "phase_3"


def test_schema_and_docs_are_served_locally(world, login):
    client = login(world.bob)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/programs/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
