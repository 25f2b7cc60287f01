"""The gate: every URL pattern and every API route is in the registry, so the generic cases
cover it; a new page or resource fails the run until it has an entry."""

from django.urls import URLPattern, URLResolver, get_resolver

from portal.api import router
from tests.isolation.registry import (
    API_ROUTES,
    LIST_PAGES,
    READ_PAGES,
    RECORDS,
    SCOPED_URLS,
    TOKEN_URLS,
    UNSCOPED_URLS,
    WRITE_PAGES,
)


def iter_url_names(resolvers=None, namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue  # Django admin: staff only, checked in test_admin_is_staff_only
            yield from iter_url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def api_route_names():
    names = {"api-root"}
    for _prefix, viewset, basename in router.registry:
        names |= {f"{basename}-list", f"{basename}-detail"}
        names |= {f"{basename}-{action.url_name}" for action in viewset.get_extra_actions()}
    return names


def test_every_url_is_covered():
    names = set(iter_url_names())
    covered = set(SCOPED_URLS) | UNSCOPED_URLS | TOKEN_URLS | api_route_names()
    assert names - covered == set(), "add these URLs to tests/isolation/registry.py"
    assert covered - api_route_names() - names == set(), "the registry names missing URLs"
    assert {basename for _p, _v, basename in router.registry} == set(API_ROUTES), \
        "add the new API routes to an entry of RECORDS in tests/isolation/registry.py"


def test_every_page_under_a_partnership_has_a_role():
    """A scoped page is a list, a record's read page or a write, so the role cases reach it."""
    assert set(SCOPED_URLS) == set(LIST_PAGES) | set(READ_PAGES) | set(WRITE_PAGES)
    assert len({record.model for record in RECORDS}) == len(RECORDS), "one entry per model"


def test_admin_is_staff_only(world, login):
    response = login(world.olga).get("/admin/partnership/program/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
