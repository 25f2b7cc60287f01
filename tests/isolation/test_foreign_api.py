"""DESIGN §2 over every API route: a foreign record answers 404 on every door and is absent
from every page of every list — one case per route and observer."""

import pytest

from portal.api import router
from tests.isolation.registry import API_ROUTES, SHARED_ACROSS_PARTNERSHIPS, owner_organization_id
from tests.isolation.scope import (
    OBSERVERS,
    every_page,
    every_row,
    foreign_names,
    foreign_partnerships,
    shared_organization_ids,
)
from tests.partnership.test_api import api

ROUTES = list(router.registry)
ROUTE_IDS = [basename for _prefix, _viewset, basename in ROUTES]


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES, ids=ROUTE_IDS)
def test_api_hides_foreign_records(world, observer, prefix, viewset, basename):
    user = getattr(world, observer)
    client = api(user)
    # Each detail action is probed with its own method (a download action is GET-only).
    actions = [(a.url_path, "post" if "post" in a.mapping else "get")
               for a in viewset.get_extra_actions() if a.detail]
    listed = {row["id"] for row in every_row(client, f"/api/v1/{prefix}/")}
    failures = []
    for partnership in foreign_partnerships(user):
        for pk in API_ROUTES[basename](partnership):
            if basename in SHARED_ACROSS_PARTNERSHIPS and owner_organization_id(
                    basename, pk) in shared_organization_ids(user):
                continue  # reachable through a partnership the user does share
            if pk in listed:
                failures.append(f"/api/v1/{prefix}/ lists foreign {pk}")
            url = f"/api/v1/{prefix}/{pk}/"
            for method in ("get", "put", "patch", "delete"):
                status = getattr(client, method)(url, {}, format="json").status_code
                if status not in ((404,) if method == "get" else (404, 405)):
                    failures.append(f"{method.upper()} {url}: {status}")
            for action, action_method in actions:
                status = getattr(client, action_method)(f"{url}{action}/", {},
                                                        format="json").status_code
                if status != 404:
                    failures.append(f"{action_method.upper()} {url}{action}/: {status}")
    assert failures == [], f"as {user}"


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES, ids=ROUTE_IDS)
def test_api_list_narrowed_to_a_foreign_partnership_is_empty(world, observer, prefix, viewset,
                                                            basename):
    """`?partnership=<foreign id>` only narrows: the list, on every page, and every
    list-level action (the survey results, say), answers with nothing of it."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = foreign_names(user)
    narrows = hasattr(getattr(viewset, "model", None), "partnership_id")
    actions = [f"{a.url_path}/" for a in viewset.get_extra_actions()
               if not a.detail and "get" in a.mapping]
    partnerships = foreign_partnerships(user)
    assert partnerships
    for partnership in partnerships:
        params = {"partnership": partnership.pk}
        responses = every_page(client, f"/api/v1/{prefix}/", params)
        if narrows:
            assert responses[0].json()["count"] == 0, f"{prefix} lists {partnership}"
        for path in actions:
            response = client.get(f"/api/v1/{prefix}/{path}", params)
            assert response.status_code in (200, 400, 404), (prefix, path)
            responses.append(response)
        for response in responses:
            body = response.content.decode()
            for text in forbidden:
                assert text not in body, f"{response.request['PATH_INFO']} shows {text!r}"
