"""Global search: PostgreSQL full-text search over the user's partnerships, DESIGN §2 first."""

import datetime

import pytest
from django.contrib.postgres.indexes import GinIndex
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.actions.services import action_item_create
from governance.meetings.services import meeting_create
from governance.models import (
    ActionItem,
    Audit,
    Batch,
    Capa,
    ChangeControl,
    Decision,
    Deviation,
    Finding,
    Inspection,
    Meeting,
    Notice,
    Recognition,
    Request,
    Risk,
    SiteQualification,
    Subcontractor,
)
from governance.overview.selectors import SEARCH_PER_TYPE, _snippet, search, search_query
from governance.relationship.services import recognition_create
from governance.requests.services import request_send
from governance.risks.services import risk_create
from partnership.models import Contract, Membership, Objective, Site, TechTransfer, User
from portal.registries.search import searchables
from tests.factories import ContractFactory, DeliverableFactory, ProgramFactory, SiteFactory

TODAY = timezone.localdate()
WORD = "zirconium"  # a word nothing else in the world contains


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def seed(world):
    """The word in Acme–Contoso (shared, and internal to Acme), and in Globex–Contoso."""
    p = world.acme_contoso
    action_item_create(actor=world.alice, partnership=p, owner=world.bob,
                       title="Check the vials", description=f"{WORD} traces",
                       due_date=TODAY)
    risk_create(actor=world.alice, partnership=p, is_internal=True,
                title=f"Acme only {WORD} concern", category="quality", likelihood=2,
                impact=3, owner=world.alice)
    action_item_create(actor=world.dave, partnership=world.globex_contoso,
                       owner=world.carol, title=f"Globex {WORD} filter",
                       due_date=TODAY)
    request = request_send(actor=world.bob, partnership=p, title="Stopper supplier",
                           description=f"Which {WORD} grade?", kind="information")
    meeting_create(actor=world.alice, partnership=p, title="Supply review",
                   kind="operations_review", agenda=f"1. {WORD} shortage",
                   starts_at=timezone.now() + datetime.timedelta(days=2))
    return request


def titles(groups) -> set[str]:
    return {str(record) for group in groups for record in group.records}


def test_finds_shared_records_of_every_kind_ranked_and_grouped(world):
    request = seed(world)
    groups = search(user=world.bob, query=WORD)
    # A request is named with the number people quote.
    assert titles(groups) == {"Check the vials", f"{request.reference} · Stopper supplier",
                              "Supply review"}
    assert [group.heading for group in groups] == ["Action items", "Meetings", "Requests"]
    programs = search(user=world.bob, query="Acmezumab")
    assert programs == [("Programs", [world.acme_program], False)]


def test_never_finds_a_competitors_or_the_other_partys_internal_record(world):
    seed(world)
    assert "Globex zirconium filter" not in titles(search(user=world.bob,
                                                          query=WORD))
    assert "Acme only zirconium concern" not in titles(search(user=world.bob,
                                                              query=WORD))
    assert "Acme only zirconium concern" in titles(search(user=world.alice,
                                                          query=WORD))
    assert titles(search(user=world.carol, query=WORD)) == {"Globex zirconium filter"}
    assert search(user=world.oscar, query=WORD) == []
    assert titles(search(user=world.bob, query="Globexumab")) == set()
    assert titles(search(user=world.bob, query="Secret backup plan")) == set()


def test_page_with_htmx_partial_and_bounded_queries(world, login,
                                                    django_assert_max_num_queries):
    seed(world)
    for n in range(15):
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           owner=world.bob, title=f"{WORD} batch {n}", due_date=TODAY)
    client = login(world.bob)
    url = reverse("governance:search")
    client.get(url, {"q": WORD})
    with django_assert_max_num_queries(len(searchables()) + 6):
        page = client.get(url, {"q": WORD}).content.decode()
    # A word in the title (weight A) ranks above one in the description: the vials fall
    # below the top ten action items.
    assert "zirconium batch" in page and "Check the vials" not in page
    assert "Stopper supplier" in page and "Acme Pharma – Contoso CDMO" in page
    actions = search(user=world.bob, query=WORD)[0]
    assert actions.heading == "Action items" and actions.more
    assert len(actions.records) == SEARCH_PER_TYPE  # 16 match; the top ten are shown
    assert page.count('<li class="list-group-item">') == SEARCH_PER_TYPE + 2
    assert "Globex" not in page
    partial = client.get(url, {"q": "vials"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results"') and "Check the vials" in partial
    assert "Nothing in your partnerships matches" in client.get(url, {"q": "qwertyuiop"}
                                                                ).content.decode()
    assert client.get(url, {"q": 'odd "syntax -or'}).status_code == 200


def test_search_box_is_in_the_top_bar(world, login):
    page = login(world.bob).get(reverse("partnership:partnership_list")).content.decode()
    assert f'action="{reverse("governance:search")}"' in page and 'name="q"' in page


def test_searching_for_any_foreign_name_shows_none_of_it(world, login):
    """The isolation suite's 'foreign names' (programs, organizations, people of partnerships
    foreign to the observer), typed into the search box, bring back nothing of them."""
    from tests.isolation.scope import OBSERVERS, foreign_names

    for observer in OBSERVERS:
        user = getattr(world, observer)
        client = login(user)
        forbidden = foreign_names(user)
        for name in forbidden:
            page = client.get(reverse("governance:search"), {"q": name},
                              HTTP_HX_REQUEST="true").content.decode()
            results = page.replace(f"matches “{name}”", "")  # the query echoed back
            for text in forbidden:
                assert text not in results, f"searching {name!r} shows {text!r} to {user}"


def test_snippet_marks_the_match_and_escapes_what_people_typed(world, login):
    action_item_create(actor=world.alice, partnership=world.acme_contoso,
                       owner=world.bob, title="Vials",
                       description=f"<script>alert(1)</script> the {WORD} lot",
                       due_date=TODAY)
    page = login(world.bob).get(reverse("governance:search"), {"q": WORD}).content.decode()
    assert f"<mark>{WORD}</mark>" in page
    assert "<script>alert(" not in page and "alert(1)" in page  # PostgreSQL drops the tag
    raw = _snippet("\x02a\x03 <b>&amp;</b>")
    assert raw == "<mark>a</mark> &lt;b&gt;&amp;amp;&lt;/b&gt;"


def search_page(client, query: str) -> str:
    response = client.get(reverse("governance:search"), {"q": query}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_last_word_matches_the_start_of_a_word_as_people_type(world, login):
    request = seed(world)
    shared = {"Check the vials", str(request), "Supply review"}
    assert titles(search(user=world.bob, query="zirc")) == shared
    assert titles(search(user=world.bob, query="check the via")) == {"Check the vials"}
    # Only the last word: the words before it are whole words.
    assert titles(search(user=world.bob, query="zirc vials")) == set()
    assert "<mark>zirconium</mark>" in search_page(login(world.bob), "zirc")


@pytest.mark.parametrize("typed", ["a & | !", "'", ":*", "(", "zirconium)", "'':*", "!!",
                                   "zirc <-> (", "a:B", "\\", "_ _", '"odd -or'])
def test_what_people_type_is_never_tsquery_syntax(world, login, typed):
    seed(world)
    page = search_page(login(world.bob), typed)
    if "zirc" in typed:
        assert "Check the vials" in page
    else:
        assert "Check the vials" not in page


def test_tsquery_syntax_is_read_as_the_words_around_it(world):
    seed(world)
    assert search_query("' & | ! ( :* _") is None
    found = titles(search(user=world.bob, query=f"({WORD} & !vials) | :*"))
    assert found == {"Check the vials"}  # "zirconium" and "vials", nothing negated


def add_actions(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                          owner=world.bob, title=f"{WORD} lot {i}", due_date=TODAY)


def test_the_badge_says_more_only_when_more_records_matched(world, login):
    client = login(world.bob)
    badge = '<span class="badge text-bg-light border">'
    add_actions(world, SEARCH_PER_TYPE)
    assert f"Action items {badge}10</span>" in search_page(client, WORD)
    assert not search(user=world.bob, query=WORD)[0].more
    add_actions(world, 1, start=SEARCH_PER_TYPE)
    assert f"Action items {badge}10+</span>" in search_page(client, WORD)
    assert search(user=world.bob, query=WORD)[0].more


def test_finds_thank_yous_of_the_users_partnerships_only(world, login):
    thanks = recognition_create(
        actor=world.alice, partnership=world.acme_contoso, recipients=[world.bob],
        team="Contoso stability lab",
        message=f"Thank you for turning the {WORD} assay around over the weekend.")
    recognition_create(actor=world.dave, partnership=world.globex_contoso,
                       recipients=[world.carol], message=f"Globex thanks for {WORD}")
    groups = search(user=world.bob, query=WORD)
    assert [group.heading for group in groups] == ["Recognition"]
    assert titles(groups) == {str(thanks)}
    page = search_page(login(world.bob), WORD)
    assert f"<mark>{WORD}</mark> assay" in page and "Globex" not in page
    assert titles(search(user=world.carol, query=WORD)) == {"Globex thanks for zirconium"}
    assert titles(search(user=world.bob, query="stability lab")) == {str(thanks)}


def fill_every_kind(world, n: int) -> None:
    """n records of every searched kind with WORD in their title, in Acme–Contoso."""
    p, acme, now = world.acme_contoso, world.acme, timezone.now()
    site = Site.objects.get(name="Contoso Boston")
    sow = ContractFactory(partnership=p, kind=Contract.Kind.SOW)
    shared = {"partnership": p, "author_organization": acme}
    for i in range(n):
        ProgramFactory(partnership=p, name=f"{WORD} program {i}")
        ContractFactory(partnership=p, title=f"{WORD} contract {i}")
        DeliverableFactory(sow=sow, title=f"{WORD} deliverable {i}")
    for model, fields in (
        (Objective, {"measure_of_success": "Met", "sponsor_owner": world.alice,
                     "cdmo_owner": world.bob, "review_date": TODAY}),
        (TechTransfer, {"program": world.acme_program, "site": site}),
        (ActionItem, {"owner": world.bob, "due_date": TODAY}),
        (Meeting, {"kind": Meeting.Kind.WEEKLY_CHECK_IN, "starts_at": now}),
        (Decision, {"rationale": "Because", "decided_on": TODAY}),
        (Request, {"description": "Please", "kind": Request.Kind.DOCUMENT,
                   "requested_by_party": "sponsor", "acknowledge_by": now}),
        (Risk, {"category": Risk.Category.SUPPLY, "likelihood": 2, "impact": 2,
                "owner": world.alice}),
        (Notice, {"kind": Notice.Kind.OTHER, "body": "From May"}),
    ):
        # bulk_create skips Request.save(), which numbers a request: number them here.
        base = model.objects.filter(partnership=p).count() if model is Request else None
        model.objects.bulk_create([model(
            title=f"{WORD} {model.__name__} {i}", **shared, **fields,
            **({} if base is None else {"number": base + 1 + i})) for i in range(n)])
    Recognition.objects.bulk_create([Recognition(message=f"Thanks {WORD} {i}", **shared)
                           for i in range(n)])
    Audit.objects.bulk_create([Audit(
        scope=f"{WORD} audit {i}", site=site, kind=Audit.Kind.ROUTINE, planned_start=TODAY,
        planned_end=TODAY, lead_auditor=world.alice, **shared) for i in range(n)])
    finding = Finding.objects.filter(partnership=p).first()
    base = Capa.objects.filter(partnership=p).count()
    Deviation.objects.bulk_create([Deviation(
        reference=f"DEV-S{base + i}", title=f"{WORD} deviation {i}", site=site, kind="deviation",
        classification="minor", description="Seen", detected_at=now, sponsor_notified_at=now,
        **shared) for i in range(n)])
    Capa.objects.bulk_create([Capa(
        number=base + 1 + i, title=f"{WORD} CAPA {i}", finding=finding, root_cause="Cause",
        action_plan="Plan", owner=world.bob, due_date=TODAY, **shared) for i in range(n)])
    Batch.objects.bulk_create([Batch(
        lot_number=f"{WORD} {n}-{i}", program=world.acme_program, site=site,
        stage=Batch.Stage.DRUG_SUBSTANCE, manufactured_on=TODAY, **shared) for i in range(n)])
    # A qualification per site: n more of Contoso's sites.
    start = Site.objects.filter(organization=world.contoso).count()
    sites = [SiteFactory(organization=world.contoso, name=f"Contoso plant {start + i}")
             for i in range(n)]
    SiteQualification.objects.bulk_create([SiteQualification(
        site=sites[i], status="approved_with_conditions", approved_activities=["packaging"],
        conditions=f"{WORD} conditions {i}", **shared) for i in range(n)])
    qualification = SiteQualification.objects.filter(partnership=p).first()
    Inspection.objects.bulk_create([Inspection(
        partnership=p, qualification=qualification, authority="eu", inspected_on=TODAY,
        outcome="nai", authority_name=f"{WORD} agency {i}", entered_by=world.bob)
        for i in range(n)])
    Subcontractor.objects.bulk_create([Subcontractor(
        partnership=p, qualification=qualification, name=f"{WORD} lab {i}",
        activity="Sterility testing", location="Leiden", entered_by=world.bob)
        for i in range(n)])
    ChangeControl.objects.bulk_create([ChangeControl(
        reference=f"CC-S{n}-{i}", title=f"{WORD} change {i}", site=site, category="process",
        program=world.acme_program, description="Longer hold", rationale="Scheduling",
        proposed_on=TODAY, **shared) for i in range(n)])
    # People, found by name: n more of Contoso's people with a seat in Acme–Contoso.
    people = User.objects.bulk_create([User(
        email=f"person{n}-{i}@contoso.test", first_name=f"Person{i}", last_name=WORD,
        organization=world.contoso) for i in range(n)])
    Membership.objects.bulk_create([Membership(partnership=p, user=person)
                                    for person in people])
    # KPI definitions (metrics.kpis), found by their name and formula.
    from metrics.models import KPIDefinition

    KPIDefinition.objects.bulk_create([KPIDefinition(
        key=f"s{n}-{i}", name=f"{WORD} KPI {i}", formula="Lots on time ÷ lots due × 100.",
        unit="%", direction="higher", target=95, amber_threshold=90, red_threshold=80,
        reporting_party="cdmo", **shared) for i in range(n)])


def test_a_search_costs_the_same_queries_with_thirty_records_of_every_kind(
        world, login, django_assert_max_num_queries):
    client = login(world.bob)
    fill_every_kind(world, 1)
    search_page(client, WORD)
    with CaptureQueriesContext(connection) as small:
        search_page(client, WORD)
    fill_every_kind(world, 30)
    with django_assert_max_num_queries(len(small)):
        page = search_page(client, WORD)
    assert len(small) <= len(searchables()) + 6
    assert page.count("10+</span>") == len(searchables())


def test_filters_and_ranks_on_the_stored_indexed_document(world):
    """Nothing is parsed at search time: no to_tsvector over every row (twice, to filter and
    to rank), only the stored `search_document`, which a GIN index covers."""
    with CaptureQueriesContext(connection) as queries:
        search(user=world.bob, query="vials")
    searches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert len(searches) == len([entry for entry in searchables() if entry.full_text])
    for sql in searches:
        assert "to_tsvector" not in sql
        assert '"search_document" @@ (to_tsquery(' in sql
        assert 'ts_rank("' in sql and '"."search_document", to_tsquery(' in sql
    for searchable in searchables():
        if not searchable.full_text:  # people: by name only (test_search_names.py)
            continue
        assert any(isinstance(index, GinIndex) and index.fields == ["search_document"]
                   for index in searchable.model._meta.indexes), searchable.model


def test_finds_the_sites_qualifications_inspections_and_subcontractors(world, login):
    """Issue 12, item 1 in search: a site's qualification by its conditions, an inspection
    by its agency or certificate, a subcontractor by its name or activity — in the user's
    partnerships only."""
    p = world.acme_contoso
    qualification = SiteQualification.objects.get(partnership=p)
    SiteQualification.objects.filter(pk=qualification.pk).update(
        conditions=f"Aseptic filling only after the {WORD} smoke studies")
    Inspection.objects.create(partnership=p, qualification=qualification, authority="eu",
                              authority_name="AIFA", inspected_on=TODAY, outcome="nai",
                              certificate_number="IT/AIFA/2026/118", entered_by=world.bob,
                              summary=f"Aseptic {WORD} line inspected; no observation.")
    Subcontractor.objects.create(partnership=p, qualification=qualification,
                                 name=f"{WORD.title()} Irradiation BV", activity="Gamma",
                                 location="Ede", entered_by=world.bob)
    other = SiteQualification.objects.get(partnership=world.globex_contoso)
    Subcontractor.objects.create(partnership=world.globex_contoso, qualification=other,
                                 name=f"Globex {WORD} lab", activity="Assay",
                                 location="Osaka", entered_by=world.dave)
    groups = search(user=world.bob, query=WORD)
    assert [group.heading for group in groups] == ["Site qualifications", "Inspections",
                                                   "Subcontractors"]
    assert f"Globex {WORD} lab" not in titles(groups)
    page = search_page(login(world.alice), WORD)
    assert qualification.get_absolute_url() in page and f"<mark>{WORD}</mark>" in page
    assert titles(search(user=world.dave, query=WORD)) == {f"Globex {WORD} lab (Assay)"}
