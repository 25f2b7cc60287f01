"""Global search: PostgreSQL full-text search over the user's partnerships, DESIGN §2 first."""

import datetime

from django.urls import reverse
from django.utils import timezone

from governance import selectors, services

TODAY = timezone.localdate()
WORD = "zirconium"  # a word nothing else in the world contains


def seed(world):
    """The word in Acme–Contoso (shared, and internal to Acme), and in Globex–Contoso."""
    p = world.acme_contoso
    services.action_item_create(actor=world.alice, partnership=p, owner=world.bob,
                                title="Check the vials", description=f"{WORD} traces",
                                due_date=TODAY)
    services.risk_create(actor=world.alice, partnership=p, is_internal=True,
                         title=f"Acme only {WORD} concern", category="quality", likelihood=2,
                         impact=3, owner=world.alice)
    services.action_item_create(actor=world.dave, partnership=world.globex_contoso,
                                owner=world.carol, title=f"Globex {WORD} filter",
                                due_date=TODAY)
    services.request_send(actor=world.bob, partnership=p, title="Stopper supplier",
                          description=f"Which {WORD} grade?", kind="information")
    services.meeting_create(actor=world.alice, partnership=p, title="Supply review",
                            kind="operations_review", agenda=f"1. {WORD} shortage",
                            starts_at=timezone.now() + datetime.timedelta(days=2))


def titles(groups) -> set[str]:
    return {str(record) for _heading, records in groups for record in records}


def test_finds_shared_records_of_every_kind_ranked_and_grouped(world):
    seed(world)
    groups = selectors.search(user=world.bob, query=WORD)
    assert titles(groups) == {"Check the vials", "Stopper supplier", "Supply review"}
    assert [heading for heading, _ in groups] == ["Action items", "Meetings", "Requests"]
    programs = selectors.search(user=world.bob, query="Acmezumab")
    assert programs == [("Programs", [world.acme_program])]


def test_never_finds_a_competitors_or_the_other_partys_internal_record(world):
    seed(world)
    assert "Globex zirconium filter" not in titles(selectors.search(user=world.bob,
                                                                    query=WORD))
    assert "Acme only zirconium concern" not in titles(selectors.search(user=world.bob,
                                                                        query=WORD))
    assert "Acme only zirconium concern" in titles(selectors.search(user=world.alice,
                                                                    query=WORD))
    assert titles(selectors.search(user=world.carol, query=WORD)) == {"Globex zirconium filter"}
    assert selectors.search(user=world.oscar, query=WORD) == []
    assert titles(selectors.search(user=world.bob, query="Globexumab")) == set()
    assert titles(selectors.search(user=world.bob, query="Secret backup plan")) == set()


def test_page_with_htmx_partial_and_bounded_queries(world, login,
                                                    django_assert_max_num_queries):
    seed(world)
    for n in range(15):
        services.action_item_create(actor=world.alice, partnership=world.acme_contoso,
                                    owner=world.bob, title=f"{WORD} batch {n}", due_date=TODAY)
    client = login(world.bob)
    url = reverse("governance:search")
    client.get(url, {"q": WORD})
    with django_assert_max_num_queries(len(selectors.SEARCHABLE) + 6):
        page = client.get(url, {"q": WORD}).content.decode()
    # A word in the title (weight A) ranks above one in the description: the vials fall
    # below the top ten action items.
    assert "zirconium batch" in page and "Check the vials" not in page
    assert "Stopper supplier" in page and "Acme Pharma – Contoso CDMO" in page
    actions = dict(selectors.search(user=world.bob, query=WORD))["Action items"]
    assert len(actions) == selectors.SEARCH_PER_TYPE  # 16 match; the top ten are shown
    assert page.count('<li class="list-group-item">') == selectors.SEARCH_PER_TYPE + 2
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
    from tests.isolation.test_isolation import OBSERVERS, foreign_names

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
    services.action_item_create(actor=world.alice, partnership=world.acme_contoso,
                                owner=world.bob, title="Vials",
                                description=f"<script>alert(1)</script> the {WORD} lot",
                                due_date=TODAY)
    page = login(world.bob).get(reverse("governance:search"), {"q": WORD}).content.decode()
    assert f"<mark>{WORD}</mark>" in page
    assert "<script>alert(" not in page and "alert(1)" in page  # PostgreSQL drops the tag
    raw = selectors._snippet("\x02a\x03 <b>&amp;</b>")
    assert raw == "<mark>a</mark> &lt;b&gt;&amp;amp;&lt;/b&gt;"
