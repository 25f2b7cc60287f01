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
from django.utils import timezone
from django_filters.filters import OrderingFilter, QuerySetRequestMixin
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from governance.models import Decision, Meeting
from governance.models import Request as FormalRequest
from partnership.models import Contract, User
from partnership.notifications.models import Notification
from portal.api import router
from portal.filters import ScopedFilterBackend, ScopedFilterSet
from portal.serializers import ScopedModelSerializer
from portal.views import FilteredListView
from tests.isolation.registry import SCOPED_URLS, UNSCOPED_URLS, unscoped_url
from tests.isolation.scope import OBSERVERS, foreign_names, seat_partnerships
from tests.partnership.test_api import api

ROUTES = [(prefix, viewset) for prefix, viewset, _basename in router.registry]
ROUTE_IDS = [prefix for prefix, _viewset in ROUTES]
DOMAIN_APPS = ("portal", "partnership", "governance", "metrics")
MISSING_ID = 2_000_000_000


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


#: Text fields that hold a code of a fixed vocabulary, as a field with choices does: a
#: notification's kind (registered by the apps at start-up), printed in every filter form.
VOCABULARY_FIELDS = {Notification._meta.get_field("kind")}


def foreign_strings(user) -> list[str]:
    """Every text of a record the user may not see (a foreign partnership's, the other
    party's internal one) that no record the user may see also carries."""
    hidden, seen = set(), set()
    for model in scoped_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices
                  and f not in VOCABULARY_FIELDS]
        if not fields:
            continue
        mine = model.objects.visible_to(user)
        seen |= _texts(mine, fields)
        hidden |= _texts(model.objects.exclude(pk__in=mine.values("pk")), fields)
    return sorted((hidden - seen) | set(foreign_names(user)))


@pytest.fixture(scope="module")
def forbidden_for():
    """foreign_strings(user), read once a module per observer: every test of the module
    sees the same world (what a test writes is rolled back), and reading every text of
    every model takes longer than the pages a test walks."""
    cache: dict[int, list[str]] = {}

    def forbidden(user) -> list[str]:
        if user.pk not in cache:
            cache[user.pk] = foreign_strings(user)
        return cache[user.pk]
    return forbidden


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
    return list(model.objects.exclude(pk__in=model.objects.visible_to(user).values("pk"))
                .order_by("pk").values_list("pk", flat=True)[:limit])


def html(client, url):
    return client.get(url, HTTP_ACCEPT="text/html")


def list_page_urls(partnership):
    """The list pages with a filter bar: those under the partnership, and the rest."""
    urls = [reverse(name, kwargs=kwargs) for name, build in SCOPED_URLS.items()
            if name.endswith("_list") for kwargs in build(partnership)]
    urls += [unscoped_url(name) for name in UNSCOPED_URLS if name.endswith("_list")]
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
def test_browsable_api_shows_nothing_foreign(world, forbidden_for, observer, prefix,
                                             viewset):
    """The HTML renderer prints filter forms and write forms with their choices: none may
    name a record the observer cannot see, on the list or on a visible record's page (one:
    the choices are those of the observer's scope, whichever record the page shows)."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = forbidden_for(user)
    listing = html(client, f"/api/v1/{prefix}/")
    assert listing.status_code == 200, prefix
    assert listing["Content-Type"].startswith("text/html")
    assert_nothing_foreign(listing.content.decode(), forbidden, f"/api/v1/{prefix}/ (HTML)")
    rows = client.get(f"/api/v1/{prefix}/").json()["results"]
    for row in rows[:1]:  # its forms' choices are the resource's, whichever record it is
        url = f"/api/v1/{prefix}/{row['id']}/"
        page = html(client, url)
        assert page.status_code == 200, url
        assert_nothing_foreign(page.content.decode(), forbidden, f"{url} (HTML)")
    for url in action_urls(prefix, viewset, [row["id"] for row in rows[:1]]):
        page = html(client, url)
        # A POST-only step answers a GET with 405, a missing id with 404 (or 405 first):
        # either way the page still prints the step's form with its choices.
        assert page.status_code < 500, url
        assert_nothing_foreign(page.content.decode(), forbidden, f"{url} (HTML)")


def action_urls(prefix, viewset, own_ids) -> list[str]:
    """Every extra action's URL: the list-level ones, and the detail ones with each own id
    and a missing one (whose 404 page the renderer builds too). A step that answers no GET
    answers 405 before it looks for the record, so its page with a missing id is the page
    with an own id less the record's edit form: the own id's page prints every choice."""
    urls = []
    for extra in viewset.get_extra_actions():
        if not extra.detail:
            urls.append(f"/api/v1/{prefix}/{extra.url_path}/")
            continue
        ids = [*own_ids, MISSING_ID] if "get" in extra.mapping or not own_ids else own_ids
        urls += [f"/api/v1/{prefix}/{pk}/{extra.url_path}/" for pk in ids]
    return urls


@pytest.mark.parametrize("observer", OBSERVERS)
@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=ROUTE_IDS)
def test_filters_answer_a_foreign_id_like_a_missing_one(world, forbidden_for, observer, prefix,
                                                       viewset):
    """`?contract=<foreign id>` must not tell a foreign record from a missing one."""
    user = getattr(world, observer)
    client = api(user)
    forbidden = forbidden_for(user)
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


def route_serializers(user) -> dict[str, serializers.BaseSerializer]:
    """Every serializer the router's routes use, bound to a request of `user`: each
    action's own (get_serializer_class, as the browsable API's forms use it) and those a
    step declares for its body and answer (extend_schema), found as the schema finds them."""
    basenames = {basename for _prefix, _viewset, basename in router.registry}
    request = Request(APIRequestFactory().get("/api/v1/"))
    request.user = user
    generator = SchemaGenerator()
    found = {}
    for path, _regex, method, callback in generator.endpoint_inspector_cls().get_api_endpoints():
        view = generator.create_view(callback, method)
        if getattr(view, "basename", None) not in basenames:
            continue  # the API root and the schema's own views take no body
        view.request, view.schema.method = request, method
        context = {"request": request, "view": view, "format": None}
        candidates = [view.get_serializer_class(), view.schema.get_request_serializer(),
                      view.schema.get_response_serializers()]
        for candidate in candidates:
            for serializer in candidate.values() if isinstance(candidate, dict) else [candidate]:
                if isinstance(serializer, serializers.ListSerializer):
                    serializer = serializer.child  # a list answer (many=True): its rows'
                if isinstance(serializer, serializers.BaseSerializer):
                    serializer = type(serializer)
                if isinstance(serializer, type) and \
                        issubclass(serializer, serializers.BaseSerializer):
                    found[f"{method} {path} {serializer.__name__}"] = serializer(context=context)
    return found


def writable_relations(serializer, path=""):
    """(where, field) for each related field a body may set, nested rows included (a
    ManyRelatedField's child is the field whose queryset decides)."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        where = f"{path}{name}"
        if isinstance(field, serializers.ManyRelatedField):
            yield where, field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield where, field
        elif isinstance(field, serializers.ListSerializer):
            yield from writable_relations(field.child, f"{where}[].")
        elif isinstance(field, serializers.BaseSerializer):
            yield from writable_relations(field, f"{where}.")


@pytest.mark.parametrize("observer", OBSERVERS)
def test_every_writable_relation_offers_only_what_the_caller_sees(world, observer):
    """An id a body may carry is looked up in, and the browsable API lists as choices, the
    field's queryset: for every serializer of every route, none may hold a record the
    caller cannot see (ModelSerializer's own PrimaryKeyRelatedField takes every row)."""
    user = getattr(world, observer)
    found = route_serializers(user)
    names = {type(serializer).__name__ for serializer in found.values()}
    assert {"SiteSerializer", "SiteStatusSerializer", "MinutesSerializer",
            "RequestRelaySerializer", "NegotiationRoundAnswerSerializer"} <= names
    failures, checked = [], 0
    for label, serializer in found.items():
        for where, field in writable_relations(serializer):
            queryset = field.get_queryset()
            mine = queryset.model.objects.visible_to(user)
            foreign = list(queryset.exclude(pk__in=mine.values("pk"))[:3])
            if foreign:
                failures.append(f"{label}.{where} offers {foreign}")
            checked += 1
    assert checked > 40
    assert not failures, f"as {user}:\n" + "\n".join(sorted(set(failures)))


def test_every_model_serializer_builds_scoped_relations():
    """A relation a model serializer builds on its own must be scoped: the project's
    model serializers all derive from the one base that sees to it."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    ours = [cls for cls in subclasses(serializers.ModelSerializer)
            if cls.__module__.split(".")[0] in DOMAIN_APPS]
    assert len(ours) > 20
    assert [cls for cls in ours if not issubclass(cls, ScopedModelSerializer)] == []


def test_record_filters_still_filter(world):
    """The scoping narrows the choices, it does not break them: a visible id filters."""
    client = api(world.alice)
    contract = Contract.objects.filter(partnership=world.acme_contoso).first()
    rows = client.get("/api/v1/negotiation-rounds/", {"contract": contract.pk}).json()
    assert rows["results"] and {r["contract"] for r in rows["results"]} == {contract.pk}
    people = client.get("/api/v1/people/", {"organization": world.contoso.pk}).json()
    assert {p["email"] for p in people["results"]} == {"bob@contoso.test"}


# What differs between any two answers: the CSRF token and the CSP nonce.
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+')


@pytest.mark.parametrize("observer", OBSERVERS)
def test_page_filters_answer_a_foreign_id_like_a_missing_one(world, forbidden_for, login, observer,
                                                            monkeypatch):
    """The two pages are compared byte for byte: the clock stands still meanwhile, so a
    page that shows the time (a deviation's running notification clock) reads the same."""
    still = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: still)
    user = getattr(world, observer)
    client = login(user)
    forbidden = forbidden_for(user)
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


@pytest.mark.parametrize("observer", OBSERVERS)
def test_a_create_form_preset_from_the_url_offers_nothing_foreign(world, forbidden_for, login,
                                                                  observer):
    """`?meeting=<id>`, `?request=<id>`, `?decision=<id>`, `?owner=<id>` preset a new
    record's form: a foreign id is not among the choices, so nothing of it is printed."""
    user = getattr(world, observer)
    client = login(user)
    forbidden = forbidden_for(user)
    checked = 0
    for partnership in seat_partnerships(user):
        for name in ("governance:actionitem_create", "governance:decision_create",
                     "governance:risk_create", "governance:meeting_create",
                     "governance:request_create"):
            url = reverse(name, kwargs={"partnership_pk": partnership.pk})
            for param, model in (("meeting", Meeting), ("request", FormalRequest),
                                 ("decision", Decision), ("owner", User)):
                for pk in foreign_ids(model, user):
                    page = client.get(url, {param: pk})
                    assert page.status_code in (200, 403), f"{url}?{param}={pk}"
                    assert_nothing_foreign(page.content.decode(), forbidden,
                                           f"{url}?{param}={pk}")
                    checked += 1
    assert checked > 0 or not seat_partnerships(user)
