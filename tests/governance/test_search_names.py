"""Global search finds what people type: numbers and codes (with and without their prefix),
people by name, and near-misses, by trigram similarity beside the full-text ranking — in the
user's partnerships only (DESIGN §2); and the top bar's type-ahead that shows the best few."""

import re

import pytest
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Capa, Deviation, Request
from governance.overview.selectors import SUGGESTIONS, search, suggestions
from governance.requests.services import request_send
from partnership.models import Contract, Membership, Site, User
from partnership.search import full_name
from portal.registries.search import searchables
from tests.factories import ContractFactory, ProgramFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def found(groups) -> dict[str, list[str]]:
    return {group.heading: [str(record) for record in group.records] for group in groups}


def deviation(world, partnership, reference: str, title: str) -> Deviation:
    now = timezone.now()
    author = world.acme if partnership == world.acme_contoso else world.globex
    return Deviation.objects.create(
        partnership=partnership, author_organization=author, reference=reference, title=title,
        site=Site.objects.get(name="Contoso Boston"), kind="deviation",
        classification="major", description="Seen on the line", detected_at=now,
        sponsor_notified_at=now)


def test_a_document_number_is_found_with_and_without_its_prefix(world):
    deviation(world, world.acme_contoso, "DEV-2291", "Fill weight above the action limit")
    deviation(world, world.acme_contoso, "DEV-1187", "Torn gasket")
    ContractFactory(partnership=world.acme_contoso, kind=Contract.Kind.SOW,
                    reference="SOW-NWM-05", title="Clinical supply 2026")
    ContractFactory(partnership=world.acme_contoso, kind=Contract.Kind.SOW,
                    reference="SOW-NWM-07", title="PPQ campaign")
    for typed in ("DEV-2291", "2291", "dev 2291"):
        deviations = found(search(user=world.bob, query=typed))["Deviations"]
        assert deviations[0] == "DEV-2291 Fill weight above the action limit", typed
        assert "DEV-1187 Torn gasket" not in deviations
    contracts = found(search(user=world.bob, query="SOW-NWM-05"))["Contracts"]
    assert contracts[0] == "SOW-NWM-05 Clinical supply 2026"  # the exact code leads
    assert found(search(user=world.bob, query="ACM-1"))["Programs"] == ["ACM-1 Acmezumab"]


def test_a_person_is_found_by_name_and_by_a_near_miss_of_it(world):
    for typed in ("Alice", "alice acmeson", "Acmeson", "Alise Acmeson", "acmesn"):
        people = found(search(user=world.bob, query=typed)).get("People", [])
        assert any(name.startswith("Alice Acmeson – Lead in") for name in people), typed
    seat = search(user=world.bob, query="Alice Acmeson")[0].records[0]
    assert seat.get_absolute_url().endswith("/people/?q=alice%40acme.test")


def test_a_near_miss_finds_the_program(world):
    ProgramFactory(partnership=world.acme_contoso, code="ACM-7", name="Velarimab")
    assert found(search(user=world.bob, query="velarimb"))["Programs"] == ["ACM-7 Velarimab"]
    assert found(search(user=world.bob, query="Acmezumb"))["Programs"] == ["ACM-1 Acmezumab"]
    # A whole-word match leaves the near-misses out: names are compared only when no
    # document of the kind matches (a similarity per row read is what a common word cost).
    ProgramFactory(partnership=world.acme_contoso, code="ACM-8", name="Velarimib")
    assert found(search(user=world.bob, query="velarimab"))["Programs"] == ["ACM-7 Velarimab"]
    assert sorted(found(search(user=world.bob, query="velarimb"))["Programs"]) == [
        "ACM-7 Velarimab", "ACM-8 Velarimib"]


def near_misses(name: str) -> list[str]:
    """What a hurried typist makes of a name: a letter dropped, two swapped, the last one
    wrong."""
    middle = len(name) // 2
    return [name[:middle] + name[middle + 1:],
            name[:middle] + name[middle + 1] + name[middle] + name[middle + 2:],
            name[:-1] + ("x" if name[-1] != "x" else "y")]


#: The query as the pages echo it ("Nothing matches “…”", the link to every result).
ECHO = re.compile(r'“[^”]*”|\?q=[^"]*"')


def test_a_near_miss_of_a_foreign_name_finds_nothing_foreign(world, login):
    """The isolation suite's foreign names (programs, organizations, people of partnerships
    foreign to the observer), mistyped: nothing of them comes back, on the page, in the
    type-ahead or from the selector. The same near-misses find them for those who see them."""
    from tests.isolation.scope import OBSERVERS, foreign_names, foreign_partnerships

    deviation(world, world.globex_contoso, "DEV-7731", "Globex vial crack")
    assert found(search(user=world.carol, query="DEV-7731"))["Deviations"]
    assert found(search(user=world.carol, query="Globexumb"))["Programs"] == ["GLX-1 Globexumab"]
    for observer in OBSERVERS:
        user = getattr(world, observer)
        client = login(user)
        forbidden = foreign_names(user)
        typed_names = list(forbidden)
        if world.globex_contoso in foreign_partnerships(user):
            forbidden += ["DEV-7731", "Globex vial crack"]
            typed_names += ["DEV-7731", "7731"]
        for name in typed_names:
            misses = near_misses(name)
            shown = " ".join(str(record) for typed in misses
                             for group in search(user=user, query=typed)
                             for record in group.records)
            for url in ("governance:search", "governance:search_suggestions"):
                page = client.get(reverse(url), {"q": misses[0]}, HTTP_HX_REQUEST="true")
                shown += ECHO.sub("", page.content.decode())
            for text in forbidden:
                assert text not in shown, f"{misses} show {text!r} to {user}"
    # Carol (Contoso, in Globex–Contoso) meets Dave by a near-miss of his name; Bob does not.
    assert "People" in found(search(user=world.carol, query="Dave Globexsn"))
    assert "People" not in found(search(user=world.bob, query="Dave Globexsn"))


def test_every_name_searched_by_similarity_has_a_trigram_index(world):
    """A search reads each name through a trigram GIN index: with sequential scans off, the
    condition search puts on each name is answered from its index, so a near-miss or a bare
    number finds its rows in the index, not by comparing every row."""
    for searchable in searchables():
        trigram = [index for index in searchable.model._meta.indexes
                   if isinstance(index, GinIndex) and index.opclasses == ["gin_trgm_ops"]]
        named = [name for name in searchable.names if isinstance(name, str)]
        assert {index.fields[0] for index in trigram} >= set(named), searchable.heading
    people = next(entry for entry in searchables() if entry.heading == "People")
    assert any(index.name == "user_name_trgm" for index in User._meta.indexes)
    assert people.model is Membership and not people.full_text
    with connection.cursor() as cursor:
        # Neither reading the table through nor along another index (the model's ordering):
        # the trigram condition must be answerable from its own index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for searchable in searchables():
            for name in searchable.names:
                model = User if searchable is people else searchable.model
                expression = F(name) if isinstance(name, str) else full_name()
                queryset = model.objects.filter(
                    TrigramWordSimilar(expression, Value("vials"))).order_by()
                sql, params = queryset.query.sql_with_params()
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Bitmap Index Scan on" in plan and "_trgm" in plan, \
                    f"{searchable.heading}\n{plan}"


def test_the_type_ahead_shows_the_best_few_across_kinds(world, login,
                                                        django_assert_max_num_queries):
    for n in range(12):
        ProgramFactory(partnership=world.acme_contoso, code=f"ACM-{20 + n}",
                       name=f"Velarimab {n}")
    client = login(world.bob)
    url = reverse("governance:search_suggestions")
    client.get(url, {"q": "velarimb"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(1 + 1 + 4):  # the UNION, the programs, the page
        page = client.get(url, {"q": "velarimb"}, HTTP_HX_REQUEST="true").content.decode()
    options = re.findall(r'role="option"[^>]*href="([^"]+)"', page)
    assert len(options) == SUGGESTIONS + 1  # the best eight, and "All results"
    assert options[-1] == f"{reverse('governance:search')}?q=velarimb"
    assert "All results for “velarimb”" in page and "Programs · Acme Pharma" in page
    assert client.get(url, {"q": "v"}).content.decode().strip() == ""  # two letters first
    nothing = client.get(url, {"q": "qwertyuiop"}).content.decode()
    assert nothing.count('role="option"') == 1 and "Nothing matches" in nothing
    assert "<script" not in client.get(url, {"q": "<script>x"}).content.decode()
    assert login(world.oscar).get(url, {"q": "velarimb"}).content.decode().count(
        'role="option"') == 1
    client.logout()
    assert client.get(url, {"q": "velarimb"}).status_code == 302  # to log in


def test_the_top_bar_box_is_a_combobox_for_the_type_ahead(world, login):
    page = login(world.bob).get(reverse("partnership:partnership_list")).content.decode()
    box = re.search(r'<input[^>]*id="topbar-search"[^>]*>', page).group(0)
    assert 'role="combobox"' in box and 'aria-controls="topbar-suggestions"' in box
    assert f'hx-get="{reverse("governance:search_suggestions")}"' in box
    assert 'id="topbar-suggestions" role="listbox"' in page


def send(world, partnership, title: str, **fields) -> Request:
    actor = world.alice if partnership == world.acme_contoso else world.dave
    return request_send(actor=actor, partnership=partnership, title=title,
                        description=fields.pop("description", "Please"), kind="document",
                        **fields)


def test_requests_are_numbered_in_their_partnership_in_the_order_sent(world):
    first = send(world, world.acme_contoso, "Batch record of lot 2290")
    second = send(world, world.acme_contoso, "Stability data")
    elsewhere = send(world, world.globex_contoso, "Their first request")
    assert second.number == first.number + 1 and second.reference == f"REQ-{second.number:04d}"
    assert elsewhere.number == Request.objects.filter(
        partnership=world.globex_contoso).count()  # each partnership counts its own
    # Any other door (admin, a data fix) numbers a new request the same way.
    third = Request.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, title="By hand",
        description="Please", kind="document", requested_by_party="sponsor",
        acknowledge_by=timezone.now())
    assert third.number == second.number + 1


def test_a_request_is_found_by_its_number_however_it_is_typed(world):
    for n in range(11):
        send(world, world.acme_contoso, f"Request {n}")
    wanted = send(world, world.acme_contoso, "Certificate of analysis")
    reference = f"REQ-{wanted.number:04d}"
    for typed in (reference, f"REQ-{wanted.number}", str(wanted.number), reference.lower(),
                  f"req {wanted.number}"):
        requests = found(search(user=world.bob, query=typed))["Requests"]
        assert requests[0] == f"{reference} · Certificate of analysis", typed
    # A foreign partnership's request of the same number stays unseen.
    while send(world, world.globex_contoso, "Globex secret").number < wanted.number:
        pass
    assert not [name for name in found(search(user=world.bob, query=reference))["Requests"]
                if "Globex secret" in name]


def test_a_request_is_found_by_the_document_number_in_its_title(world):
    wanted = send(world, world.acme_contoso, "CoA for lot 2291")
    send(world, world.acme_contoso, "CoA for lot 1187")
    requests = found(search(user=world.bob, query="2291"))["Requests"]
    assert requests == [f"{wanted.reference} · CoA for lot 2291"]


def test_a_capa_is_found_by_its_reference(world):
    capas = list(Capa.objects.filter(partnership=world.acme_contoso))
    assert capas, "the saved world holds CAPAs"
    capa = capas[0]
    for typed in (capa.reference, f"CAPA-{capa.number}", capa.reference.lower()):
        assert found(search(user=world.bob, query=typed))["CAPAs"][0] == str(capa), typed


def test_the_type_ahead_asks_once_for_every_kind_however_many_match(
        world, login, django_assert_max_num_queries):
    from tests.governance.test_search import WORD, fill_every_kind

    fill_every_kind(world, 30)
    model_of = {searchable.heading: searchable.model for searchable in searchables()}
    with CaptureQueriesContext(connection) as queries:
        best = suggestions(user=world.bob, query=WORD)
    assert len(best) == SUGGESTIONS
    assert all(type(record) is model_of[record.heading] for record in best)
    # One UNION of every kind, then the records of the few kinds among the best.
    assert sum("UNION ALL" in query["sql"] for query in queries.captured_queries) == 1
    assert len(queries) <= 1 + len({record.heading for record in best})
    client = login(world.bob)
    url = reverse("governance:search_suggestions")
    client.get(url, {"q": WORD}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(1 + SUGGESTIONS + 4):
        page = client.get(url, {"q": WORD}, HTTP_HX_REQUEST="true").content.decode()
    assert page.count('role="option"') == SUGGESTIONS + 1
    # A number typed leads the type-ahead too.
    request = Request.objects.filter(partnership=world.acme_contoso).first()
    assert suggestions(user=world.bob, query=request.reference)[0] == request


def test_a_request_found_by_its_number_shows_the_number(world, login):
    """A person who types REQ-0012 sees REQ-0012 in the results and the type-ahead, not a
    bare title they cannot match to what they typed; a CAPA keeps its number once."""
    wanted = send(world, world.acme_contoso, "Certificate of analysis")
    client = login(world.bob)
    for url in (reverse("governance:search"), reverse("governance:search_suggestions")):
        page = client.get(url, {"q": wanted.reference}, HTTP_HX_REQUEST="true").content.decode()
        assert f"{wanted.reference} · Certificate of analysis" in page, url
    capa = Capa.objects.filter(partnership=world.acme_contoso).first()
    page = client.get(reverse("governance:search"), {"q": capa.reference}).content.decode()
    assert str(capa) in page and f"{capa.reference} {capa}" not in page
