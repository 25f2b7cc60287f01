"""My work as one table of everything awaiting the person, the home's "Awaiting me" with a
button per row, the cockpit's cards in the order of the viewer's role, and roles in words."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.services import action_item_create
from governance.relationship.services import notice_post
from governance.requests.services import request_send
from partnership.models import Contract, Membership
from partnership.permissions import _PARTS
from portal.registries import cockpit
from portal.registries.my_work import ROWS_PER_PROVIDER
from tests.factories import ContractFactory, DeliverableFactory, MembershipFactory, UserFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
URL = reverse("governance:my_work")


@pytest.fixture
def world(saved_world):
    return saved_world


def rows(page: str) -> list[str]:
    """The rows of My work's table, each its HTML."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [row for row in body.split("<tr")[1:]]


def give_bob_work(world) -> dict:
    """Acme gives Bob (Contoso) one of each kind, due on different days."""
    p = world.acme_contoso
    request = request_send(actor=world.alice, partnership=p, title="Send the CoA",
                           description="For lot 7", kind="document",
                           needed_by=TODAY + 9 * DAY)
    notice_post(actor=world.alice, partnership=p, kind="other", title="New QA head",
                body="From May")
    action_item_create(actor=world.alice, partnership=p, title="Book the audit",
                       owner=world.bob, due_date=TODAY + 3 * DAY)
    action_item_create(actor=world.alice, partnership=p, title="Fix the label",
                       owner=world.bob, due_date=TODAY - 2 * DAY)
    sow = ContractFactory(partnership=p, kind=Contract.Kind.SOW)
    DeliverableFactory(sow=sow, title="Stability protocol", responsible_party="sponsor",
                       due_date=TODAY + 20 * DAY)
    return {"request": request}


def test_my_work_is_one_table_of_every_kind_sorted_by_due_date(world, login):
    made = give_bob_work(world)
    page = login(world.bob).get(URL).content.decode()
    listed = rows(page)
    # The earliest due first (the request by its acknowledgement deadline), the notice
    # (no date) last.
    dues = [re.search(r'data-due="([^"]*)"', row).group(1) for row in listed]
    dated = [due for due in dues if due]
    assert dated == sorted(dated) and dues == dated + [""] * (len(dues) - len(dated))
    titles = [re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1) for row in listed]
    # A request is titled "REQ-0042 · title", as in notifications, search and the cockpit.
    assert any(re.fullmatch(r"REQ-\d{4} · Send the CoA", title) for title in titles)
    titles = [re.sub(r"^REQ-\d{4} · ", "", title) for title in titles]
    mine = [title for title in titles if title in (
        "Fix the label", "Book the audit", "Send the CoA", "Stability protocol", "New QA head")]
    assert mine[0] == "Fix the label" and mine[-1] == "New QA head" and len(mine) == 5
    assert mine.index("Book the audit") < mine.index("Stability protocol")
    kinds = {re.search(r'data-kind="([^"]+)"', row).group(1) for row in listed}
    assert {"Action", "Request", "Deliverable", "Notice"} <= kinds
    listed = {title: row for title, row in zip(titles, listed, strict=True)}
    for row in rows(page):  # every row the same six cells, the last its button
        assert row.count("<td") == 6 and 'class="btn ' in row
    request = made["request"]
    assert reverse("governance:request_step", args=[request.partnership_id, request.pk,
                                                    "acknowledge"]) in listed["Send the CoA"]
    assert ">Acknowledge request<" in listed["Send the CoA"]
    assert world.acme_contoso.sponsor.name in listed["Send the CoA"]
    assert "overdue" in listed["Fix the label"]
    # Alice sent and posted it all: none of it awaits her; Carol (Globex) sees none of it.
    alice = login(world.alice).get(URL).content.decode()
    carol = login(world.carol).get(URL).content.decode()
    for title in ("Send the CoA", "New QA head", "Book the audit", "Stability protocol"):
        assert title not in alice and title not in carol
    # A viewer of the partnership has no button for a request or a notice.
    vera = login(world.vera).get(URL).content.decode()
    assert "Send the CoA" not in vera and "New QA head" not in vera


def test_a_delivered_request_awaits_acceptance_without_being_overdue(world, login):
    """Fulfilled late or not, a request awaiting the requester's acceptance is nobody's
    lateness any more: its row has no date and no overdue badge."""
    from governance.requests import services
    from governance.requests.models import Request

    request = give_bob_work(world)["request"]
    request = services.request_acknowledge(actor=world.bob, request=request,
                                           committed_date=TODAY + 5 * DAY)
    services.request_start(actor=world.bob, request=request)
    Request.objects.filter(pk=request.pk).update(  # as if the dates passed since
        needed_by=TODAY - 10 * DAY, committed_date=TODAY - 12 * DAY)
    services.request_fulfil(actor=world.bob, request=Request.objects.get(pk=request.pk),
                            fulfilment_note="CoA attached.")
    row = next(row for row in rows(login(world.alice).get(URL).content.decode())
               if "Send the CoA" in row)
    assert ">Accept the result<" in row
    assert "overdue" not in row and 'data-due=""' in row


def test_the_sponsor_sees_the_deliverable_the_cdmo_delivered_as_a_review(world, login):
    sow = ContractFactory(partnership=world.acme_contoso, kind=Contract.Kind.SOW)
    DeliverableFactory(sow=sow, title="Process report", responsible_party="cdmo")
    page = login(world.alice).get(URL).content.decode()
    row = next(row for row in rows(page) if "Process report" in row)
    assert 'data-kind="Deliverable"' in row and ">Review<" in row
    assert "Process report" not in login(world.bob).get(URL).content.decode()


def test_my_work_pages_and_costs_the_same_queries_however_much_awaits(world, login):
    client = login(world.bob)
    give_bob_work(world)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def built(url) -> Counter:
        """The partnerships and organizations a render builds, by model."""
        made = Counter()

        def instance(sender, **kwargs):
            made[sender.__name__] += 1

        post_init.connect(instance, weak=False)
        try:
            client.get(url)
        finally:
            post_init.disconnect(instance)
        return Counter({name: made[name] for name in ("Partnership", "Organization")})

    small, small_built = count(URL), built(URL)
    for n in range(30):
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           title=f"More {n:02}", owner=world.bob, due_date=TODAY + 30 * DAY)
        request_send(actor=world.alice, partnership=world.acme_contoso, title=f"Ask {n}",
                     description="More", kind="information")
    assert count(URL) == small == 12
    # Each row holds its partnership, read once: 60 more rows build no more of them.
    assert built(URL) == small_built
    first = client.get(URL).content.decode()
    assert len(rows(first)) == 25 and "Page 1 of 3" in first
    last = client.get(URL + "?page=3").content.decode()
    assert 0 < len(rows(last)) <= 25 and "Page 3 of 3" in last
    # A page link asked by htmx gets the table alone.
    partial = client.get(URL + "?page=2", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="results"') and "<html" not in partial


def test_awaiting_me_on_the_home_gives_each_row_its_button(world, login):
    give_bob_work(world)
    p = world.acme_contoso
    page = login(world.bob).get(reverse("partnership:partnership_detail", args=[p.pk])
                                ).content.decode()
    card = page[page.index('id="awaiting-h"'):]
    card = card[:card.index("</section>")]
    items = card.split("<li")[1:]
    assert {re.search(r'data-kind="([^"]+)"', item).group(1) for item in items} == {
        "Request", "Notice", "Action"}
    for item in items:
        assert 'class="btn ' in item
    notice = next(item for item in items if 'data-kind="Notice"' in item)
    assert '<form method="post" action="' in notice and "/acknowledge/" in notice
    # Nothing awaits Alice that she could act on: what she sent is the other party's step.
    alice = login(world.alice).get(reverse("partnership:partnership_detail", args=[p.pk])
                                   ).content.decode()
    card = alice[alice.index('id="awaiting-h"'):]
    assert "Send the CoA" not in card[:card.index("</section>")]


def order_of(page: str) -> list[str]:
    marks = {"work": 'id="awaiting-h"', "quality": 'data-testid="capa-card"',
             "kpis": 'data-testid="kpi-card"'}
    return sorted(marks, key=lambda topic: page.index(marks[topic]))


@pytest.mark.parametrize("role", ["lead", "member", "qa_lead", "steering", "viewer"])
def test_the_cards_come_in_the_order_of_the_viewers_role(world, login, role):
    person = UserFactory(email=f"{role}@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=person, role=role)
    page = login(person).get(reverse("partnership:partnership_detail",
                                     args=[world.acme_contoso.pk])).content.decode()
    assert tuple(order_of(page)) == cockpit.order_for(role)
    assert order_of(page)[0] == {"qa_lead": "quality", "steering": "kpis"}.get(role, "work")


def test_roles_are_named_in_words():
    assert Membership.role_label("qa_lead") == "QA lead"
    assert Membership.role_label("steering") == "Steering committee"
    assert Membership.role_label("admin") == "Organization admin"
    assert Membership.role_label(None) == ""


def test_a_signature_refusal_names_the_roles_in_words():
    """Who may sign is said in words: "Only QA leads, leads sign", never `qa_leads`."""
    signing = [str(parts[1][1](None)) for name, parts in _PARTS.items()
               if "_sign_" in name]  # the first part is the writer's, then the role's
    assert any("Only QA leads, leads sign" in text for text in signing), signing
    assert not [text for text in signing if re.search(r"\b[a-z]+_[a-z]+\b", text)]


def test_a_notice_and_an_action_are_done_from_my_work(world, login):
    """Acknowledge and Start take the step from the row and come back to My work; an
    action already started opens its page, where progress is written."""
    from governance.models import ActionItem, Notice

    give_bob_work(world)
    client = login(world.bob)
    listed = {re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1): row
              for row in rows(client.get(URL).content.decode())}
    notice = Notice.objects.get(title="New QA head")
    acknowledge = reverse("governance:notice_acknowledge",
                          args=[notice.partnership_id, notice.pk])
    assert f'<form method="post" action="{acknowledge}"' in listed["New QA head"]
    done = client.post(acknowledge, {"next": URL})
    assert done.status_code == 302 and done.url == URL
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    page = client.get(URL).content.decode()
    assert "You acknowledged “New QA head”" in page  # the message, on My work
    assert not [row for row in rows(page) if "New QA head" in row]

    action = ActionItem.objects.get(title="Book the audit")
    start = reverse("governance:actionitem_transition", args=[action.partnership_id, action.pk])
    assert f'action="{start}"' in listed["Book the audit"]
    assert 'name="status" value="in_progress"' in listed["Book the audit"]
    assert client.post(start, {"status": "in_progress", "next": URL}).url == URL
    action.refresh_from_db()
    assert action.status == ActionItem.Status.IN_PROGRESS
    row = next(row for row in rows(client.get(URL).content.decode()) if "Book the audit" in row)
    assert f'href="{action.get_absolute_url()}"' in row and ">Update<" in row


def test_a_step_goes_back_only_to_a_page_of_this_site(world, login):
    from governance.models import ActionItem

    give_bob_work(world)
    action = ActionItem.objects.get(title="Book the audit")
    start = reverse("governance:actionitem_transition", args=[action.partnership_id, action.pk])
    answer = login(world.bob).post(start, {"status": "in_progress",
                                           "next": "https://evil.example/"})
    assert answer.url == action.get_absolute_url()


def many_actions(world, count: int, *, owner, start: int = 0) -> None:
    """`count` open actions Bob owns, written at once (the services would take minutes)."""
    ActionItem.objects.bulk_create(
        ActionItem(partnership=world.acme_contoso, author_organization=world.alice.organization,
                   created_by=world.alice, owner=owner, title=f"Bulk {start + n:04}",
                   due_date=TODAY + (start + n) * DAY) for n in range(count))


def test_my_work_says_what_it_leaves_out_and_pages_through_all_of_a_kind(world, login):
    """A large sponsor's lead owns thousands of open actions: the merged table holds the first
    ROWS_PER_PROVIDER, says how many there are, and ?kind=actions pages through all of them;
    every page costs the same queries with 60 actions as with 400."""
    client = login(world.bob)

    def count(url) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    many_actions(world, 60, owner=world.bob)
    merged, kind_first, kind_later = (count(URL), count(URL + "?kind=actions"),
                                      count(URL + "?kind=actions&page=2"))
    page = client.get(URL).content.decode()
    assert f"These pages show the {ROWS_PER_PROVIDER} due first of 60 open actions you own" in page
    # The merged pages count what they hold, not "in all" beside the kind's larger total.
    assert "on these pages" in page and " in all<" not in page
    many_actions(world, 340, owner=world.bob, start=60)
    assert (count(URL), count(URL + "?kind=actions"),
            count(URL + "?kind=actions&page=9")) == (merged, kind_first, kind_later)
    page = client.get(URL).content.decode()
    assert f"These pages show the {ROWS_PER_PROVIDER} due first of 400 open actions you own" in page
    assert "See all 400, page by page" in page
    assert 'href="?kind=actions"' in page
    first = client.get(URL + "?kind=actions").content.decode()
    assert "All 400 open actions you own" in first and len(rows(first)) == 25
    assert "Bulk 0000" in first and 'page=2"' in first
    last = client.get(URL + "?kind=actions&page=16").content.decode()
    assert len(rows(last)) == 25 and "Bulk 0399" in last and "Next" not in last
    partial = client.get(URL + "?kind=actions&page=3", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "Bulk 0050" in partial.content.decode()
    # Another's actions are never counted nor listed; odd input is no error.
    other = login(world.alice).get(URL + "?kind=actions").content.decode()
    assert "Bulk" not in other and "All 4 open actions you own" in other  # the world's
    for odd in ("?kind=actions&page=x", "?kind=actions&page=-3", "?kind=actions&page=99999"):
        assert client.get(URL + odd).status_code == 200
    assert client.get(URL + "?kind=nothing").status_code == 404
