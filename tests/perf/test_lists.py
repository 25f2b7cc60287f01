"""Lists stay bounded as the data grows: the count stops at a limit, the "From meeting"
filter offers a few meetings and a type-ahead for the others, and a list page's queries do
not grow with its rows."""

import datetime

import pytest
from django.core.paginator import EmptyPage
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.actions.filters import MEETING_CHOICES
from governance.models import ActionItem, Meeting
from portal.pagination import BoundedPaginator
from tests.clock import day_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def actions(partnership, owner, count: int, meeting=None) -> None:
    ActionItem.objects.bulk_create(
        ActionItem(partnership=partnership, author_organization=partnership.sponsor,
                   title=f"Bulk action {n}", owner=owner, meeting=meeting,
                   due_date=TODAY + datetime.timedelta(days=n % 90))
        for n in range(count))


def meetings(partnership, count: int, title: str = "Weekly check-in") -> list[Meeting]:
    start = timezone.now() - datetime.timedelta(days=count)
    return Meeting.objects.bulk_create(
        Meeting(partnership=partnership, author_organization=partnership.sponsor,
                title=f"{title} {n}", kind="weekly", duration_minutes=30,
                starts_at=start + datetime.timedelta(days=n))
        for n in range(count))


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "count_limit", 10)


def test_the_count_stops_at_the_limit_and_pages_go_on(world, small_limit):
    actions(world.acme_contoso, world.alice, 23)
    rows = ActionItem.objects.filter(partnership=world.acme_contoso).order_by("pk")
    paginator = BoundedPaginator(rows, 4)
    assert (paginator.count, paginator.exact) == (10, False)
    third = paginator.page(3)
    assert third.has_next() and len(third.object_list) == 4
    total = rows.count()  # 23 and the world's own
    pages = -(-total // 4)
    last = paginator.page(pages)  # past the counted ten, still served
    assert not last.has_next() and len(last.object_list) == total - 4 * (pages - 1)
    with pytest.raises(EmptyPage):
        paginator.page(pages + 1)
    exact = BoundedPaginator(rows[:9], 4)
    assert (exact.count, exact.exact, exact.num_pages) == (9, True, 3)


def test_a_long_list_says_more_than_and_has_no_last_page(world, login, small_limit):
    actions(world.acme_contoso, world.alice, 30)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    page = login(world.alice).get(url).content.decode()
    assert "More than 10 in all" in page and "Page 1 of" not in page
    assert "page=2" in page
    assert login(world.alice).get(url, {"page": 2}).status_code == 200


def test_the_api_count_is_bounded_and_next_goes_on(world, small_limit):
    actions(world.acme_contoso, world.alice, 30)
    client = APIClient()
    client.force_authenticate(world.alice)
    url = f"/api/v1/action-items/?partnership={world.acme_contoso.pk}&page_size=25"
    first = client.get(url).json()
    assert first["count"] == 10 and first["next"] and len(first["results"]) == 25
    second = client.get(first["next"]).json()
    assert second["next"] is None and len(second["results"]) >= 5


def test_from_meeting_offers_the_latest_and_the_chosen_one(world, login):
    held = meetings(world.acme_contoso, MEETING_CHOICES + 15)
    for meeting in held:
        actions(world.acme_contoso, world.alice, 1, meeting=meeting)
    oldest = held[0]
    client = login(world.alice)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    page = client.get(url).content.decode()
    assert page.count("Weekly check-in ") == MEETING_CHOICES
    assert f"{oldest.title} (" not in page
    # The oldest meeting is still accepted, and shown as the choice.
    chosen = client.get(url, {"meeting": oldest.pk}).content.decode()
    assert f'value="{oldest.pk}" selected' in chosen
    # The search box narrows the select, with JavaScript (the options view) or without.
    found = client.get(url, {"choices_of": "meeting", "meeting_q": "check-in 3"}
                       ).content.decode()
    assert found.startswith("<select") and 'id="filter_meeting"' in found
    assert f"{held[3].title} (" in found
    assert f"{held[4].title} (" not in found
    narrowed = client.get(url, {"meeting_q": day_of(held[1].starts_at, world.alice).isoformat()}
                          ).content.decode()
    assert f"{held[1].title} (" in narrowed


def test_a_meeting_of_last_year_is_found_by_its_year_month_or_day(world, login):
    """The walk typed "2025" to find a meeting of last year and was offered none: the box
    also takes a year, a month and the options' own date format."""
    zone = timezone.get_current_timezone()
    held = Meeting.objects.bulk_create(
        Meeting(partnership=world.acme_contoso, author_organization=world.acme_contoso.sponsor,
                title=title, kind="weekly", duration_minutes=30,
                starts_at=datetime.datetime(*day, 10, tzinfo=zone))
        for title, day in (("Kick-off", (2025, 3, 5)), ("Review", (2025, 11, 20)),
                           ("Recent", (2026, 5, 1))))
    for meeting in held:
        actions(world.acme_contoso, world.alice, 1, meeting=meeting)
    client = login(world.alice)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])

    def offered(text):
        page = client.get(url, {"choices_of": "meeting", "meeting_q": text}).content.decode()
        return {m.title for m in held if f"{m.title} (" in page}

    assert offered("2025") == {"Kick-off", "Review"}
    assert offered("2025-11") == offered("Nov 2025") == offered("November 2025") == {"Review"}
    assert offered("2025-03-05") == offered("5 Mar 2025") == {"Kick-off"}
    assert offered("review") == {"Review"}
    for odd in ("9999", "0", "2025-13", "32 Mar 2025"):
        assert client.get(url, {"choices_of": "meeting", "meeting_q": odd}).status_code == 200


def test_the_search_box_keeps_the_chosen_meeting_and_says_what_it_finds_by(world, login):
    held = meetings(world.acme_contoso, 3)
    for meeting in held:
        actions(world.acme_contoso, world.alice, 1, meeting=meeting)
    client = login(world.alice)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    page = client.get(url).content.decode()
    assert 'hx-include="closest form"' in page
    assert 'placeholder="Title, year, month or day…"' in page
    # The box sends the form with its text (hx-include): the chosen meeting stays chosen.
    found = client.get(url, {"choices_of": "meeting", "meeting": held[0].pk,
                             "meeting_q": "no such title"}).content.decode()
    assert f'value="{held[0].pk}" selected' in found


def test_the_meeting_options_are_of_the_callers_scope(world, login):
    foreign = meetings(world.globex_contoso, 1, title="Globex secret")[0]
    actions(world.globex_contoso, world.dave, 1, meeting=foreign)
    client = login(world.alice)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    choices = {"choices_of": "meeting", "meeting_q": "Globex"}
    assert "Globex secret" not in client.get(url, choices).content.decode()
    assert client.get(reverse("governance:actionitem_list", args=[world.globex_contoso.pk]),
                      choices).status_code == 404
    assert client.get(url, {"choices_of": "status"}).status_code == 404
    listed = client.get(url, {"meeting": foreign.pk})
    assert listed.status_code == 200 and "Globex secret" not in listed.content.decode()


@pytest.mark.parametrize("name", ["governance:actionitem_list", "governance:request_list",
                                  "governance:meeting_list", "governance:audit_list",
                                  "governance:deviation_list", "governance:batch_list"])
def test_a_list_page_runs_as_many_queries_with_ten_times_the_rows(
        world, login, name, django_assert_num_queries, django_assert_max_num_queries):
    """The same number of queries on a page of a few rows and of many (no per-row query,
    no choices that grow): counted on a small set, then checked on a ten times larger one."""
    client = login(world.alice)
    url = reverse(name, args=[world.acme_contoso.pk])

    def grow(count):
        held = meetings(world.acme_contoso, count)
        actions(world.acme_contoso, world.alice, count * 3, meeting=held[-1])
        for meeting in held:
            actions(world.acme_contoso, world.alice, 1, meeting=meeting)

    grow(3)
    client.get(url)
    with django_assert_max_num_queries(100) as few:
        assert client.get(url).status_code == 200
    queries = len(few)  # now: the next request empties the connection's log
    grow(60)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
