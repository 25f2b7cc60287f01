"""DESIGN §2 over every URL and API route: foreign objects answer 404 and never appear.

The suite walks the URL configuration and the API router, so a new page or resource is
covered as soon as it has an entry in registry.py, and fails the run until it has one.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnership.models import Membership, Program
from portal.api import router
from tests.isolation.registry import (
    ADMIN_ONLY_URLS,
    API_ROUTES,
    SCOPED_URLS,
    SHARED_ACROSS_PARTNERSHIPS,
    TOKEN_URLS,
    UNSCOPED_URLS,
    foreign_partnerships,
    owner_organization_id,
    shared_organization_ids,
)
from tests.partnership.test_api import api

# The people whose view of the world the suite checks: a CDMO member who must not see the
# CDMO's other sponsor, a sponsor lead, the competitor, and the CDMO's admin.
OBSERVERS = ["bob", "alice", "dave", "olga"]


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
    assert {basename for _p, _v, basename in router.registry} == set(API_ROUTES), \
        "add the new API routes to API_ROUTES in tests/isolation/registry.py"


@pytest.mark.parametrize("observer", OBSERVERS)
def test_foreign_objects_answer_404_on_every_page(world, login, observer):
    user = getattr(world, observer)
    client = login(user)
    checked = 0
    for partnership in foreign_partnerships(user):
        for name, build in SCOPED_URLS.items():
            for kwargs in build(partnership):
                if name in SHARED_ACROSS_PARTNERSHIPS and owner_organization_id(
                        name, kwargs) in shared_organization_ids(user):
                    continue  # a site of an organization the user works with is not foreign
                url = reverse(name, kwargs=kwargs)
                expected = {403} if (name in ADMIN_ONLY_URLS and not user.is_org_admin) \
                    else {404}
                for method, headers in (("get", {}), ("get", {"HTTP_HX_REQUEST": "true"}),
                                        ("post", {})):
                    status = getattr(client, method)(url, **headers).status_code
                    # 405 (read-only page) is answered before any lookup: it leaks nothing.
                    allowed = expected | ({405} if method == "post" else set())
                    assert status in allowed, f"{method.upper()} {url} as {user}: {status}"
                    checked += 1
    assert checked > 0


def test_foreign_object_under_an_own_partnership_answers_404(world, login):
    """The object id is foreign even though the partnership in the URL is the user's own."""
    client = login(world.bob)
    for name in ("partnership:program_detail", "partnership:program_edit"):
        url = reverse(name, args=[world.acme_contoso.pk, world.globex_program.pk])
        assert client.get(url).status_code == 404
    url = reverse("partnership:program_detail",
                  args=[world.acme_contoso.pk, world.acme_internal_program.pk])
    assert client.get(url).status_code == 404  # Acme's internal program, seen by Acme only


def foreign_names(user) -> list[str]:
    """Names the user must never meet: programs, people and organizations reachable only
    through partnerships foreign to them (worked out from seats, not from visible_to)."""
    shared_orgs = shared_organization_ids(user)
    foreign = foreign_partnerships(user)
    names = list(Program.objects.filter(partnership__in=foreign).values_list("name", flat=True))
    names += [org.name for p in foreign for org in (p.sponsor, p.cdmo)
              if org.pk not in shared_orgs]
    names += [m.user.get_full_name() for m in Membership.objects.filter(partnership__in=foreign)
              .select_related("user") if m.user.organization_id not in shared_orgs]
    return names


@pytest.mark.parametrize("observer", OBSERVERS)
def test_pages_without_objects_show_no_foreign_names(world, login, observer):
    user = getattr(world, observer)
    client = login(user)
    forbidden = foreign_names(user)
    assert forbidden
    for name in UNSCOPED_URLS - {"logout", "apitoken_create", "apitoken_delete"}:
        response = client.get(reverse(name))
        page = response.content.decode()
        for text in forbidden:
            assert text not in page, f"{name} shows {text!r} to {user}"


@pytest.mark.parametrize("observer", OBSERVERS)
def test_api_hides_foreign_objects(world, observer):
    user = getattr(world, observer)
    client = api(user)
    for prefix, viewset, basename in router.registry:
        # Each detail action is probed with its own method (a download action is GET-only).
        actions = [(a.url_path, "post" if "post" in a.mapping else "get")
                   for a in viewset.get_extra_actions() if a.detail]
        listed = {row["id"] for row in client.get(f"/api/v1/{prefix}/?page_size=1000")
                  .json()["results"]}
        for partnership in foreign_partnerships(user):
            for pk in API_ROUTES[basename](partnership):
                if basename in SHARED_ACROSS_PARTNERSHIPS and owner_organization_id(
                        basename, pk) in shared_organization_ids(user):
                    continue  # reachable through a partnership the user does share
                assert pk not in listed, f"{prefix} lists foreign {pk} to {user}"
                url = f"/api/v1/{prefix}/{pk}/"
                for method in ("get", "put", "patch", "delete"):
                    status = getattr(client, method)(url, {}, format="json").status_code
                    assert status in (404, 405), f"{method.upper()} {url} as {user}: {status}"
                    assert status == 404 or method != "get"
                for action, action_method in actions:
                    status = getattr(client, action_method)(f"{url}{action}/", {},
                                                            format="json").status_code
                    assert status == 404, f"{action_method.upper()} {url}{action}/ as " \
                                          f"{user}: {status}"


@pytest.mark.parametrize("observer", OBSERVERS)
def test_api_lists_narrowed_to_a_foreign_partnership_are_empty(world, observer):
    """`?partnership=<foreign id>` only narrows: every list, and every list-level action
    (the survey results, say), answers with nothing of it."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = foreign_names(user)
    checked = 0
    for prefix, viewset, _basename in router.registry:
        paths = [""] + [f"{a.url_path}/" for a in viewset.get_extra_actions()
                        if not a.detail and "get" in a.mapping]
        for partnership in foreign_partnerships(user):
            for path in paths:
                response = client.get(f"/api/v1/{prefix}/{path}?partnership={partnership.pk}"
                                      "&page_size=1000")
                assert response.status_code in (200, 400, 404), (prefix, path)
                body = response.content.decode()
                narrows = hasattr(getattr(viewset, "model", None), "partnership_id")
                if response.status_code == 200 and not path and narrows:
                    assert response.json()["results"] == [], f"{prefix} lists {partnership}"
                for text in forbidden:
                    assert text not in body, f"/api/v1/{prefix}/{path} shows {text!r}"
                checked += 1
    assert checked > 0


def test_admin_is_staff_only(world, login):
    response = login(world.olga).get("/admin/partnership/program/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
