"""DESIGN §2 inside one partnership: what a party marks internal, the other party never meets.

Every record Acme wrote in Acme–Contoso is made internal (straight in the database, as if
each had been marked so from the start) and its text is tagged SECRET-. Then Bob (Contoso,
same partnership) walks every page and API route of the registry: no response may hold the
tag, and the detail of each hidden record answers 404 — one case per page and per API route.
Alice walks the same way and must meet the tag, which shows that the walk reaches the
records at all. New pages and routes are walked as soon as they are in
tests/isolation/registry.py, new kinds of record as soon as they are a SharedRecord (or
declare INTERNAL_VIA).
"""

import pytest
from django.apps import apps
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse

from governance.meetings.services import calendar_feed_create
from partnership.scoping import SharedRecord
from portal.api import router
from tests.isolation.registry import API_ROUTES, SCOPED_URLS, unscoped_url
from tests.isolation.scope import body_of, every_page
from tests.partnership.test_api import api

ROUTES = list(router.registry)
ROUTE_IDS = [basename for _prefix, _viewset, basename in ROUTES]

TAG = "SECRET-"
TEXT_FIELDS = {"title", "name", "message", "description", "body", "rationale", "summary",
               "note", "text", "comment", "minutes", "agenda", "mitigation",
               "measure_of_success", "team"}


def _tag(queryset) -> None:
    names = [field.name for field in queryset.model._meta.fields
             if field.name in TEXT_FIELDS and not field.choices and not field.is_relation]
    queryset.update(**{name: Concat(Value(TAG), name) for name in names})


def hide_what_acme_wrote(world) -> list:
    """Make Acme's records in Acme–Contoso internal and tag their text and their children's;
    returns (model, pk) of each record that Contoso may no longer see."""
    hidden = []
    models = list(apps.get_models())
    for model in models:
        if issubclass(model, SharedRecord):
            rows = model.objects.filter(partnership=world.acme_contoso,
                                        author_organization=world.acme)
            hidden += [(model, pk) for pk in rows.values_list("pk", flat=True)]
            rows.update(is_internal=True)
            _tag(rows)
    for model in models:
        parents = getattr(model, "INTERNAL_VIA", ())
        if parents and not issubclass(model, SharedRecord):
            # Up the first parent of each level to the shared record that carries the flag
            # (a quality agreement's rows sit beneath it, and it beneath its contract).
            path, parent = parents[0], model._meta.get_field(parents[0]).related_model
            while not issubclass(parent, SharedRecord):
                path += f"__{parent.INTERNAL_VIA[0]}"
                parent = parent._meta.get_field(parent.INTERNAL_VIA[0]).related_model
            rows = model.objects.filter(**{f"{path}__partnership": world.acme_contoso,
                                           f"{path}__author_organization": world.acme})
            hidden += [(model, pk) for pk in rows.values_list("pk", flat=True)]
            _tag(rows)
    return hidden


EXTRA_PAGES = ["governance:my_work", "partnership:partnership_list", "portal:notification_list",
               "governance:search", "governance:search_suggestions", "governance:calendar_feed"]


@pytest.fixture(scope="module")
def hidden(module_world, django_db_blocker) -> dict:
    """Acme's records in Acme–Contoso made internal and tagged, once for the module (rolled
    back with its world); returns the (model, pk) hidden from Contoso and Bob's feed secret."""
    with django_db_blocker.unblock():
        return {"records": set(hide_what_acme_wrote(module_world)),
                "feed": calendar_feed_create(actor=module_world.bob).secret}


def page_urls(world, hidden, name) -> list[str]:
    if name in SCOPED_URLS:
        return [reverse(name, kwargs=kwargs) for kwargs in SCOPED_URLS[name](world.acme_contoso)]
    if name in ("governance:search", "governance:search_suggestions"):
        return [f"{reverse(name)}?q=secret"]
    if name == "governance:calendar_feed":
        return [reverse(name, args=[hidden["feed"]])]
    return [unscoped_url(name)]


def _tagged_responses(client, urls) -> list[str]:
    found = []
    for url in urls:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            if response.status_code == 200 and TAG.encode() in body_of(response):
                found.append(url)
    return found


@pytest.mark.parametrize("name", sorted(SCOPED_URLS) + EXTRA_PAGES)
def test_no_page_shows_the_other_partys_internal_records(world, hidden, login, name):
    assert _tagged_responses(login(world.bob), page_urls(world, hidden, name)) == []


def test_the_page_walk_reaches_the_internal_records(world, hidden, login):
    urls = [url for name in sorted(SCOPED_URLS) + EXTRA_PAGES
            for url in page_urls(world, hidden, name)]
    assert len(_tagged_responses(login(world.alice), urls)) >= 10


def _listing(client, prefix) -> str:
    return "".join(page.content.decode() for page in every_page(client, f"/api/v1/{prefix}/"))


@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES, ids=ROUTE_IDS)
def test_no_api_route_shows_the_other_partys_internal_records(world, hidden, prefix, viewset,
                                                              basename):
    bob = api(world.bob)
    assert TAG not in _listing(bob, prefix), f"{prefix} list shows it to Bob"
    model = getattr(viewset, "model", None)
    for pk in API_ROUTES[basename](world.acme_contoso):
        response = bob.get(f"/api/v1/{prefix}/{pk}/")
        assert TAG not in response.content.decode(), f"{prefix}/{pk} shows it to Bob"
        if (model, pk) in hidden["records"]:
            assert response.status_code == 404, f"{prefix}/{pk}: {response.status_code}"


def test_the_api_walk_reaches_the_internal_records(world, hidden):
    alice = api(world.alice)
    assert sum(TAG in _listing(alice, prefix) for prefix, _v, _b in ROUTES) >= 10
