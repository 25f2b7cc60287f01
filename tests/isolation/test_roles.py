"""Inside a partnership: its viewer and its steering committee member read everything and
change nothing; every seat reads every list and record page; an htmx request to a list page
gets only the list's partial — one case per page (or API route) and person."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.parsers import JSONParser

from portal.api import router
from tests.isolation.registry import (
    API_RECORDS,
    LIST_PAGES,
    READ_ONLY,
    READ_PAGES,
    READERS,
    RECORD_OF,
    UNSCOPED_URLS,
    WRITE_PAGES,
    urls_in,
)
from tests.isolation.scope import body_of, every_row, writes_during
from tests.partnership.test_api import api

ROUTES = [route for route in router.registry if route[2] in API_RECORDS]
ROUTE_IDS = [basename for _prefix, _viewset, basename in ROUTES]


def _refused(response, writes, where, hidden: bool = False) -> list[str]:
    """A seat that reads the record is refused its write (403); one the record is hidden
    from (Record.readers) is refused for its role or answered as a stranger (403 or 404).
    Nothing is written either way."""
    if response.status_code not in ((403, 404) if hidden else (403,)) or writes:
        return [f"{where}: {response.status_code}, {len(writes)} writes"]
    return []


#: Writes every seat may make by design (Record.open_to_readers) are left out.
CLOSED_WRITE_PAGES = [name for name in WRITE_PAGES if name not in RECORD_OF[name].open_to_readers]


@pytest.mark.parametrize("person", READ_ONLY)
@pytest.mark.parametrize("name", CLOSED_WRITE_PAGES)
def test_read_only_seat_is_refused_every_write_page(world, login, name, person):
    """403 and not one row changed, with a form that would be valid for a writer."""
    record = RECORD_OF[name]
    client = login(getattr(world, person))
    body = record.page_bodies.get(name)
    rows = record.shared_rows(world.acme_contoso) or [world.acme_contoso]
    urls = urls_in(name, world.acme_contoso)
    assert urls, f"no {name} in Acme–Contoso to post to"
    failures = []
    for url in urls:
        data = body(rows[0] if name in record.writes else world.acme_contoso) if body else {}
        response, writes = writes_during(lambda url=url, data=data: client.post(url, data))
        hidden = name in record.writes and person not in record.readers
        failures += _refused(response, writes, f"POST {url}", hidden)
    assert failures == []


def api_body(record, viewset, reader_client, prefix, row, door: str):
    """A body a writer could send: the record as its party reads it, plus what the door needs
    besides (a review's results, a step's note); multipart where the route takes files."""
    body = dict(reader_client.get(f"/api/v1/{prefix}/{row.pk}/").json())
    body.pop("id", None)
    if door != "create" and door != "update":
        body = {}
    if door in record.api_bodies:
        body.update(record.api_bodies[door](row))
    if not any(issubclass(parser, JSONParser) for parser in viewset.parser_classes):
        body = {key: value for key, value in body.items()
                if value is not None and not isinstance(value, list | dict)}
        body.setdefault("file", SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms",
                                                   "application/pdf"))
        return body, "multipart"
    return body, "json"


def write_doors(prefix, viewset, record, pk) -> list[tuple[str, str, str]]:
    """(method, URL, door) of every write the route offers on record `pk`, but those open
    to every seat by design."""
    base, doors = f"/api/v1/{prefix}/", []
    if hasattr(viewset, "create") and "create" not in record.open_to_readers:
        doors += [("post", base, "create")]
    if hasattr(viewset, "update"):
        doors += [("put", f"{base}{pk}/", "update"), ("patch", f"{base}{pk}/", "update")]
    if hasattr(viewset, "destroy"):
        doors += [("delete", f"{base}{pk}/", "destroy")]
    for action in viewset.get_extra_actions():
        if "post" in action.mapping and action.url_path not in record.open_to_readers:
            doors += [("post", f"{base}{pk}/{action.url_path}/" if action.detail
                       else f"{base}{action.url_path}/", action.url_path)]
    return doors


WRITE_ROUTES = [route for route in ROUTES if write_doors(*route[:2], API_RECORDS[route[2]], 0)]


@pytest.mark.parametrize("person", READ_ONLY)
@pytest.mark.parametrize(("prefix", "viewset", "basename"), WRITE_ROUTES,
                         ids=[basename for _prefix, _viewset, basename in WRITE_ROUTES])
def test_read_only_seat_is_refused_every_api_write(world, person, prefix, viewset, basename):
    record = API_RECORDS[basename]
    # A writer who reads the record builds the body (Alice, or Bob where only he reads it).
    reader = getattr(world, "alice" if "alice" in record.readers else "bob")
    client, writer = api(getattr(world, person)), api(reader)
    rows = record.shared_rows(world.acme_contoso, reader)
    assert rows, f"no {basename} in Acme–Contoso"
    row = rows[0]
    doors = write_doors(prefix, viewset, record, row.pk)
    failures = []
    for method, url, door in doors:
        data, fmt = api_body(record, viewset, writer, prefix, row, door)
        response, writes = writes_during(
            lambda method=method, url=url, data=data, fmt=fmt: getattr(client, method)(
                url, data, format=fmt))
        hidden = door != "create" and person not in record.readers
        failures += _refused(response, writes, f"{method.upper()} {url}", hidden)
    assert failures == []


#: (page, person): list pages to every seat, a record's pages to its readers.
READINGS = [(name, person) for name in LIST_PAGES + READ_PAGES for person in READERS
            if name in RECORD_OF[name].lists or person in RECORD_OF[name].readers]


@pytest.mark.parametrize(("name", "person"), READINGS,
                         ids=[f"{name}-{person}" for name, person in READINGS])
def test_every_seat_reads_every_page(world, login, name, person):
    record = RECORD_OF[name]
    user = getattr(world, person)
    client = login(user)
    urls = urls_in(name, world.acme_contoso, user)
    assert urls, f"no {name} in Acme–Contoso for {person}"
    expected = record.read_status.get(name, 200)
    failures = [f"GET {url}: {status}" for url in urls
                if (status := client.get(url).status_code) != expected]
    assert failures == []


API_READINGS = [(*route, person) for route in ROUTES for person in READERS
                if person in API_RECORDS[route[2]].readers]


@pytest.mark.parametrize(("prefix", "viewset", "basename", "person"), API_READINGS,
                         ids=[f"{basename}-{person}" for _p, _v, basename, person in API_READINGS])
def test_every_seat_reads_its_records_in_the_api(world, person, prefix, viewset, basename):
    """Each record of Acme–Contoso the person may see is on some page of the list and opens."""
    record = API_RECORDS[basename]
    user = getattr(world, person)
    client = api(user)
    listed = {row["id"] for row in every_row(client, f"/api/v1/{prefix}/")}
    rows = record.shared_rows(world.acme_contoso, user)
    assert rows, f"no {basename} in Acme–Contoso for {person}"
    assert {row.pk for row in rows} - listed == set(), f"/api/v1/{prefix}/ as {user}"
    for row in rows:
        response = client.get(f"/api/v1/{prefix}/{row.pk}/")
        assert response.status_code == 200, f"/api/v1/{prefix}/{row.pk}/ as {user}"


#: Every list page, but those the registry says answer htmx with the whole page, and why.
HTMX_LISTS = sorted(name for name in [*LIST_PAGES, *UNSCOPED_URLS] if name.endswith("_list")
                    and name not in RECORD_OF[name].whole_page_to_htmx)


@pytest.mark.parametrize("name", HTMX_LISTS)
def test_htmx_gets_only_the_list_partial(world, login, name):
    record = RECORD_OF[name]
    client = login(world.alice)
    urls = urls_in(name, world.acme_contoso) if name in record.lists else [reverse(name)]
    for url in urls:
        page = client.get(url)
        partial = client.get(url, HTTP_HX_REQUEST="true")
        assert page.status_code == partial.status_code == 200, url
        assert b"<html" in body_of(page), url
        assert b"<html" not in body_of(partial), f"{url} gave htmx the whole page"
