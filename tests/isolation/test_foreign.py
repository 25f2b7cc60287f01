"""DESIGN §2 over every page: a foreign record answers 404 and never shows — one case per
page and observer, so a failure names its URL.

The pages come from the registry (every URL pattern is in it, see test_coverage.py); the
records that fill them come from partnerships foreign to the observer.
"""

import pytest
from django.urls import reverse

from tests.isolation.registry import (
    ADMIN_ONLY_URLS,
    RECORD_OF,
    SCOPED_URLS,
    SHARED_ACROSS_PARTNERSHIPS,
    UNSCOPED_URLS,
    owner_organization_id,
    unscoped_url,
)
from tests.isolation.scope import (
    OBSERVERS,
    foreign_names,
    foreign_partnerships,
    seat_partnerships,
    shared_organization_ids,
)

METHODS = (("get", {}), ("get", {"HTTP_HX_REQUEST": "true"}), ("post", {}))


def foreign_urls(name, user) -> tuple[list[str], int]:
    """URLs of page `name` that point into partnerships foreign to `user`, and how many
    were left out because their record belongs to an organization the user works with."""
    urls, shared = [], 0
    for partnership in foreign_partnerships(user):
        for kwargs in SCOPED_URLS[name](partnership):
            if name in SHARED_ACROSS_PARTNERSHIPS and owner_organization_id(
                    name, kwargs) in shared_organization_ids(user):
                shared += 1  # a site of an organization the user works with is not foreign
                continue
            urls.append(reverse(name, kwargs=kwargs))
    return urls, shared


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize("name", sorted(SCOPED_URLS))
def test_foreign_record_answers_404(world, login, name, observer):
    user = getattr(world, observer)
    client = login(user)
    urls, shared = foreign_urls(name, user)
    assert urls or shared, f"no foreign {name} to probe as {user}"
    expected = {403} if (name in ADMIN_ONLY_URLS and not user.is_org_admin) else {404}
    failures = []
    for url in urls:
        for method, headers in METHODS:
            status = getattr(client, method)(url, **headers).status_code
            # 405 (read-only page) is answered before any lookup: it leaks nothing.
            allowed = expected | ({405} if method == "post" else set())
            if status not in allowed:
                failures.append(f"{method.upper()} {url}: {status}")
    assert failures == [], f"as {user}"


MISSING_ID = 2_000_000_000


def crossed_urls(name, user) -> list[tuple[str, str]]:
    """A foreign record's URL with the partnership part changed to the user's own (the
    record is still foreign, though the partnership in the URL is the user's), and the same
    URL with ids no record has."""
    mine = seat_partnerships(user)[0]
    urls = []
    for partnership in foreign_partnerships(user):
        for kwargs in SCOPED_URLS[name](partnership):
            ids = {key for key, value in kwargs.items()
                   if key != "partnership_pk" and isinstance(value, int)}
            if "partnership_pk" not in kwargs or not ids:
                continue
            crossed = {**kwargs, "partnership_pk": mine.pk}
            missing = {**crossed, **dict.fromkeys(ids, MISSING_ID)}
            urls.append((reverse(name, kwargs=crossed), reverse(name, kwargs=missing)))
    return urls


RECORD_PAGES = sorted(name for name in SCOPED_URLS
                      if name not in RECORD_OF[name].lists + RECORD_OF[name].creates
                      and RECORD_OF[name].model.__name__ != "Partnership")


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize("name", RECORD_PAGES)
def test_foreign_record_under_an_own_partnership_answers_like_a_missing_one(
        world, login, name, observer):
    """Never the record, and the same answer as for an id no record has (404; or 403 / 405
    when the user's role in the own partnership, or the method, is refused first)."""
    user = getattr(world, observer)
    client = login(user)
    failures, missing = [], {}
    for url, missing_url in crossed_urls(name, user):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if (method, missing_url) not in missing:
                missing[method, missing_url] = getattr(client, method)(missing_url).status_code
            if status != missing[method, missing_url] or status not in (403, 404, 405):
                failures.append(f"{method.upper()} {url}: {status} "
                                f"(missing id: {missing[method, missing_url]})")
    assert failures == [], f"as {user}"


def test_foreign_program_under_an_own_partnership_answers_404(world, login):
    """The object id is foreign even though the partnership in the URL is the user's own."""
    client = login(world.bob)
    for name in ("partnership:program_detail", "partnership:program_edit"):
        url = reverse(name, args=[world.acme_contoso.pk, world.globex_program.pk])
        assert client.get(url).status_code == 404
    url = reverse("partnership:program_detail",
                  args=[world.acme_contoso.pk, world.acme_internal_program.pk])
    assert client.get(url).status_code == 404  # Acme's internal program, seen by Acme only


def test_the_world_has_foreign_names(world):
    for observer in OBSERVERS:
        assert foreign_names(getattr(world, observer)), observer


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize("name", sorted(UNSCOPED_URLS - {"logout"}))
def test_page_without_records_shows_no_foreign_names(world, login, name, observer):
    user = getattr(world, observer)
    page = login(user).get(unscoped_url(name)).content.decode()
    for text in foreign_names(user):
        assert text not in page, f"{name} shows {text!r} to {user}"

