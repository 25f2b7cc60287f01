"""GET (and so HEAD) changes nothing, on any page: a link followed by a mail scanner, a browser's
prefetch or another site's <img> must not act for the person (RFC 9110 §9.2.1). Writes
are POSTs, which carry the CSRF token.

Walks every page and API route the isolation registry knows, filled with the objects of a
partnership the visitor sits in (so the views get past their 404s and do their real work),
as people of both parties and their admin, plainly and as htmx."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.meetings.services import calendar_feed_create
from portal.api import router
from tests.isolation.registry import API_ROUTES, SCOPED_URLS, UNSCOPED_URLS, unscoped_url

# A write inside the audit trail's context comes after the statement that sets it
# (partnership.history.context): SELECT set_config('pghistory.context_id', …); INSERT …
WRITE = re.compile(r"^\s*(SELECT set_config\('pghistory\..*?, true\);\s*)?"
                   r"(INSERT|UPDATE|DELETE|TRUNCATE|ALTER|CREATE|DROP)\b",
                   re.IGNORECASE | re.DOTALL)
SESSION = re.compile(r'"django_session"')  # the idle timeout refreshes the session (§5)


def _urls(world) -> list[str]:
    urls = [reverse(name, kwargs=kwargs) for name, build in SCOPED_URLS.items()
            for kwargs in build(world.acme_contoso)]
    urls += [unscoped_url(name) for name in sorted(UNSCOPED_URLS)]
    urls.append(reverse("governance:calendar_feed",
                        args=[calendar_feed_create(actor=world.bob).secret]))
    for _prefix, viewset, basename in router.registry:
        ids = API_ROUTES[basename](world.acme_contoso)
        urls.append(reverse(f"{basename}-list"))
        urls += [reverse(f"{basename}-detail", args=[pk]) for pk in ids]
        urls += [reverse(f"{basename}-{action.url_name}", args=[pk] if action.detail else [])
                 for action in viewset.get_extra_actions() if "get" in action.mapping
                 for pk in (ids if action.detail else [None])]
    return urls


def _writes(client, url, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)  # Django answers HEAD with the view's GET
    return [q["sql"] for q in queries.captured_queries
            if WRITE.match(q["sql"]) and not SESSION.search(q["sql"])]


@pytest.fixture
def world(module_world, db):
    """One world for the module's walks (each in a savepoint of it): they only read."""
    return module_world


#: Each visitor's walk in this many parts (every PARTS-th page), so the parts spread over the
#: test run's workers rather than one worker walking every page three times at the end.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("visitor", ["alice", "bob", "olga"])
def test_no_page_writes_on_get(world, login, visitor, part):
    client = login(getattr(world, visitor))
    urls = _urls(world)
    found = {url: writes for url in urls[part::PARTS]
             for headers in ({}, {"HTTP_HX_REQUEST": "true"})
             if (writes := _writes(client, url, **headers))}
    assert found == {}
    assert len(urls) > 100  # the walk really covered the pages
