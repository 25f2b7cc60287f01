"""Writes of action items: create, change, move along, and the overdue reminder job."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from governance.actions.models import ActionItem, ActionItemOverdueReminder
from partnership.models import Partnership, User
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    in_days,
    local_dates,
    reminders_send,
    scoped,
    when_in_days,
)
from partnership.notifications.services import notify
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from portal.locking import locked
from portal.workflow import transition
from portal.zones import user_zone

ACTION_ITEM_FIELDS = ("title", "description", "owner", "due_date", "priority", "is_internal",
                      "meeting", "request", "decision")


@transaction.atomic
def action_item_create(*, actor: User, partnership: Partnership, **fields) -> ActionItem:
    """Create an action; its source (meeting, request or decision) must be of the same
    partnership (ActionItem.clean), and the owner is told it is theirs."""
    require(actor, "governance.actionitem_create", partnership)
    item = shared_record_create(ActionItem, ACTION_ITEM_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)
    notify(recipients=[item.owner], kind="action_assigned", partnership=partnership,
           title=f"Action for you: {item.title}", url=item.get_absolute_url(),
           body=f"Due {item.due_date:%d %b %Y}.", actor=actor, record=item)
    return item


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, **fields) -> ActionItem:
    """Change the fields given (the others stay as they are); a new owner is told, as if it
    had just been assigned. The row is read again under a lock, never the caller's copy."""
    item = locked(item, "partnership")
    require(actor, "governance.actionitem_edit", item)
    previous_owner = item.owner_id
    item = shared_record_update(item, ACTION_ITEM_FIELDS, actor=actor, fields=fields)
    if item.owner_id != previous_owner:
        notify(recipients=[item.owner], kind="action_assigned",
               partnership=item.partnership, title=f"Action for you: {item.title}",
               url=item.get_absolute_url(), body=f"Due {item.due_date:%d %b %Y}.",
               actor=actor, record=item)
    return item


@transaction.atomic
def action_item_transition(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    """Move an action along its workflow; closing it (done, cancelled) records when."""
    require(actor, "governance.actionitem_transition", item)
    return transition(item, status, changes=lambda row, status: {
        "completed_at": timezone.now() if status in ActionItem.CLOSED else None})


def action_overdue_reminders_send(*, now: datetime.datetime | None = None,
                                  partnerships: Batch = None) -> int:
    """Tell the owner of each open action, once, that it is overdue: when the day after its
    due date has begun in the owner's own zone (what their My work page says too). The
    reminder row's unique key (action, due date) is claimed in the same savepoint as the
    notification, so a second run, a second worker or a run after a crash tells nobody
    twice; a due date moved and passed again reminds again. Only the batch's partnerships
    when given (partnership.sweeps). Returns how many were told."""
    now = now or timezone.now()
    reminded = ActionItemOverdueReminder.objects.filter(action=OuterRef("pk"),
                                                        due_date=OuterRef("due_date"))
    # No zone is more than 14 hours ahead of UTC: nothing due later can be overdue anywhere.
    latest_today = (now + datetime.timedelta(hours=14)).date()
    candidates = scoped(ActionItem, None, partnerships).exclude(
        status__in=ActionItem.CLOSED).filter(
        due_date__lt=latest_today).exclude(Exists(reminded)).select_related(
        "owner", "partnership").order_by("pk")
    told = 0
    for item in candidates:
        if item.due_date >= now.astimezone(user_zone(item.owner)).date():
            continue
        with transaction.atomic():
            _, created = ActionItemOverdueReminder.objects.get_or_create(
                action=item, due_date=item.due_date)
            if created:
                notify(recipients=[item.owner], kind="action_overdue",
                       partnership=item.partnership, title=f"Action overdue: {item.title}",
                       url=item.get_absolute_url(), body=f"It was due {item.due_date:%d %b %Y}.",
                       record=item)
                told += 1
    return told


#: An open action's owner is reminded this many days before its due date.
ACTION_DUE_SOON_DAYS = 2


def action_due_soon_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                         user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """Each open action whose owner is reminded within `ahead` from now (now: the job),
    of the actions `user` sees when given: from when its due date is two days ahead in the
    owner's own zone until the day before it. One query selects the actions that may be
    due soon somewhere on Earth."""
    earliest, latest = local_dates(now)
    actions = scoped(ActionItem, user, partnerships).exclude(status__in=ActionItem.CLOSED).filter(
        due_date__gt=earliest, due_date__lte=latest + datetime.timedelta(
            days=ACTION_DUE_SOON_DAYS + ahead.days)).select_related(
        "owner", "partnership").order_by("pk")
    return [Due(record=item, window=item.due_date, lead=ACTION_DUE_SOON_DAYS,
                recipients=in_days(item.due_date, [item.owner], now,
                                   first=ACTION_DUE_SOON_DAYS + ahead.days),
                title=f"Action due {when_in_days(item.due_date, item.owner, now)}: "
                      f"{item.title}",
                body=f"Due {item.due_date:%A %d %b %Y}.")
            for item in actions]


def action_due_soon_reminders_send(*, now: datetime.datetime | None = None,
                                   partnerships: Batch = None) -> int:
    """Remind the owner of each open action that it is due in two days
    (action_due_soon_dues), once per action, due date and owner (a new due date reminds
    again). Returns how many were told."""
    return reminders_send(kind="action_due_soon",
                          dues=action_due_soon_dues(now=now or timezone.now(),
                                     partnerships=partnerships))
