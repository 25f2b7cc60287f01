"""DESIGN §2 inside one partnership: what a party marks internal, the other party never meets.

Every record Acme wrote in Acme–Contoso is made internal (straight in the database, as if
each had been marked so from the start) and its text is tagged SECRET-. Then Bob (Contoso,
same partnership) walks every page and API route of the registry: no response may hold the
tag, and the detail of each hidden record answers 404. Alice walks the same way and must meet
the tag, which shows that the walk reaches the records at all. New pages and routes are
walked as soon as they are in tests/isolation/registry.py, new kinds of record as soon as
they are a SharedRecord (or declare INTERNAL_VIA).
"""

from django.apps import apps
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse

from governance.meetings.services import calendar_feed_create
from partnership.scoping import SharedRecord
from portal.api import router
from tests.isolation.registry import API_ROUTES, SCOPED_URLS
from tests.partnership.test_api import api

TAG = "SECRET-"
TEXT_FIELDS = {"title", "name", "message", "description", "body", "rationale", "summary",
               "note", "text", "comment", "minutes", "agenda", "mitigation",
               "measure_of_success", "team"}


def _tag(queryset) -> None:
    names = [field.name for field in queryset.model._meta.fields
             if field.name in TEXT_FIELDS and not field.choices]
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
            rows = model.objects.filter(**{f"{parents[0]}__partnership": world.acme_contoso,
                                           f"{parents[0]}__author_organization": world.acme})
            hidden += [(model, pk) for pk in rows.values_list("pk", flat=True)]
            _tag(rows)
    return hidden


def _page_urls(world) -> list[str]:
    urls = [reverse(name, kwargs=kwargs) for name, build in SCOPED_URLS.items()
            for kwargs in build(world.acme_contoso)]
    urls += [reverse("governance:my_work"), reverse("partnership:partnership_list"),
             reverse("portal:notification_list"), f"{reverse('governance:search')}?q=secret",
             reverse("governance:calendar_feed",
                     args=[calendar_feed_create(actor=world.bob).secret])]
    return urls


def _tagged_responses(client, urls) -> list[str]:
    found = []
    for url in urls:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            body = b"".join(response.streaming_content) if response.streaming \
                else response.content
            if response.status_code == 200 and TAG.encode() in body:
                found.append(url)
    return found


def test_no_page_shows_the_other_partys_internal_records(world, login):
    hide_what_acme_wrote(world)
    urls = _page_urls(world)
    assert _tagged_responses(login(world.bob), urls) == []
    assert len(_tagged_responses(login(world.alice), urls)) >= 10  # the walk reaches them


def test_no_api_route_shows_the_other_partys_internal_records(world):
    hidden = hide_what_acme_wrote(world)
    hidden_ids = {(model, pk) for model, pk in hidden}
    bob, alice = api(world.bob), api(world.alice)
    seen_by_alice = 0
    for prefix, viewset, basename in router.registry:
        listing = f"/api/v1/{prefix}/?page_size=1000"
        assert TAG not in bob.get(listing).content.decode(), f"{prefix} list shows it to Bob"
        seen_by_alice += TAG in alice.get(listing).content.decode()
        model = getattr(viewset, "model", None)
        for pk in API_ROUTES[basename](world.acme_contoso):
            response = bob.get(f"/api/v1/{prefix}/{pk}/")
            assert TAG not in response.content.decode(), f"{prefix}/{pk} shows it to Bob"
            if (model, pk) in hidden_ids:
                assert response.status_code == 404, f"{prefix}/{pk}: {response.status_code}"
    assert seen_by_alice >= 10
