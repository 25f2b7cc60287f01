"""Escalation (DESIGN §3, §4): a late request or an overdue action moves up its partnership's
escalation path one level at a time, after the days each level allows; every step is
recorded once, whatever happens to the job, and told only to people who may see the item."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.actions.services import (
    action_item_create,
    action_item_transition,
    action_item_update,
)
from governance.escalation import services
from governance.escalation.tasks import escalate_overdue_items
from governance.models import ActionItem, ActionItemEscalation, Request, RequestEscalation
from governance.requests.services import (
    request_acknowledge,
    request_answer,
    request_cancel,
    request_notify_late,
    request_query,
    request_send,
)
from partnership.communication import services as partnership_services
from partnership.models import EscalationLevel, Membership, Partnership, User
from partnership.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
DUE = datetime.date(2027, 3, 1)
OVERDUE = datetime.datetime(2027, 3, 2, 0, 0, tzinfo=UTC)  # midnight UTC after DUE


@pytest.fixture
def path(world) -> dict:
    """Acme–Contoso's path: 1 project leads (3 days), 2 functional heads (5 days), 3
    steering committee; people of both parties at each level."""
    p = world.acme_contoso
    people = {}
    for name, org, role in (("Fiona", world.acme, Membership.Role.MEMBER),
                            ("Carl", world.contoso, Membership.Role.MEMBER),
                            ("Stan", world.acme, Membership.Role.STEERING),
                            ("Cleo", world.contoso, Membership.Role.STEERING)):
        people[name] = UserFactory(first_name=name, organization=org)
        MembershipFactory(partnership=p, user=people[name], role=role)
    for level, name, days, members in (
            (1, "Project leads", 3, [world.alice, world.bob]),
            (2, "Functional heads", 5, [people["Fiona"], people["Carl"]]),
            (3, "Steering committee", 10, [people["Stan"], people["Cleo"]])):
        partnership_services.escalation_level_set(actor=world.alice, partnership=p,
                                                  level=level, name=name, days_allowed=days,
                                                  people=members)
    return people


def send(world) -> Request:
    return request_send(actor=world.alice, partnership=world.acme_contoso,
                        title="Send the CoA of lot 7", kind="document",
                        description="Certificate of analysis.")


def action(world, *, is_internal=False, owner=None, title="Book the PPQ slot") -> ActionItem:
    return action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title=title, owner=owner or world.bob, due_date=DUE,
                              is_internal=is_internal)


def steps(item) -> list[tuple[int, str]]:
    return [(step.level, step.level_name) for step in item.escalations.order_by("level")]


def told(item) -> dict[int, set[str]]:
    """{level: first names told} of the escalation notices about `item`."""
    told: dict[int, set[str]] = {}
    for title, name in Notification.objects.filter(
            kind="escalated", url=item.get_absolute_url()).values_list(
            "title", "recipient__first_name"):
        told.setdefault(int(title.split()[3]), set()).add(name)
    return told


def advance(now) -> int:
    return services.escalations_advance(now=now)


def login_page(world, url, user=None) -> str:
    client = Client()
    client.force_login(user or world.alice)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_of(world, list_name: str, record) -> str:
    """The row of `record` on the list page of Acme–Contoso it belongs to, as Alice sees it."""
    page = login_page(world, reverse(list_name, args=[world.acme_contoso.pk]))
    return next(row for row in page.split("<tr") if record.get_absolute_url() in row)


# --- The rule ------------------------------------------------------------------------------

def test_level_one_when_late_the_next_after_its_days_never_beyond_the_last(world, path):
    request = send(world)
    late = request.acknowledge_by
    advance(late - MINUTE)
    assert steps(request) == []
    advance(late + MINUTE)
    assert steps(request) == [(1, "Project leads")]
    [notice] = Notification.objects.filter(kind="escalated", recipient=world.bob,
                                           url=request.get_absolute_url())
    assert notice.title == "Escalated to level 1 (Project leads): Send the CoA of lot 7"
    assert notice.event_at == late and notice.actor is None
    assert "In 3 days, if it still waits, it moves up to level 2 (Functional heads)." \
        in notice.body
    advance(late + MINUTE + 3 * DAY - MINUTE)  # level 1's three days are not over
    assert len(steps(request)) == 1
    advance(late + MINUTE + 3 * DAY)
    assert steps(request) == [(1, "Project leads"), (2, "Functional heads")]
    advance(late + MINUTE + 8 * DAY)
    advance(late + 200 * DAY)
    advance(late + 400 * DAY)
    assert steps(request) == [(1, "Project leads"), (2, "Functional heads"),
                              (3, "Steering committee")]
    assert told(request) == {1: {"Alice", "Bob"}, 2: {"Fiona", "Carl"}, 3: {"Stan", "Cleo"}}
    last = request.escalations.get(level=3)
    assert last.reached_at == late + MINUTE + 8 * DAY and last.acknowledge_by == late
    assert "last level" in Notification.objects.filter(
        kind="escalated", title__startswith="Escalated to level 3").first().body


def test_an_action_escalates_from_midnight_utc_after_its_due_date(world, path):
    item = action(world)
    advance(OVERDUE - MINUTE)
    assert steps(item) == []
    advance(OVERDUE)
    assert steps(item) == [(1, "Project leads")]
    notice = Notification.objects.filter(kind="escalated", url=item.get_absolute_url()
                                         ).first()
    assert notice.event_at == OVERDUE and "due 01 Mar 2027" in notice.body
    advance(OVERDUE + 3 * DAY)
    assert steps(item) == [(1, "Project leads"), (2, "Functional heads")]
    assert item.escalations.get(level=2).due_date == DUE


def test_a_job_that_ran_late_catches_up_one_level_per_run(world, path):
    """Down for a month: the next run tells level 1 only, and level 2 gets its turn three
    days later, so each level has its full days to act."""
    item = action(world)
    assert advance(OVERDUE + 30 * DAY) >= 1
    assert steps(item) == [(1, "Project leads")]
    advance(OVERDUE + 30 * DAY + MINUTE)
    assert len(steps(item)) == 1
    advance(OVERDUE + 33 * DAY)
    assert len(steps(item)) == 2


def test_running_twice_records_and_tells_each_step_once(world, path):
    request, item = send(world), action(world)
    now = max(request.acknowledge_by, OVERDUE) + MINUTE
    advance(now)
    assert advance(now) == 0
    assert advance(now + 3 * DAY) >= 2
    assert advance(now + 3 * DAY) == 0
    for record in (request, item):
        assert len(steps(record)) == 2
        assert {level: len(names) for level, names in told(record).items()} == {1: 2, 2: 2}
    assert Notification.objects.filter(kind="escalated",
                                       url=item.get_absolute_url()).count() == 4


def test_a_run_killed_half_way_resumes_without_telling_anyone_twice(world, path):
    """The worker dies while telling the second item: the first item's step is kept, the
    second's is rolled back with its notices, and the next run does only what is left."""
    first, second = action(world, title="First"), action(world, title="Second")
    real_notify = services.notify
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["title"])
        if "Second" in kwargs["title"]:
            raise SystemExit("worker killed")
        return real_notify(**kwargs)

    with mock.patch.object(services, "notify", side_effect=dies_on_the_second), \
            pytest.raises(SystemExit):
        advance(OVERDUE)
    assert any("Second" in title for title in calls)
    assert steps(first) == [(1, "Project leads")] and steps(second) == []
    assert told(second) == {}
    advance(OVERDUE + MINUTE)
    for item in (first, second):
        assert steps(item) == [(1, "Project leads")]
        assert told(item) == {1: {"Alice", "Bob"}}


def test_acknowledged_or_done_stops_escalating(world, path):
    request, item = send(world), action(world)
    now = max(request.acknowledge_by, OVERDUE) + MINUTE
    advance(now)
    request_acknowledge(actor=world.bob, request=request,
                        committed_date=timezone.localdate() + DAY)
    action_item_transition(actor=world.bob, item=item, status=ActionItem.Status.DONE)
    advance(now + 30 * DAY)
    assert len(steps(request)) == 1 and len(steps(item)) == 1
    for name, record in (("governance:request_list", request),
                         ("governance:actionitem_list", item)):
        assert "Escalated: level" not in row_of(world, name, record)  # history stays


def test_queried_and_cancelled_stop_escalating(world, path):
    queried, cancelled = send(world), send(world)
    now = queried.acknowledge_by + MINUTE
    request_query(actor=world.bob, request=queried, question="Which lot?")
    request_cancel(actor=world.alice, request=cancelled)
    advance(now)
    assert steps(queried) == [] and steps(cancelled) == []


def test_a_new_window_escalates_again_from_level_one(world, path):
    request, item = send(world), action(world)
    first_window = request.acknowledge_by
    advance(first_window + MINUTE)
    advance(first_window + MINUTE + 3 * DAY)
    assert len(steps(request)) == 2
    request = request_query(actor=world.bob, request=request, question="Which lot?")
    request = request_answer(actor=world.alice, request=request, answer="Lot 7.")
    assert request.acknowledge_by > first_window
    advance(request.acknowledge_by - MINUTE)
    assert request.escalations.filter(acknowledge_by=request.acknowledge_by).count() == 0
    advance(request.acknowledge_by + MINUTE)
    assert list(request.escalations.order_by("acknowledge_by", "level").values_list(
        "acknowledge_by", "level")) == [(first_window, 1), (first_window, 2),
                                        (request.acknowledge_by, 1)]

    advance(OVERDUE)
    advance(OVERDUE + 3 * DAY)
    action_item_update(actor=world.alice, item=item, due_date=DUE + 10 * DAY)
    advance(OVERDUE + 4 * DAY)  # the new due date has not passed
    assert len(steps(item)) == 2
    advance(OVERDUE + 10 * DAY)
    assert list(item.escalations.order_by("due_date", "level").values_list(
        "due_date", "level")) == [(DUE, 1), (DUE, 2), (DUE + 10 * DAY, 1)]


def test_a_partnership_without_a_path_escalates_nothing_but_late_notices_still_go(world):
    EscalationLevel.objects.filter(partnership=world.acme_contoso).delete()
    request = send(world)
    late = request.acknowledge_by + MINUTE
    advance(late)
    request_notify_late(now=late)
    assert steps(request) == []
    assert Notification.objects.filter(kind="request_late",
                                       url=request.get_absolute_url()).exists()
    assert not Notification.objects.filter(kind="escalated",
                                           partnership=world.acme_contoso).exists()


def test_a_run_limited_to_some_partnerships_leaves_the_others_alone(world, path):
    """What the demo seed uses to replay its own history only."""
    item = action(world)
    services.escalations_advance(now=OVERDUE, partnerships=Partnership.objects.exclude(
        pk=world.acme_contoso.pk))
    assert steps(item) == []
    services.escalations_advance(now=OVERDUE, partnerships=Partnership.objects.filter(
        pk=world.acme_contoso.pk))
    assert steps(item) == [(1, "Project leads")]


def test_an_edit_of_the_path_keeps_the_history_as_it_was(world, path):
    item = action(world)
    advance(OVERDUE)
    partnership_services.escalation_level_set(
        actor=world.alice, partnership=world.acme_contoso, level=1, name="Alliance managers",
        days_allowed=9, people=[world.alice, world.bob])  # Contoso's Bob is Contoso's to drop
    [step] = item.escalations.all()
    assert (step.level_name, step.days_allowed) == ("Project leads", 3)
    advance(OVERDUE + 3 * DAY)  # the wait told to level 1 holds
    assert len(steps(item)) == 2


# --- Who is told, who sees the steps (DESIGN §2) ------------------------------------------

def test_an_internal_action_escalates_within_its_author_organization_only(world, path):
    secret = action(world, is_internal=True, owner=world.alice, title="Our own audit plan")
    shared = action(world)
    advance(OVERDUE)
    advance(OVERDUE + 3 * DAY)
    assert told(secret) == {1: {"Alice"}, 2: {"Fiona"}}  # Bob and Carl are Contoso's
    assert told(shared) == {1: {"Alice", "Bob"}, 2: {"Fiona", "Carl"}}
    assert ActionItemEscalation.objects.visible_to(world.alice).filter(action=secret).count() == 2
    assert not ActionItemEscalation.objects.visible_to(world.bob).filter(action=secret).exists()
    assert ActionItemEscalation.objects.visible_to(world.bob).filter(action=shared).count() == 2
    for model in (ActionItemEscalation, RequestEscalation):
        assert not model.objects.visible_to(world.carol).filter(
            partnership=world.acme_contoso).exists()
        assert not model.objects.visible_to(world.oscar).exists()


def test_people_of_another_partnership_are_never_told(world, path):
    """A level naming someone who has since lost the seat tells that person nothing."""
    item = action(world)
    Membership.objects.filter(partnership=world.acme_contoso, user=path["Carl"]).delete()
    advance(OVERDUE)
    advance(OVERDUE + 3 * DAY)
    assert told(item)[2] == {"Fiona"}
    assert not Notification.objects.filter(kind="escalated", recipient=world.carol).exists()


# --- Pages and API -------------------------------------------------------------------------

def test_pages_show_the_steps_and_the_list_badges(world, path):
    request, item = send(world), action(world)
    now = max(request.acknowledge_by, OVERDUE) + MINUTE
    advance(now)
    advance(now + 3 * DAY)
    page = login_page(world, request.get_absolute_url())
    timeline = page.split('id="timeline-h"')[1]
    assert "Escalated to level 1</strong> · Project leads" in timeline
    assert "Escalated to level 2</strong> · Functional heads" in timeline
    reached = request.escalations.get(level=2).reached_at.astimezone(
        zoneinfo.ZoneInfo(world.alice.time_zone))  # in the viewer's zone, the zone named
    assert f"{reached:%-d %b %Y %H:%M %Z}" in timeline
    assert timeline.index("Sent") < timeline.index("Escalated to level 1") < \
        timeline.index("Escalated to level 2")
    detail = login_page(world, item.get_absolute_url(), user=world.bob)
    assert "Escalated to level 2</strong> · Functional heads" in detail
    assert "Escalated: level 2" in detail
    for name, record in (("governance:request_list", request),
                         ("governance:actionitem_list", item)):
        assert "Escalated: level 2" in row_of(world, name, record)
    assert "Escalated: level 2" in login_page(world, reverse("governance:my_work"),
                                              user=world.bob)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_however_many_steps(world, path, login):
    requests = [send(world) for _ in range(3)]
    items = [action(world, title=f"Action {n}") for n in range(3)]
    client = login(world.alice)
    p = world.acme_contoso
    urls = [requests[0].get_absolute_url(), items[0].get_absolute_url(),
            reverse("governance:request_list", args=[p.pk]),
            reverse("governance:actionitem_list", args=[p.pk])]
    now = max(requests[0].acknowledge_by, OVERDUE) + MINUTE
    advance(now)
    for url in urls:
        client.get(url)
    before = {url: _queries(client, url) for url in urls}
    advance(now + 3 * DAY)
    advance(now + 8 * DAY)
    assert {url: _queries(client, url) for url in urls} == before


def test_the_api_shows_the_steps_on_detail_scoped(world, path):
    request = send(world)
    secret = action(world, is_internal=True, owner=world.alice, title="Our own audit plan")
    now = max(request.acknowledge_by, OVERDUE) + MINUTE
    advance(now)
    advance(now + 3 * DAY)
    body = api(world.bob).get(f"/api/v1/requests/{request.pk}/").json()
    assert [(s["level"], s["level_name"]) for s in body["escalations"]] == [
        (1, "Project leads"), (2, "Functional heads")]
    assert body["escalations"][0]["acknowledge_by"] is not None
    mine = api(world.alice).get(f"/api/v1/action-items/{secret.pk}/").json()
    assert [s["level"] for s in mine["escalations"]] == [1, 2]
    assert mine["escalations"][0]["due_date"] == DUE.isoformat()
    assert api(world.bob).get(f"/api/v1/action-items/{secret.pk}/").status_code == 404
    assert api(world.carol).get(f"/api/v1/requests/{request.pk}/").status_code == 404
    listed = api(world.alice).get("/api/v1/requests/").json()["results"]
    assert "escalations" not in listed[0]  # on detail only: the list costs no more


def test_operators_read_the_steps_but_cannot_write_them(world, path, login):
    item = action(world)
    advance(OVERDUE)
    step = item.escalations.get()
    client = login(User.objects.create_user("ops@lockstep.test", "pw", is_staff=True,
                                            is_superuser=True))
    base = "/admin/governance/actionitemescalation/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    page = client.get(f"{base}{step.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"{base}{step.pk}/delete/", {"post": "yes"}).status_code == 403
    assert item.escalations.get() == step
    assert client.get("/admin/governance/requestescalation/").status_code == 200


# --- The job -------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    world = world_committed
    escalate_overdue_items()  # the world's own late and overdue items first
    item = action_item_create(
        actor=world.alice, partnership=world.acme_contoso, title="Late one", owner=world.bob,
        due_date=timezone.now().astimezone(UTC).date() - 2 * DAY)
    assert escalate_overdue_items.delay().get(timeout=15) == 1
    assert escalate_overdue_items.delay().get(timeout=15) == 0
    assert steps(item) == [(1, "Project leads")]
    assert told(item) == {1: {"Alice"}}  # the world's level 1: Acme's lead


def test_beat_runs_the_job_hourly(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["governance.escalation.tasks.escalate_overdue_items"] == 3600.0
