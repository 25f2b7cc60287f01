"""The partnership home as a cockpit: what awaits me, what is overdue, what is coming up,
open risks, recent activity, recognition — scoped by DESIGN §2, and bounded in queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Meeting
from portal import cockpit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def home(client, partnership) -> str:
    response = client.get(reverse("partnership:partnership_detail", args=[partnership.pk]))
    assert response.status_code == 200
    return response.content.decode()


def card(page: str, heading_id: str) -> str:
    """The HTML of one card: from its heading to the next card's section."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start:end if end > 0 else None]


def fill(world, n: int = 1, tag: str = "") -> None:
    """Alice (Acme) and Bob (Contoso) give each other work in Acme–Contoso."""
    p = world.acme_contoso
    for i in range(n):
        services.request_send(actor=world.alice, partnership=p, title=f"Send CoA {tag}{i}",
                              description="Certificate of analysis", kind="document")
        services.action_item_create(actor=world.alice, partnership=p, title=f"Late {tag}{i}",
                                    owner=world.bob, due_date=TODAY - 3 * DAY)
        services.action_item_create(actor=world.alice, partnership=p, title=f"Soon {tag}{i}",
                                    owner=world.bob, due_date=TODAY + 2 * DAY)
        services.notice_post(actor=world.alice, partnership=p, kind="other",
                             title=f"New QA head {tag}{i}", body="From May")
        services.risk_create(actor=world.alice, partnership=p, title=f"API shortage {tag}{i}",
                             category="supply", likelihood=5, impact=5, owner=world.alice)
        services.risk_create(actor=world.alice, partnership=p, is_internal=True,
                             title=f"Contoso may be sold {tag}{i}", category="strategic",
                             likelihood=5, impact=5, owner=world.alice)
        services.meeting_create(actor=world.alice, partnership=p, title=f"Weekly {tag}{i}",
                                kind="weekly_check_in",
                                starts_at=timezone.now() + (i + 1) * DAY,
                                attendees=[world.alice, world.bob])


def test_the_cdmo_member_sees_what_awaits_them(world, login):
    fill(world)
    page = home(login(world.bob), world.acme_contoso)
    awaiting = card(page, "awaiting-h")
    assert "Send CoA 0" in awaiting and "New QA head 0" in awaiting and "Soon 0" in awaiting
    assert "Late 0" in card(page, "overdue-h")
    coming = card(page, "coming-h")
    assert "Weekly 0" in coming
    meeting = Meeting.objects.get(title="Weekly 0")
    local = timezone.localtime(meeting.starts_at, timezone=__import__("zoneinfo").ZoneInfo(
        world.bob.time_zone))
    assert f"{local:%H:%M}" in coming
    risks = card(page, "risks-h")
    assert "API shortage 0" in risks
    assert "Contoso may be sold" not in page  # Acme's internal risk
    assert "Send CoA 0" in card(page, "activity-h")
    assert "Globex" not in page
    assert reverse("governance:actionitem_list", args=[world.acme_contoso.pk]) + \
        "?overdue=true" in page


def test_the_sponsor_sees_its_own_internal_risk_but_not_bobs_work_as_its_own(world, login):
    fill(world)
    page = home(login(world.alice), world.acme_contoso)
    assert "Contoso may be sold 0" in card(page, "risks-h")
    awaiting = card(page, "awaiting-h")
    # Alice sent the request and posted the notice: they await Contoso, not her.
    assert "Send CoA 0" not in awaiting and "New QA head 0" not in awaiting
    assert "Send CoA 0" in card(page, "activity-h")


def test_a_competitor_never_sees_the_cards_of_anothers_partnership(world, login):
    fill(world)
    page = home(login(world.carol), world.globex_contoso)
    for text in ("Send CoA", "Late 0", "Weekly 0", "API shortage", "Acme"):
        assert text not in page


def test_cards_are_registered_through_portal_without_an_import_of_governance():
    import partnership.views as views

    assert "governance" not in open(views.__file__).read()
    assert any(provider.__module__ == "governance.selectors" for provider in cockpit._providers)


def test_home_costs_the_same_queries_with_twenty_times_the_data(world, login):
    client = login(world.bob)
    fill(world)
    home(client, world.acme_contoso)
    with CaptureQueriesContext(connection) as small:
        home(client, world.acme_contoso)
    fill(world, n=20, tag="more ")
    with CaptureQueriesContext(connection) as large:
        page = home(client, world.acme_contoso)
    assert "Send CoA more" in page
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    assert len(large) <= 40
