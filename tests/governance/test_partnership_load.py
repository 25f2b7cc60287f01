"""The load across an organization's partnerships, for its admins: the figures on a small
world, what each side may count (never another sponsor's partnership, never the other
party's internal records), and a page whose queries do not grow with the partnerships."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import ActionItem, Request
from governance.workload.selectors import load_partnerships, partnership_load
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory
from tests.partnership.test_api import api

LOAD = reverse("governance:partnership_load")


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def make_request(partnership, by: str, *, status="sent", late=False, committed_date=None):
    """A request `by` one party ('sponsor' or 'cdmo'); `late`: its time to acknowledge is
    over."""
    now = timezone.now()
    return Request.objects.create(
        partnership=partnership, author_organization=getattr(partnership, by),
        title=f"Request by the {by}", description="Please", kind="information",
        requested_by_party=by, status=status, sent_at=now - datetime.timedelta(days=3),
        acknowledge_by=now + datetime.timedelta(hours=-1 if late else 48),
        acknowledged_at=None if status == "sent" else now - datetime.timedelta(days=2),
        committed_date=committed_date)


def make_action(partnership, owner, *, days_late=3, status="open", internal=False):
    return ActionItem.objects.create(
        partnership=partnership, author_organization=owner.organization, owner=owner,
        title="An action", due_date=timezone.localdate() - datetime.timedelta(days=days_late),
        status=status, is_internal=internal)


@pytest.fixture
def acme_admin(world):
    return UserFactory(organization=world.acme, is_org_admin=True, first_name="Ada")


@pytest.fixture
def busy(world):
    """Acme–Contoso beyond the world's own (a request the sponsor sent, late to acknowledge;
    two actions of Alice's past due): what the CDMO sent, on time and late, work done, and
    an overdue action Acme keeps internal."""
    partnership = world.acme_contoso
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_request(partnership, "cdmo")
    make_request(partnership, "cdmo", status="acknowledged", committed_date=yesterday)
    make_request(partnership, "sponsor", status="accepted", late=True)
    make_request(partnership, "sponsor", status="queried", late=True)  # answered: not late
    make_action(partnership, world.alice, internal=True)
    make_action(partnership, world.bob, status="done")
    make_action(partnership, world.bob, days_late=-2)  # due in two days
    return partnership


def figures(rows) -> dict:
    return {row.partnership.pk: (row.requests_received, row.requests_sent,
                                 row.overdue_requests_received, row.overdue_requests_sent,
                                 row.overdue_actions) for row in rows}


def test_the_cdmo_admin_sees_each_partnership_from_its_side(world, busy):
    rows = partnership_load(user=world.olga, partnerships=load_partnerships(user=world.olga))
    assert figures(rows) == {
        # received: the sponsor's two open ones (one late); sent: two (one past its date);
        # Acme's internal overdue action is not counted, nor the done one.
        world.acme_contoso.pk: (2, 2, 1, 1, 2),
        world.globex_contoso.pk: (1, 0, 1, 0, 2),
    }


def test_the_sponsor_admin_sees_its_own_partnerships_and_its_internal_records(
        world, busy, acme_admin):
    rows = partnership_load(user=acme_admin, partnerships=load_partnerships(user=acme_admin))
    assert figures(rows) == {
        world.acme_contoso.pk: (2, 2, 1, 1, 3),  # its own internal action counts for it
        world.acme_labcorp.pk: (0, 1, 0, 1, 2),
    }
    assert world.globex_contoso.pk not in figures(rows)


def test_the_load_page_shows_the_admins_partnerships_only(login, world, busy, acme_admin):
    page = login(acme_admin).get(LOAD).content.decode()
    assert "Acme Pharma – Contoso CDMO" in page and "Acme Pharma – Labcorp Testing" in page
    assert "Globex" not in page  # another sponsor of the same CDMO
    assert reverse("governance:actionitem_list", args=[world.acme_contoso.pk]) in page
    contoso = login(world.olga).get(LOAD).content.decode()
    assert "Acme Pharma – Contoso CDMO" in contoso and "Globex Biotech – Contoso CDMO" in contoso
    assert "Labcorp" not in contoso


@pytest.mark.parametrize("person", ["bob", "carol", "alice", "vera", "oscar"])
def test_only_organization_admins_reach_the_load(login, world, person):
    user = getattr(world, person)
    assert login(user).get(LOAD).status_code == 403
    assert api(user).get("/api/v1/partnership-load/").json()["count"] == 0


def test_the_load_page_does_not_grow_queries_with_partnerships(login, world, busy,
                                                               django_assert_max_num_queries):
    client = login(world.olga)
    client.get(LOAD)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(LOAD).status_code == 200
    for n in range(6):
        partnership = PartnershipFactory(
            sponsor=OrganizationFactory(name=f"Sponsor {n}", kind="sponsor"), cdmo=world.contoso)
        MembershipFactory(partnership=partnership, user=world.bob)
        make_request(partnership, "sponsor", late=True)
        make_request(partnership, "cdmo")
        make_action(partnership, world.bob)
    # The session (read, refreshed), the user, the top bar's partnerships; the admin's
    # partnerships and their count (25 a page), open requests, late requests, overdue
    # actions.
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as many:
        page = client.get(LOAD)
    assert "Sponsor 5 – Contoso CDMO" in page.content.decode()
    assert len(many) == len(few)


def test_the_api_gives_the_same_figures_to_admins_only(world, busy, acme_admin):
    rows = {row["id"]: row for row in api(world.olga).get("/api/v1/partnership-load/")
            .json()["results"]}
    assert set(rows) == {world.acme_contoso.pk, world.globex_contoso.pk}
    assert rows[world.acme_contoso.pk] == {
        "id": world.acme_contoso.pk, "partnership": "Acme Pharma – Contoso CDMO",
        "requests_received": 2, "requests_sent": 2, "overdue_requests_received": 1,
        "overdue_requests_sent": 1, "overdue_actions": 2}
    one = api(world.olga).get(f"/api/v1/partnership-load/{world.globex_contoso.pk}/")
    assert one.status_code == 200 and one.json()["overdue_actions"] == 2
    sponsor = api(acme_admin)
    listed = {row["id"] for row in sponsor.get("/api/v1/partnership-load/").json()["results"]}
    assert listed == {world.acme_contoso.pk, world.acme_labcorp.pk}
    assert sponsor.get(f"/api/v1/partnership-load/{world.globex_contoso.pk}/").status_code \
        == 404
    assert sponsor.get(f"/api/v1/partnership-load/{world.acme_contoso.pk}/").json()[
        "overdue_actions"] == 3
    assert api(world.bob).get(f"/api/v1/partnership-load/{world.acme_contoso.pk}/"
                              ).status_code == 404
