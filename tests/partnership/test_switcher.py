"""The partnership switcher at a large sponsor's scale: the top bar lists a few partnerships
(the current one and the last visited first) and searches the rest; "My partnerships" pages
and searches them all; the top bar's links are answered without reading every partnership."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.models import Membership, Organization
from partnership.parties.context_processors import SWITCHER_ROWS
from partnership.parties.views import PARTNERSHIP_SUGGESTIONS, PARTNERSHIPS_PAGE
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)


@pytest.fixture
def world(saved_world):
    return saved_world


def seat_in_many(count: int, *, role=Membership.Role.LEAD, last_role=None):
    """A sponsor's lead seated in `count` partnerships, with CDMOs named 'Cdmo 00' …; the
    last of them by name with `last_role` when given."""
    sponsor = OrganizationFactory(name="Zeta Sponsor", kind=Organization.Kind.SPONSOR)
    lead = UserFactory(organization=sponsor, email="zed@zeta.test")
    partnerships = []
    for number in range(count):
        cdmo = OrganizationFactory(name=f"Cdmo {number:02}", kind=Organization.Kind.CDMO)
        partnership = PartnershipFactory(sponsor=sponsor, cdmo=cdmo)
        seat = last_role if last_role and number == count - 1 else role
        MembershipFactory(partnership=partnership, user=lead, role=seat)
        partnerships.append(partnership)
    cache.delete(f"partnership:recent:{lead.pk}")
    return lead, partnerships


def switcher(page: str) -> list[str]:
    menu = page.split('class="dropdown-menu switcher"', 1)[1].split("All my partnerships")[0]
    return re.findall(r'class="dropdown-item[^"]*"[^>]*href="/p/(\d+)/"', menu)


def test_the_top_bar_lists_a_few_partnerships_the_current_and_last_visited_first(login, world):
    lead, partnerships = seat_in_many(SWITCHER_ROWS + 15)
    client = login(lead)
    client.get(partnerships[-1].get_absolute_url())
    page = client.get(partnerships[-3].get_absolute_url()).content.decode()
    listed = switcher(page)
    assert len(listed) == SWITCHER_ROWS
    assert listed[:2] == [str(partnerships[-3].pk), str(partnerships[-1].pk)]
    assert listed[2:] == [str(p.pk) for p in partnerships[:SWITCHER_ROWS - 2]]  # then by name
    assert 'id="switcher-q"' in page  # more than fit: the search box


def test_a_few_partnerships_need_no_search_box(login, world):
    page = login(world.alice).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert len(switcher(page)) == 2 and 'id="switcher-q"' not in page


def queries_of(client, url) -> int:
    client.get(url)  # the session's and the recent visits' first writes
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_top_bar_costs_the_same_queries_for_hundreds_of_partnerships(login, world):
    url = reverse("governance:audit_calendar")
    few = queries_of(login(world.alice), url)
    lead, _partnerships = seat_in_many(120, last_role=Membership.Role.STEERING)
    client = login(lead)
    assert queries_of(client, url) == few
    assert len(switcher(client.get(url).content.decode())) == SWITCHER_ROWS


def test_links_are_read_from_every_partnership_not_only_those_listed(login, world):
    """Zed sits on a steering committee only in his last partnership by name, far past the
    switcher's rows: the Steering link shows all the same (and Portfolio, as a sponsor's)."""
    lead, _partnerships = seat_in_many(SWITCHER_ROWS + 5, last_role=Membership.Role.STEERING)
    page = login(lead).get(reverse("partnership:partnership_list")).content.decode()
    assert f'href="{reverse("metrics:steering_all")}"' in page
    assert f'href="{reverse("metrics:portfolio")}"' in page
    lead.memberships.filter(role=Membership.Role.STEERING).update(role=Membership.Role.LEAD)
    page = login(lead).get(reverse("partnership:partnership_list")).content.decode()
    assert f'href="{reverse("metrics:steering_all")}"' not in page


def test_the_switcher_search_offers_at_most_twenty_of_ones_own(login, world):
    lead, partnerships = seat_in_many(PARTNERSHIP_SUGGESTIONS + 5)
    url = reverse("partnership:partnership_suggestions")
    client = login(lead)
    page = client.get(url, {"q": "cdmo"}, headers={"HX-Request": "true"}).content.decode()
    assert page.count('href="/p/') == PARTNERSHIP_SUGGESTIONS
    assert "All partnerships matching “cdmo”" in page
    page = client.get(url, {"q": "CDMO 07"}).content.decode()
    assert re.findall(r'href="/p/(\d+)/"', page) == [str(partnerships[7].pk)]
    assert client.get(url, {"q": ""}).content.decode().strip() == ""
    # Another sponsor's partnership is never found, even by its exact name.
    page = login(world.alice).get(url, {"q": "Cdmo 07"}).content.decode()
    assert 'href="/p/' not in page and "No partnership matches" in page
    assert login(world.carol).get(url, {"q": "Acme"}).content.decode().count('href="/p/') == 0


def test_my_partnerships_pages_and_searches_them_all(login, world):
    lead, partnerships = seat_in_many(PARTNERSHIPS_PAGE + 3)
    client = login(lead)
    url = reverse("partnership:partnership_list")
    first = client.get(url).content.decode()
    assert first.count('class="h5 card-title"') == PARTNERSHIPS_PAGE
    assert f"{PARTNERSHIPS_PAGE + 3} in all" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="h5 card-title"') == 3
    assert partnerships[-1].get_absolute_url() in second
    found = client.get(url, {"q": "cdmo 3"}, headers={"HX-Request": "true"})
    body = found.content.decode()
    assert "<html" not in body  # the results partial
    assert body.count('class="h5 card-title"') == 3  # Cdmo 30, 31, 32
    assert "1 member" in body
    assert "None of your partnerships" in client.get(url, {"q": "Acme"}).content.decode()
    for bad in ({"page": "x"}, {"page": "999"}, {"q": "\x00" * 500}):
        assert client.get(url, bad).status_code == 200
