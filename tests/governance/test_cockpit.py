"""The partnership home as a cockpit: what awaits me, what is overdue, what is coming up,
open risks, recent activity, recognition — scoped by DESIGN §2, and bounded in queries."""

import datetime
import json
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.actions.services import action_item_create
from governance.meetings.services import meeting_create
from governance.models import Meeting, Request
from governance.relationship.services import notice_post
from governance.requests.services import request_acknowledge, request_send
from governance.risks.services import risk_create
from portal.registries import cockpit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


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
        action_item_create(actor=world.alice, partnership=p, title=f"Later {tag}{i}",
                           owner=world.bob, due_date=TODAY + 10 * DAY)
        request_send(actor=world.bob, partnership=p, title=f"Needed {tag}{i}",
                     description="Batch plan", kind="information",
                     needed_by=TODAY + 5 * DAY)
        request_send(actor=world.alice, partnership=p, title=f"Send CoA {tag}{i}",
                     description="Certificate of analysis", kind="document")
        action_item_create(actor=world.alice, partnership=p, title=f"Late {tag}{i}",
                           owner=world.bob, due_date=TODAY - 3 * DAY)
        action_item_create(actor=world.alice, partnership=p, title=f"Soon {tag}{i}",
                           owner=world.bob, due_date=TODAY + 2 * DAY)
        notice_post(actor=world.alice, partnership=p, kind="other",
                    title=f"New QA head {tag}{i}", body="From May")
        risk_create(actor=world.alice, partnership=p, title=f"API shortage {tag}{i}",
                    category="supply", likelihood=5, impact=5, owner=world.alice)
        risk_create(actor=world.alice, partnership=p, is_internal=True,
                    title=f"Contoso may be sold {tag}{i}", category="strategic",
                    likelihood=5, impact=5, owner=world.alice)
        meeting_create(actor=world.alice, partnership=p, title=f"Weekly {tag}{i}",
                       kind="weekly_check_in",
                       starts_at=timezone.now() + (i + 1) * DAY,
                       attendees=[world.alice, world.bob])


def test_the_cdmo_member_sees_what_awaits_them(world, login):
    fill(world)
    page = home(login(world.bob), world.acme_contoso)
    awaiting = card(page, "awaiting-h")
    assert "Send CoA 0" in awaiting and "New QA head 0" in awaiting and "Soon 0" in awaiting
    sent = Request.objects.get(title="Send CoA 0")  # "REQ-0042 · title", as everywhere
    assert f"{sent.reference} · Send CoA 0" in awaiting
    assert "Late 0" in card(page, "overdue-h")
    coming = card(page, "coming-h")
    assert "Weekly 0" in coming
    needed = Request.objects.get(title="Needed 0")  # named by its number, as everywhere
    assert f"{needed.reference} · Needed 0" in coming
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


def test_an_organization_admin_without_a_seat_reads_what_awaits_the_organization(world,
                                                                                   login):
    """Olga (Contoso's admin, no seat) may acknowledge Contoso's requests, but her My work
    gathers only seats: the card says whose they are, so My work's "nothing" is no riddle."""
    fill(world)
    awaiting = card(home(login(world.olga), world.acme_contoso), "awaiting-h")
    assert "Awaiting Contoso CDMO" in awaiting and "Awaiting me" not in awaiting
    assert "Send CoA 0" in awaiting and "You hold no seat here" in awaiting
    assert "Awaiting me" in card(home(login(world.bob), world.acme_contoso), "awaiting-h")


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


IMPORTS_SCRIPT = """
import ast, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
found = {}
for path in sorted((root / sys.argv[2]).rglob("*.py")):
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model"
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value.split(".")[0])  # apps.get_model("app", …) names one
    found[str(path.relative_to(root))] = sorted(names)
print(json.dumps(found))
"""


def imported_packages(package: str) -> dict[str, set[str]]:
    """{module path: the top-level packages it imports} for every module of `package`, imports
    inside functions included (relative imports stay inside the package), and the apps it
    names in `apps.get_model("app", …)`, which reaches a model as surely as an import.

    Parsed in a child process: CPython 3.11.7's AST builder keeps its recursion depth in
    shared state, and parsing while other threads of the suite run (a live server, a
    worker) fails at random with "AST constructor recursion depth mismatch"."""
    result = subprocess.run([sys.executable, "-c", IMPORTS_SCRIPT, str(settings.BASE_DIR),
                             package], capture_output=True, text=True, check=True)
    return {path: set(names) for path, names in json.loads(result.stdout).items()}


def test_the_home_shows_governance_cards_while_partnership_imports_no_later_app():
    """STYLE's one direction of dependency: partnership imports neither governance nor
    metrics, governance not metrics; governance's cards reach the home through portal."""
    for package, later in (("partnership", {"governance", "metrics"}),
                           ("governance", {"metrics"})):
        modules = imported_packages(package)
        assert len(modules) > 10
        for path, names in modules.items():
            assert not names & later, f"{path} imports {names & later}"
    assert any(provider.__module__ == "governance.overview.selectors"
               for provider, _topic in cockpit._providers)


def test_a_kind_registered_later_joins_coming_up_activity_and_search(world, login,
                                                                    monkeypatch):
    """What a new topic or app (metrics, quality) does from its AppConfig.ready(): the
    cards and the search list its records without an edit to governance's overview."""
    from django.template import Template

    from governance.models import Risk
    from governance.overview.selectors import search
    from portal.registries import activity, coming_up
    from portal.registries import search as search_registry
    from portal.registries.coming_up import Dated

    for registry, name in ((coming_up, "_kinds"), (activity, "_kinds"),
                           (search_registry, "_searchables")):
        monkeypatch.setattr(registry, name, list(getattr(registry, name)))
    p = world.acme_contoso
    risk_create(actor=world.alice, partnership=p, title="Stopper supplier exit",
                category="supply", likelihood=3, impact=4, owner=world.bob,
                review_date=TODAY + 3 * DAY)

    def reviews(user):
        return Risk.objects.visible_to(user).exclude(review_date=None)

    coming_up.register("risk_review", template=Template(
        "<li>Review of {{ record.title }} on {{ entry.date|date:'j M' }}</li>"),
        provider=lambda *, user, partnership, exclude, limit: [
            Dated(risk, risk.review_date)
            for risk in reviews(user).filter(partnership=partnership)[:limit]])
    activity.register("Risk to review", records=reviews, label="title",
                      url=lambda partnership_id, pk: f"/reviews/{pk}/")
    search_registry.register("Risks to review", noun="risks to review", model=Risk,
                             records=reviews)
    page = home(login(world.bob), p)
    review_day = TODAY + 3 * DAY
    assert f"Review of Stopper supplier exit on {review_day:%-d %b}" in card(page, "coming-h")
    assert "Risk to review" in card(page, "activity-h")
    groups = search(user=world.bob, query="stopper supplier")
    assert [group.heading for group in groups] == ["Risks", "Risks to review"]
    assert search_registry.nouns().endswith("KPIs and risks to review")


#: Modules of portal that may name the apps: the settings list them, the URLs include their
#: URLs by dotted string, and old migrations refer to the models they moved.
PORTAL_NAMES_APPS = {"portal/settings.py", "portal/urls.py"}


def test_portal_imports_no_app():
    """STYLE: portal is plumbing; apps register into it (portal.registries), it reaches none
    of them, neither by import nor by naming one of their models."""
    modules = imported_packages("portal")
    assert len(modules) > 10
    for path, names in modules.items():
        if path in PORTAL_NAMES_APPS or "/migrations/" in path:
            continue
        assert not names & {"partnership", "governance", "metrics"}, f"{path} imports {names}"


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
    assert len(large) <= 36  # 34 now: a little room, not a second copy of every query


def test_home_reads_the_partnership_and_its_parties_once_whatever_the_rows(world, login):
    """Each card's rows hold the page's partnership (with both parties, read once): no row
    of a card reads its partnership, sponsor and CDMO again, so the objects a render makes
    of them stay the same however many rows the cards list."""
    client = login(world.bob)
    fill(world)
    home(client, world.acme_contoso)

    def made() -> Counter:
        counts = Counter()

        def count(sender, **kwargs):
            counts[sender.__name__] += 1

        post_init.connect(count)
        try:
            home(client, world.acme_contoso)
        finally:
            post_init.disconnect(count)
        return counts

    few = made()
    fill(world, n=20, tag="more ")
    many = made()
    for model in ("Partnership", "Organization"):
        assert many[model] == few[model], (model, few, many)


def test_home_costs_the_same_queries_and_rows_with_hundreds_of_records(world, login):
    """A large sponsor's partnership: hundreds of open, overdue and due-soon actions of Bob's.
    Every card lists at most COCKPIT_ROWS of them, in the same queries as with a few."""
    from governance.actions.models import ActionItem
    from governance.overview.selectors import COCKPIT_ROWS

    client = login(world.bob)
    fill(world)
    home(client, world.acme_contoso)
    with CaptureQueriesContext(connection) as few:
        home(client, world.acme_contoso)
    ActionItem.objects.bulk_create(
        ActionItem(partnership=world.acme_contoso, author_organization=world.alice.organization,
                   created_by=world.alice, owner=world.bob, title=f"Bulk {n:03}",
                   due_date=TODAY + (n % 20 - 10) * DAY) for n in range(400))
    with CaptureQueriesContext(connection) as many:
        page = home(client, world.acme_contoso)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    for heading in ("awaiting-h", "overdue-h", "coming-h", "activity-h"):
        assert card(page, heading).count("Bulk ") <= COCKPIT_ROWS + 2, heading


def listed(client, url_name: str, partnership, query: str) -> str:
    """The results of a list page (its htmx partial) filtered by `query`."""
    url = reverse(url_name, args=[partnership.pk]) + query
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def link_of(card_html: str, label: str) -> str:
    """The query string of the card's link labelled `label`."""
    end = card_html.index(f">{label}</a>")
    return card_html[card_html.rindex("?", 0, end):card_html.rindex('"', 0, end)]


def test_the_overdue_cards_link_lists_late_and_past_committed_requests(world, login):
    p, now = world.acme_contoso, timezone.now()
    late = request_send(actor=world.alice, partnership=p, title="Late to acknowledge",
                        description="Batch record", kind="document")
    Request.objects.filter(pk=late.pk).update(acknowledge_by=now - DAY)
    past = request_send(actor=world.alice, partnership=p, title="Past committed",
                        description="Stability data", kind="information")
    request_acknowledge(actor=world.bob, request=past, committed_date=TODAY)
    Request.objects.filter(pk=past.pk).update(committed_date=TODAY - 2 * DAY)
    request_send(actor=world.alice, partnership=p, title="On time",
                 description="A quote", kind="quote")
    client = login(world.alice)
    overdue = card(home(client, p), "overdue-h")
    assert f"{late.reference} · Late to acknowledge" in overdue  # named as everywhere
    assert f"{past.reference} · Past committed" in overdue
    assert "On time" not in overdue
    results = listed(client, "governance:request_list", p, link_of(overdue, "Overdue requests"))
    assert "Late to acknowledge" in results and "Past committed" in results
    assert "On time" not in results


def test_the_awaiting_cards_links_list_what_awaits_me_not_what_awaits_the_other_party(
        world, login):
    p = world.acme_contoso
    notice_post(actor=world.alice, partnership=p, kind="other", title="Acme notice",
                body="For Contoso to acknowledge")
    notice_post(actor=world.bob, partnership=p, kind="other", title="Contoso notice",
                body="For Acme to acknowledge")
    request_send(actor=world.alice, partnership=p, title="Acme asks",
                 description="For Contoso", kind="document")
    request_send(actor=world.bob, partnership=p, title="Contoso asks",
                 description="For Acme", kind="document")
    client = login(world.bob)
    awaiting = card(home(client, p), "awaiting-h")
    assert "Acme notice" in awaiting and "Acme asks" in awaiting
    assert "Contoso notice" not in awaiting and "Contoso asks" not in awaiting
    notices = listed(client, "governance:notice_list", p,
                     link_of(awaiting, "Notices to acknowledge"))
    assert "Acme notice" in notices and "Contoso notice" not in notices
    requests = listed(client, "governance:request_list", p,
                      link_of(awaiting, "Requests awaiting me"))
    assert "Acme asks" in requests and "Contoso asks" not in requests


def test_coming_up_shows_meetings_and_the_next_two_weeks_deadlines_once(world, login):
    p = world.acme_contoso
    meeting_create(actor=world.alice, partnership=p, title="Ops review",
                   kind="operations_review", starts_at=timezone.now() + 4 * DAY,
                   attendees=[world.alice, world.bob])
    for title, due in (("Due in 3 days", 3), ("Due in 10 days", 10), ("Due in 20 days", 20)):
        action_item_create(actor=world.alice, partnership=p, title=title,
                           owner=world.bob, due_date=TODAY + due * DAY)
    action_item_create(actor=world.alice, partnership=p, title="Alice's own",
                       owner=world.alice, due_date=TODAY + 5 * DAY)
    request_send(actor=world.bob, partnership=p, title="Needed in 5 days",
                 description="Release specs", kind="document",
                 needed_by=TODAY + 5 * DAY)
    request_send(actor=world.bob, partnership=p, title="Needed in a month",
                 description="Forecast", kind="information",
                 needed_by=TODAY + 30 * DAY)
    committed = request_send(actor=world.alice, partnership=p, title="Committed",
                             description="CoA", kind="document")
    request_acknowledge(actor=world.bob, request=committed,
                        committed_date=TODAY + 7 * DAY)
    client = login(world.bob)
    page = home(client, p)
    coming = card(page, "coming-h")
    assert "Ops review" in coming and "Due in 10 days" in coming
    assert "Needed in 5 days" in coming and "needed by" in coming
    assert coming.index("Ops review") < coming.index("Needed in 5 days") < coming.index(
        "Due in 10 days")
    # Bob's own action due this week and the request he committed to are on "Awaiting me".
    assert "Due in 3 days" in card(page, "awaiting-h") and "Due in 3 days" not in coming
    assert "Committed" in card(page, "awaiting-h") and "Committed" not in coming
    for absent in ("Due in 20 days", "Alice's own", "Needed in a month"):
        assert absent not in coming
    assert "committed for" in card(home(login(world.alice), p), "coming-h")
    requests = listed(client, "governance:request_list", p,
                      link_of(coming, "Requests due in 14 days"))
    assert "Needed in 5 days" in requests and "Committed" in requests
    assert "Needed in a month" not in requests
