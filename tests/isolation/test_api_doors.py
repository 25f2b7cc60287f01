"""DESIGN §2 through the API's side doors: the browsable HTML pages, filter choices, orderings.

Each API route is walked as JSON and as the browsable HTML page (whose filter form and
write forms list choices), every declared record filter is given a foreign id and a missing
one (which must answer alike), and every ordering a list declares is exercised. The routes
come from the router and the filters from each filter set, so a new resource, filter or sort
is covered as soon as it exists.
"""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import resolve, reverse
from django_filters.filters import OrderingFilter, QuerySetRequestMixin

from partnership.models import Contract
from portal.api import router
from portal.filters import ScopedFilterBackend, ScopedFilterSet
from portal.tenancy import visible
from portal.views import FilteredListView
from tests.isolation.registry import SCOPED_URLS, UNSCOPED_URLS, seat_partnerships
from tests.isolation.test_isolation import OBSERVERS, foreign_names
from tests.partnership.test_api import api

ROUTES = [(prefix, viewset) for prefix, viewset, _basename in router.registry]
ROUTE_IDS = [prefix for prefix, _viewset in ROUTES]
DOMAIN_APPS = ("portal", "partnership", "governance", "metrics")
MISSING_ID = 2_000_000_000


@pytest.fixture
def world(module_world, db):
    return module_world


def scoped_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model.objects, "visible_to"):
                yield model


def _texts(rows, fields) -> set[str]:
    """Texts long enough to be telling; a portal path (a notification's link, "/p/12/") is
    an id, not a name, and the same path is printed on every page of that partnership."""
    return {value for row in rows.values_list(*fields) for value in row
            if isinstance(value, str) and len(value) >= 6 and not value.startswith("/")}


def foreign_strings(user) -> list[str]:
    """Every text of a record the user may not see (a foreign partnership's, the other
    party's internal one) that no record the user may see also carries."""
    hidden, seen = set(), set()
    for model in scoped_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices]
        if not fields:
            continue
        mine = visible(model, user)
        seen |= _texts(mine, fields)
        hidden |= _texts(model.objects.exclude(pk__in=mine.values("pk")), fields)
    return sorted((hidden - seen) | set(foreign_names(user)))


def assert_nothing_foreign(body: str, forbidden, where: str) -> None:
    for text in forbidden:
        assert text not in body, f"{where} shows {text!r}"


def filterset_of(viewset):
    model = getattr(viewset, "model", None) or viewset.queryset.model
    return ScopedFilterBackend().get_filterset_class(viewset(), model._default_manager.all())


def record_filters(filterset_class):
    """(parameter, model of its choices) for each filter that picks a record."""
    if filterset_class is None:
        return
    model = filterset_class._meta.model
    for name, record_filter in filterset_class.base_filters.items():
        if isinstance(record_filter, QuerySetRequestMixin):
            yield name, model._meta.get_field(record_filter.field_name).related_model


def foreign_ids(model, user, limit=3) -> list[int]:
    return list(model.objects.exclude(pk__in=visible(model, user).values("pk"))
                .order_by("pk").values_list("pk", flat=True)[:limit])


def html(client, url):
    return client.get(url, HTTP_ACCEPT="text/html")


def list_page_urls(partnership):
    """The list pages with a filter bar: those under the partnership, and the rest."""
    urls = [reverse(name, kwargs=kwargs) for name, build in SCOPED_URLS.items()
            if name.endswith("_list") for kwargs in build(partnership)]
    urls += [reverse(name) for name in UNSCOPED_URLS if name.endswith("_list")]
    for url in urls:
        view = getattr(resolve(url).func, "view_class", None)
        if view and issubclass(view, FilteredListView):
            yield url, view


def test_every_filter_set_is_scoped(world):
    """Pages and API both refuse an unscoped filter set; this names any that slipped in."""
    for _prefix, viewset in ROUTES:
        declared = getattr(viewset, "filterset_class", None)
        assert declared is None or issubclass(declared, ScopedFilterSet), viewset
    pages = list(list_page_urls(world.acme_contoso))
    assert len(pages) >= 8
    for url, view in pages:
        assert issubclass(view.filterset_class, ScopedFilterSet), url


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=ROUTE_IDS)
def test_browsable_api_shows_nothing_foreign(world, observer, prefix, viewset):
    """The HTML renderer prints filter forms and write forms with their choices: none may
    name a record the observer cannot see, on the list or on a visible record's page."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = foreign_strings(user)
    listing = html(client, f"/api/v1/{prefix}/")
    assert listing.status_code == 200, prefix
    assert listing["Content-Type"].startswith("text/html")
    assert_nothing_foreign(listing.content.decode(), forbidden, f"/api/v1/{prefix}/ (HTML)")
    rows = client.get(f"/api/v1/{prefix}/").json()["results"]
    for row in rows[:2]:
        url = f"/api/v1/{prefix}/{row['id']}/"
        page = html(client, url)
        assert page.status_code == 200, url
        assert_nothing_foreign(page.content.decode(), forbidden, f"{url} (HTML)")


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=ROUTE_IDS)
def test_filters_answer_a_foreign_id_like_a_missing_one(world, observer, prefix, viewset):
    """`?contract=<foreign id>` must not tell a foreign record from a missing one."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = foreign_strings(user)
    for name, model in record_filters(filterset_of(viewset)):
        missing = client.get(f"/api/v1/{prefix}/", {name: MISSING_ID})
        assert missing.status_code == 400, (prefix, name)
        for pk in foreign_ids(model, user):
            foreign = client.get(f"/api/v1/{prefix}/", {name: pk})
            assert (foreign.status_code, foreign.json()) == \
                (missing.status_code, missing.json()), f"/api/v1/{prefix}/?{name}={pk}"
            page = html(client, f"/api/v1/{prefix}/?{name}={pk}")
            assert_nothing_foreign(page.content.decode(), forbidden,
                                   f"/api/v1/{prefix}/?{name}={pk} (HTML)")


def test_record_filters_still_filter(world):
    """The scoping narrows the choices, it does not break them: a visible id filters."""
    client = api(world.alice)
    contract = Contract.objects.filter(partnership=world.acme_contoso).first()
    rows = client.get("/api/v1/negotiation-rounds/", {"contract": contract.pk}).json()
    assert rows["results"] and {r["contract"] for r in rows["results"]} == {contract.pk}
    people = client.get("/api/v1/people/", {"organization": world.contoso.pk}).json()
    assert {p["email"] for p in people["results"]} == {"bob@contoso.test"}


CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


@pytest.mark.parametrize("observer", OBSERVERS)
def test_page_filters_answer_a_foreign_id_like_a_missing_one(world, login, observer):
    user = getattr(world, observer)
    client = login(user)
    forbidden = foreign_strings(user)
    checked = 0
    for partnership in seat_partnerships(user) or world.partnerships[:1]:
        for url, view in list_page_urls(partnership):
            if client.get(url).status_code != 200:
                continue  # olga has no seat: she is refused before any filter runs
            for param, model in record_filters(view.filterset_class):
                missing = client.get(url, {param: MISSING_ID})
                for pk in foreign_ids(model, user):
                    foreign = client.get(url, {param: pk})
                    body = foreign.content.decode()
                    assert foreign.status_code == missing.status_code, (url, param)
                    assert CSRF.sub("", body.replace(f"{param}={pk}", "ID")) == CSRF.sub(
                        "", missing.content.decode().replace(f"{param}={MISSING_ID}", "ID")), \
                        f"{url}?{param}={pk} differs from a missing id"
                    assert_nothing_foreign(body, forbidden, f"{url}?{param}={pk}")
                    checked += 1
    assert checked > 0


def _orderings(filterset_class):
    if filterset_class is None:
        return
    for name, declared in filterset_class.base_filters.items():
        if isinstance(declared, OrderingFilter):
            for value, _label in declared.extra["choices"]:
                yield name, value


@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=ROUTE_IDS)
def test_every_declared_api_ordering_works(world, prefix, viewset):
    """Each sort a list offers answers 200 in both directions; an undeclared one (a
    serializer's computed field, say) changes nothing and never answers 500."""
    client = api(world.alice)
    for name, value in _orderings(filterset_of(viewset)):
        response = client.get(f"/api/v1/{prefix}/", {name: value})
        assert response.status_code == 200, f"/api/v1/{prefix}/?{name}={value}"
    for undeclared in ("get_full_name", "slip_days", "-pk__foo", "partnership__sponsor__name"):
        response = client.get(f"/api/v1/{prefix}/", {"ordering": undeclared})
        assert response.status_code in (200, 400), f"/api/v1/{prefix}/?ordering={undeclared}"


def test_every_declared_page_ordering_works(world, login):
    client = login(world.alice)
    checked = 0
    for url, view in list_page_urls(world.acme_contoso):
        for param, value in _orderings(view.filterset_class):
            assert client.get(url, {param: value}).status_code == 200, f"{url}?{param}={value}"
            checked += 1
        assert client.get(url, {"ordering": "get_full_name"}).status_code in (200, 400)
    assert checked > 0
