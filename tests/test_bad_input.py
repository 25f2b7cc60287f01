"""Bad input at every door that writes: each API route that creates, updates or takes a
step, and each page form, gets dates out of range, lone surrogates and huge numbers, and
answers with an error on the field it came in, never a 500, having changed nothing.

Routes come from the API router (their bodies from the OpenAPI schema, which DRF derives
from the serializers) and pages from the isolation registry (their fields from the forms
the page renders), so a new resource or form is covered the day it is added.
"""

import json
from dataclasses import dataclass
from functools import cache

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import mixins
from rest_framework.test import APIClient

from portal.api import router
from tests.isolation.registry import API_ROUTES, SCOPED_URLS, UNSCOPED_URLS, unscoped_url
from tests.world import build_world

BAD_DATES = ("9999-12-31", "0001-01-01")
BAD_TIMES = ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z")
BAD_LOCAL_TIMES = ("9999-12-31T23:00", "0001-01-01T00:00")  # a page's datetime-local
HUGE_INTEGER = 10**30
HUGE_NUMBER = 1e308
LONE_SURROGATE = "\ud800"
# Who acts: the sponsor lead (in Shanghai, where 9999-12-31 23:00 UTC is past the end of
# time), the CDMO member (west of UTC, where year 1 begins before it) and the CDMO's
# organization admin; each route is tried by the first of them it lets write.
ACTORS = {"alice": "Asia/Shanghai", "bob": "America/New_York", "olga": "Pacific/Kiritimati"}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at its end: each test runs in a
    savepoint of it (the `db` fixture), so a request that wrongly wrote is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for name, zone in ACTORS.items():
            person = getattr(world, name)
            person.time_zone = zone
            person.save(update_fields=["time_zone"])
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db):
    return shared_world


def database_state() -> dict[str, str]:
    """A fingerprint of every row of the project's tables, in one query."""
    project = {"portal", *settings.LOCKSTEP_APPS}
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                     if model._meta.app_label in project})
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(
            f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
            f'FROM "{table}" t)' for table in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict, after: dict | None = None) -> list[str]:
    """The tables whose fingerprint differs between `before` and `after` (now, if none)."""
    after = database_state() if after is None else after
    return [table for table in before if before[table] != after[table]]


class Fingerprint:
    """database_state() kept from one try to the next: a try that changed nothing left the
    database as it found it, so the fingerprint taken after it is the next try's before
    (one fingerprint of every table a try, not two)."""

    def __init__(self):
        self._state = None

    def take(self) -> None:
        """Before a try: a fingerprint, unless the last one taken is still the database's."""
        if self._state is None:
            self._state = database_state()

    def changed(self) -> list[str]:
        """After a try: the tables it changed; the fingerprint is the database's again."""
        after = database_state()
        tables = changed_tables(self._state, after)
        self._state = after
        return tables

    def skip(self) -> None:
        """After a try not compared: the next one takes a fingerprint of its own."""
        self._state = None


def error_keys(data) -> set[str]:
    """Every key of an error body, however deep (a nested row's field errors)."""
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in error_keys(value)}
    if isinstance(data, list):
        return {key for value in data for key in error_keys(value)}
    return set()


# --- The API --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    basename: str
    name: str  # create, update, or the action's URL path
    method: str
    path: str  # as the OpenAPI schema spells it, "{id}" for the object

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def api_routes() -> list[Route]:
    """Every route of the router that takes a body: create, update, and each action."""
    routes = []
    for prefix, viewset, basename in router.registry:
        if issubclass(viewset, mixins.CreateModelMixin):
            routes.append(Route(basename, "create", "post", f"/api/v1/{prefix}/"))
        if issubclass(viewset, mixins.UpdateModelMixin):
            routes.append(Route(basename, "update", "patch", f"/api/v1/{prefix}/{{id}}/"))
        for action in viewset.get_extra_actions():
            detail = "{id}/" if action.detail else ""
            routes += [Route(basename, action.url_path, method,
                             f"/api/v1/{prefix}/{detail}{action.url_path}/")
                       for method in action.mapping if method in ("post", "put", "patch")]
    return routes


@cache
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(node: dict) -> dict:
    """A schema node with its $ref, allOf or first oneOf alternative followed."""
    while True:
        if "$ref" in node:
            node = {**openapi()["components"]["schemas"][node["$ref"].split("/")[-1]],
                    **{k: v for k, v in node.items() if k != "$ref"}}
        elif node.get("allOf") or node.get("oneOf"):
            first = (node.get("allOf") or node.get("oneOf"))[0]
            node = {**{k: v for k, v in node.items() if k not in ("allOf", "oneOf")}, **first}
        else:
            return node


def bad_values(node: dict, path: tuple) -> list[tuple[tuple, object, str]]:
    """(path in the body, bad value, kind) for every input a schema node declares."""
    node = resolve(node)
    if node.get("readOnly"):
        return []
    if node.get("type") == "array":
        return bad_values(node["items"], (*path, 0))
    if "properties" in node:
        return [case for name, child in node["properties"].items()
                for case in bad_values(child, (*path, name))]
    kind, fmt = node.get("type"), node.get("format")
    if fmt == "date":
        return [(path, value, "date") for value in BAD_DATES]
    if fmt == "date-time":
        return [(path, value, "date") for value in BAD_TIMES]
    if kind == "integer":
        return [(path, HUGE_INTEGER, "number")]
    if kind == "number" or fmt == "decimal":
        return [(path, HUGE_NUMBER, "number")]
    if kind == "string" and fmt != "binary":
        return [(path, LONE_SURROGATE, "text")]
    return []


def placed(path: tuple, value):
    """`value` at `path` ("actions", 0, "title") of an otherwise empty body."""
    for step in reversed(path):
        value = [value] if isinstance(step, int) else {step: value}
    return value


def writable(body: dict, schema: dict) -> dict:
    """The fields of a representation the request schema accepts, to start from."""
    inputs = {name for name, node in resolve(schema).get("properties", {}).items()
              if not resolve(node).get("readOnly")}
    return {name: value for name, value in body.items() if name in inputs}


def api_client(user) -> APIClient:
    """Logged in by session, so the middleware activates the user's own zone."""
    client = APIClient()
    client.force_login(user)
    return client


def target(world, route: Route) -> tuple[object, str]:
    """(actor, URL) for the route: an object of the actor's own partnership, and the
    first actor who may see it (its author's party first)."""
    if "{id}" not in route.path:
        return world.alice, route.path
    ids = API_ROUTES[route.basename](world.acme_contoso)
    for pk in ids:
        for name in ACTORS:
            user = getattr(world, name)
            detail = route.path.split("{id}")[0] + f"{pk}/"
            if api_client(user).get(detail).status_code == 200:
                return user, route.path.replace("{id}", str(pk))
    pytest.fail(f"{route}: no object of {world.acme_contoso} that alice, bob or olga sees")


@pytest.mark.parametrize("route", api_routes(), ids=str)
def test_the_api_answers_bad_input_with_field_errors_and_changes_nothing(world, route):
    operation = openapi()["paths"][route.path][route.method]
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        assert route.name not in ("create", "update"), f"{route} declares no body"
        return  # a step without a body (start, accept, read): nothing to get wrong
    actor, url = target(world, route)
    client = api_client(actor)
    as_json = "application/json" in content
    schema = content["application/json" if as_json else "multipart/form-data"]["schema"]
    baseline = {}
    if route.name == "create":  # a row of the actor's partnership, so only one field is bad
        rows = client.get(url, {"partnership": world.acme_contoso.pk}).json()
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        baseline = writable(rows[0], schema) if rows else {}
    cases = bad_values(schema, ())
    assert cases, f"{route}: a body without any field to check"
    failures, fingerprint = [], Fingerprint()
    for path, value, kind in cases:
        if kind == "text" and not as_json:
            continue  # a form-encoded body decodes bytes: it cannot carry a surrogate
        field = next(step for step in reversed(path) if isinstance(step, str))
        body = {**baseline, **placed(path, value)}
        fingerprint.take()
        if as_json:
            response = client.generic(route.method.upper(), url, json.dumps(body),
                                      content_type="application/json")
        else:
            response = getattr(client, route.method)(
                url, {key: str(item) for key, item in body.items()}, format="multipart")
        label = f"{'.'.join(map(str, path))}={value!r}"
        if not 400 <= response.status_code < 500:
            failures.append(f"{label}: {response.status_code} {response.content[:200]!r}")
            fingerprint.skip()
            continue
        if kind == "text":
            detail = response.json().get("detail", "")
            if not (detail.startswith("JSON parse error") and field in detail):
                failures.append(f"{label}: {response.content[:200]!r}")
        elif field not in error_keys(response.json()):
            failures.append(f"{label}: no error on {field}: {response.content[:300]!r}")
        if changed := fingerprint.changed():
            failures.append(f"{label}: changed {changed}")
    assert not failures, f"{route} as {actor.first_name}:\n" + "\n".join(failures)


def posted_routes() -> list[Route]:
    """The routes a POST creates a record or takes a step on: those a missing field can
    reach the service through."""
    return [route for route in api_routes() if route.method == "post"]


@pytest.mark.parametrize("route", posted_routes(), ids=str)
def test_the_api_answers_missing_fields_with_field_errors(world, route):
    """A model field with a default makes its serializer field optional; the service must
    then take that default too, or the serializer must require the field: an empty body,
    or one with only the partnership, answers 400 with the fields it lacks, and a whole
    body (an existing row's) without one optional field is taken or refused, never 500."""
    operation = openapi()["paths"][route.path][route.method]
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return  # a step without a body: nothing can be missing
    actor, url = target(world, route)
    client = api_client(actor)
    client.raise_request_exception = False  # a crash is a 500 to report, with the others
    as_json = "application/json" in content
    schema = resolve(content["application/json" if as_json else "multipart/form-data"][
        "schema"])
    fields = set(schema.get("properties", {}))
    failures = []
    for body in ({}, {"partnership": world.acme_contoso.pk}):
        before = database_state()
        response = client.post(url, body, format="json" if as_json else "multipart")
        label = f"{json.dumps(body)}: {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{label} {response.content[:200]!r}")
        elif not schema.get("required"):
            continue  # nothing is required: taking the step is a fair answer
        elif not 400 <= response.status_code < 500:
            failures.append(f"{label}, though {schema['required']} are required")
        elif not error_keys(response.json()) & fields:
            failures.append(f"{label} names no field: {response.content[:300]!r}")
        elif changed := changed_tables(before):
            failures.append(f"{label} changed {changed}")
    if route.name == "create" and as_json:
        rows = client.get(url, {"partnership": world.acme_contoso.pk}).json()
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        baseline = writable(rows[0], schema) if rows else {}
        for name in sorted(set(baseline) - set(schema.get("required", []))):
            body = {key: value for key, value in baseline.items() if key != name}
            response = client.post(url, body, format="json")
            if response.status_code >= 500:
                failures.append(f"a whole body without {name}: {response.status_code} "
                                f"{response.content[:200]!r}")
    assert not failures, f"{route} as {actor.first_name}:\n" + "\n".join(failures)


# --- The pages ------------------------------------------------------------------------------

def view_classes(resolvers=None, namespace="") -> dict[str, type]:
    """URL name -> view class, for every named page."""
    found = {}
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace != "admin":
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found |= view_classes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and \
                hasattr(entry.callback, "view_class"):
            found[f"{namespace}{entry.name}"] = entry.callback.view_class
    return found


def page_names() -> list[str]:
    """Pages of the registry whose view takes a POST."""
    views = view_classes()
    return sorted(name for name in {*SCOPED_URLS, *UNSCOPED_URLS}
                  if name in views and hasattr(views[name], "post")
                  and "post" in views[name].http_method_names)


def page_forms(context, *, management: bool = False) -> list[forms.BaseForm]:
    """The forms a page renders, those of its formsets included; with `management`, the
    formsets' management forms instead (posted as shown, never fuzzed: Django's own)."""
    found = []
    for value in [context[key] for key in context.keys()] if context is not None else []:
        if isinstance(value, forms.BaseForm) and not management:
            found.append(value)
        elif isinstance(value, BaseFormSet):
            found += [value.management_form] if management else value.forms
    return list({id(form): form for form in found}.values())


def page_bad_values(field: forms.Field) -> list[str]:
    """Bad values for a field a person fills in (not one the page shows disabled)."""
    if field.disabled:
        return []
    if isinstance(field, forms.DateTimeField):
        return list(BAD_LOCAL_TIMES)
    if isinstance(field, forms.DateField):
        return list(BAD_DATES)
    if isinstance(field, forms.IntegerField | forms.ModelChoiceField) or (
            isinstance(field, forms.TypedChoiceField) and field.coerce is int):
        return [str(HUGE_INTEGER)]  # a choice of people or records is an id
    if isinstance(field, forms.FloatField | forms.DecimalField):
        return [str(HUGE_NUMBER)]
    return []


def posted(form: forms.BaseForm) -> dict:
    """What the browser posts for the form as the page shows it."""
    data = {}
    for bound in form:
        value = bound.value()
        if value in (None, "", []) or bound.field.disabled:
            continue
        if isinstance(bound.field, forms.BooleanField):
            data[bound.html_name] = "on" if value else ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[bound.html_name] = bound.field.widget.format_value(value) \
                if hasattr(bound.field.widget, "format_value") else str(value)
    return data


def page_urls(world, name: str) -> list[str]:
    if name in SCOPED_URLS:
        return [reverse(name, kwargs=kwargs) for kwargs in SCOPED_URLS[name](
            world.acme_contoso)]
    return [unscoped_url(name)]


def shown_forms(client: Client, url: str) -> tuple[list[forms.BaseForm], dict]:
    """The forms of the page, or of the page a GET is sent on to (the minutes of a
    meeting are posted to their own URL from the meeting's page), and the data of its
    formsets' management forms."""
    response = client.get(url)
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    if response.status_code != 200:
        return [], {}
    return page_forms(response.context), {
        key: value for form in page_forms(response.context, management=True)
        for key, value in posted(form).items()}


@pytest.mark.parametrize("name", page_names())
def test_every_page_form_answers_bad_input_with_field_errors_and_changes_nothing(world, name):
    failures = []
    for url in page_urls(world, name):
        for actor in ACTORS:
            client = Client()
            client.force_login(getattr(world, actor))
            shown, management = shown_forms(client, url)
            cases = [(form, bound, value) for form in shown for bound in form
                     for value in page_bad_values(bound.field)]
            if cases:
                break
        baseline = {key: value for form in shown for key, value in posted(form).items()}
        baseline |= management
        fingerprint = Fingerprint()
        for form, bound, value in cases:
            fingerprint.take()
            response = client.post(url, {**baseline, bound.html_name: value})
            label = f"{url} {bound.html_name}={value} as {actor}"
            if response.status_code >= 500 or 300 <= response.status_code < 400 or \
                    "HX-Redirect" in response:
                failures.append(f"{label}: {response.status_code}, not a form error")
                fingerprint.skip()
                continue
            errors = [answer.errors for answer in page_forms(response.context)
                      if answer.prefix == form.prefix and type(answer) is type(form)]
            if not any(bound.name in error for error in errors):
                failures.append(f"{label}: no error on {bound.name}: {errors}")
            if changed := fingerprint.changed():
                failures.append(f"{label}: changed {changed}")
    assert not failures, "\n".join(failures)
