"""Nobody logged in: every page sends to the log-in page (and back after it), every API
door answers 401/403 — one case per page and per API route, for each record of the registry."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.api import router
from tests.isolation.registry import (
    API_DOOR_URLS,
    API_ROUTES,
    PUBLIC_URLS,
    SCOPED_URLS,
    UNSCOPED_URLS,
    unscoped_url,
)

PRIVATE_UNSCOPED = sorted(UNSCOPED_URLS - PUBLIC_URLS - API_DOOR_URLS)
ROUTES = [(prefix, viewset, basename) for prefix, viewset, basename in router.registry]


def assert_sent_to_log_in(response, url):
    login = reverse("login")
    assert response.status_code == 302, f"{url}: {response.status_code}"
    assert response["Location"] == f"{login}?next={quote(url)}", response["Location"]


@pytest.mark.parametrize("name", sorted(SCOPED_URLS))
def test_page_sends_to_log_in(world, name):
    client = Client()
    urls = [reverse(name, kwargs=kwargs) for kwargs in SCOPED_URLS[name](world.acme_contoso)]
    assert urls, f"no {name} in Acme–Contoso to open"
    for url in urls:
        for method, headers in (("get", {}), ("get", {"HTTP_HX_REQUEST": "true"}),
                                ("post", {})):
            assert_sent_to_log_in(getattr(client, method)(url, **headers), url)


@pytest.mark.parametrize("name", PRIVATE_UNSCOPED)
def test_own_page_sends_to_log_in(db, name):
    client, url = Client(), unscoped_url(name)
    assert_sent_to_log_in(client.get(url), url)
    assert_sent_to_log_in(client.post(url), url)


@pytest.mark.parametrize("name", sorted(API_DOOR_URLS))
def test_own_api_door_refuses(db, name):
    url = reverse(name)
    for response in (APIClient().get(url), APIClient().get(url, {"format": "json"})):
        assert response.status_code in (401, 403), f"{name}: {response.status_code}"
        assert b"paths" not in response.content


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS & UNSCOPED_URLS))
def test_public_page_opens_without_log_in(db, name):
    response = Client().get(reverse(name))
    assert response.status_code in (200, 204, 405), f"{name}: {response.status_code}"


@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES,
                         ids=[basename for _p, _v, basename in ROUTES])
def test_api_route_refuses(world, prefix, viewset, basename):
    client = APIClient()
    calls = [("get", f"/api/v1/{prefix}/"), ("post", f"/api/v1/{prefix}/")]
    calls += [(method, f"/api/v1/{prefix}/{a.url_path}/")
              for a in viewset.get_extra_actions() if not a.detail for method in a.mapping]
    for pk in API_ROUTES[basename](world.acme_contoso)[:1]:
        url = f"/api/v1/{prefix}/{pk}/"
        calls += [(method, url) for method in ("get", "put", "patch", "delete")]
        calls += [(method, f"{url}{a.url_path}/") for a in viewset.get_extra_actions()
                  if a.detail for method in a.mapping]
    for method, url in calls:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code in (401, 403), f"{method.upper()} {url}: " \
                                                   f"{response.status_code}"


def test_api_root_refuses(db):
    assert APIClient().get("/api/v1/").status_code in (401, 403)
