"""Bad input everywhere: schemathesis walks every operation of the OpenAPI schema.

The document `/api/schema/` serves (one test checks it is the same) gives one test per
operation; each calls the WSGI app as a seated lead who may write (Alice, Acme–Contoso,
signed in with her session and CSRF token, as from her browser) with generated input —
valid and invalid bodies, query strings and path parameters, every other record id pointed
at a record she sees — a bounded number of examples, the same ones every run. No answer may
be a 5xx, and an answer whose status the schema documents must have its content type and
body. Writes are welcome: each operation runs in a savepoint of the module's world.

Statuses the schema leaves out (DRF's 400, 403 and 404, which drf-spectacular does not
list) are not failures here; tests/test_bad_input.py checks what those answers say.
"""

import json
import re
from functools import cache

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

EXAMPLES = 6  # per operation, valid and invalid: ~280 operations in about a minute on two cores
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
RECORD = re.compile(r"^/api/v1/(?P<resource>[\w-]+)/\{id\}/")


@pytest.fixture(scope="module")
def signed_in(module_world, django_db_blocker):
    """Alice's session and a CSRF token, as her browser would send them."""
    client = Client()
    with django_db_blocker.unblock():
        client.force_login(module_world.alice)
    token = get_random_string(32)
    return {"cookies": {settings.SESSION_COOKIE_NAME: client.cookies[
                            settings.SESSION_COOKIE_NAME].value,
                        settings.CSRF_COOKIE_NAME: token},
            "headers": {"X-CSRFToken": token}, "client": client}


def load_schema() -> schemathesis.BaseSchema:
    """The document `/api/schema/` serves (test_the_schema_is_the_one_served checks it),
    generated here because schemathesis makes one test per operation at collection, before
    any database exists; calls go to the WSGI app in this process."""
    from django.core.wsgi import get_wsgi_application

    config = schemathesis.Config.from_dict({
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True,
                       "database": "none", "with-security-parameters": False},
        # The coverage phase's hundreds of boundary cases per operation would take an hour.
        "phases": {"coverage": {"enabled": False}}})
    loaded = schemathesis.openapi.from_dict(served_document(), config=config)
    loaded.app = in_one_transaction(get_wsgi_application())
    return loaded


def in_one_transaction(app):
    """The WSGI app, minus closing the database connection after each request (what the
    test client leaves out too), so that every call runs in the test's savepoint."""
    def call(environ, start_response):
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
        try:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            for signal in (request_started, request_finished):
                signal.connect(close_old_connections)
    return call


@cache
def served_document() -> dict:
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


schema = load_schema()
known: dict[str, list[int]] = {}


@pytest.fixture(scope="module")
def seen_ids(signed_in):
    """Ids of the records Alice sees, per resource, read once through the API."""
    known.clear()

    def ids(resource: str) -> list[int]:
        if resource not in known:
            answer = signed_in["client"].get(f"/api/v1/{resource}/", {"page_size": 200})
            known[resource] = [row["id"] for row in answer.json().get("results", [])]
        return known[resource]
    return ids


@schema.hook
def map_path_parameters(context, path_parameters):
    """Every other integer id becomes one of a record Alice sees, so the fuzzing gets past
    the 404 into the record's own validation and rules."""
    match = RECORD.match(context.operation.path)
    value = (path_parameters or {}).get("id")
    if match and isinstance(value, int) and value % 2 == 0 and known.get(match["resource"]):
        ids = known[match["resource"]]
        path_parameters["id"] = ids[value // 2 % len(ids)]
    return path_parameters


@schema.parametrize()
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_breaks_the_api_or_its_schema(case, signed_in, seen_ids, db):
    if match := RECORD.match(case.operation.path):
        seen_ids(match["resource"])
    case.call_and_validate(cookies=signed_in["cookies"], headers=signed_in["headers"],
                           checks=CHECKS)


def test_the_calls_reach_the_api_as_alice(signed_in, db):
    """Else every call above would be refused (a redirect to HTTPS or to log in, a 403) and
    the checks would have nothing to look at."""
    operation = schema["/api/v1/partnerships/"]["GET"]
    response = operation.Case().call(cookies=signed_in["cookies"], headers=signed_in["headers"])
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2  # Acme–Contoso and Acme–Labcorp


def test_the_schema_is_the_one_served(signed_in, db):
    answer = signed_in["client"].get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200 and answer.json() == served_document()



@pytest.mark.parametrize("component, field", [
    ("Milestone", "slip_days"),  # not planned, or not done yet
    ("NegotiationRound", "turnaround_days"),  # not answered yet
    ("Notification", "actor_name"),  # a job's notification has no actor
])
def test_a_value_the_api_may_leave_empty_is_nullable_in_the_schema(component, field):
    assert served_document()["components"]["schemas"][component]["properties"][field][
        "nullable"] is True
