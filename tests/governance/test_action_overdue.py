"""Overdue actions: the owner is told once per due date, when the due date has passed in
their own zone, by a job that is safe to run twice (DESIGN §4) and tells only people who may
see the action (DESIGN §2)."""

import datetime

import pytest
from django.utils import timezone

from governance.actions.services import (
    action_item_create,
    action_item_transition,
    action_item_update,
    action_overdue_reminders_send,
)
from governance.actions.tasks import remind_overdue_actions
from governance.models import ActionItem, ActionItemOverdueReminder
from partnership.models import Membership
from partnership.notifications.models import Notification

UTC = datetime.UTC
DUE = datetime.date(2026, 5, 3)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def action(world, *, owner=None, actor=None, due_date=DUE, title="Send the CoA"):
    return action_item_create(
        actor=actor or world.alice, partnership=world.acme_contoso, title=title,
        owner=owner or world.bob, due_date=due_date)


def told(item) -> list[Notification]:
    return list(Notification.objects.filter(kind="action_overdue",
                                            url=item.get_absolute_url()))


def test_the_owner_is_told_once_and_again_when_a_new_due_date_passes(world):
    item = action(world)
    action_overdue_reminders_send(now=at(2026, 5, 4, 9))
    assert action_overdue_reminders_send(now=at(2026, 5, 4, 9)) == 0
    [reminder] = told(item)
    assert reminder.recipient == world.bob and reminder.title == "Action overdue: Send the CoA"
    assert reminder.body == "It was due 03 May 2026." and reminder.actor is None
    action_item_update(actor=world.alice, item=item,
                       due_date=datetime.date(2026, 5, 10))
    assert action_overdue_reminders_send(now=at(2026, 5, 5, 9)) == 0  # not overdue
    assert action_overdue_reminders_send(now=at(2026, 5, 11, 9)) == 1
    assert len(told(item)) == 2
    assert ActionItemOverdueReminder.objects.filter(action=item).count() == 2


def test_not_before_the_day_after_and_not_once_closed(world):
    item = action(world)
    done = action(world, title="Already done")
    action_item_transition(actor=world.bob, item=done, status=ActionItem.Status.DONE)
    assert world.bob.time_zone == "Europe/Zurich"  # UTC+2 in May
    action_overdue_reminders_send(now=at(2026, 5, 3, 21, 59))  # 23:59 on the 3rd
    assert not told(item)
    action_overdue_reminders_send(now=at(2026, 5, 3, 22, 1))  # 00:01 on the 4th
    assert len(told(item)) == 1 and not told(done)


def test_overdue_begins_at_midnight_in_the_owners_own_zone(world):
    world.bob.time_zone = "Asia/Tokyo"
    world.bob.save()
    bobs = action(world, owner=world.bob)
    alices = action(world, owner=world.alice, actor=world.bob, title="Alice's")
    # 16:00 UTC on 3 May is 01:00 on 4 May in Tokyo: Bob's is overdue; in Zurich it is
    # 18:00 on the 3rd, so Alice's is not, until midnight there.
    action_overdue_reminders_send(now=at(2026, 5, 3, 16))
    assert len(told(bobs)) == 1 and not told(alices)
    action_overdue_reminders_send(now=at(2026, 5, 3, 22, 30))
    assert len(told(alices)) == 1 and len(told(bobs)) == 1


def test_an_owner_who_lost_the_seat_is_not_told(world):
    item = action(world)
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).delete()
    action_overdue_reminders_send(now=at(2026, 5, 4, 9))
    assert not told(item)


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    world = world_committed
    remind_overdue_actions()  # the world's own overdue actions first
    item = action(world, due_date=timezone.localdate() - datetime.timedelta(days=2))
    assert remind_overdue_actions.delay().get(timeout=15) == 1
    assert remind_overdue_actions.delay().get(timeout=15) == 0
    assert [n.recipient for n in told(item)] == [world.bob]


def test_beat_runs_the_job_hourly(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["governance.actions.tasks.remind_overdue_actions"] == 3600.0
