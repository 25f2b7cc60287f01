"""Reads of notifications: the bell, the notifications page, the settings and the jobs'
work lists. What a person sees starts from `Notification.objects.visible_to(user)`."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string

from partnership.models import Partnership, User
from partnership.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    ReminderClaim,
)
from portal.registries import notification_kinds, reminders

#: An immediate e-mail still unsent this long after its notification is picked up by the
#: sweep (its task was lost, the broker was down, or the send failed) ...
EMAIL_SWEEP_AFTER = datetime.timedelta(minutes=10)
#: ... for this long; after that it is news no more (it stays in the bell).
EMAIL_GIVE_UP_AFTER = datetime.timedelta(days=1)


def notification_list(*, user, partnership=None, unread_only: bool = False):
    """The user's notifications (of one partnership, if given), newest first; those of a
    partnership they lost their seat in drop out (Notification.objects.visible_to)."""
    notifications = Notification.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo", "actor")
    if partnership is not None:
        notifications = notifications.filter(partnership=partnership)
    return notifications.unread() if unread_only else notifications


#: The bell counts unread notifications up to this, and shows "99+" past it: counting
#: someone's 50,000 unread on every poll of every tab would cost more the more they ignore.
UNREAD_SHOWN = 99


def unread_count(*, user) -> int:
    """One COUNT query, of at most UNREAD_SHOWN + 1 rows (so "99+" past UNREAD_SHOWN): the
    bell polls it every few seconds from every open tab."""
    return Notification.objects.visible_to(user).unread().order_by()[:UNREAD_SHOWN + 1].count()


def notification_preference_list(*, user):
    """The user's choices that differ from the default (immediately), by kind."""
    if not user.is_authenticated:  # the API schema generator's fake request
        return NotificationPreference.objects.none()
    return NotificationPreference.objects.filter(user=user).order_by("kind")


def notification_preferences(*, user) -> dict[str, str]:
    """{kind: delivery} for every registered kind, the default filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user)
                  .values_list("kind", "delivery"))
    return {kind: stored.get(kind, Delivery.IMMEDIATELY)
            for kind in notification_kinds.codes()}


def notification_emails_pending(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of immediate notifications whose e-mail is overdue: unsent EMAIL_SWEEP_AFTER
    after they were made (lost task, broker outage, failed send), and not older than
    EMAIL_GIVE_UP_AFTER. Oldest first, so a backlog drains in order."""
    now = now or timezone.now()
    return list(Notification.objects.filter(
        delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True,
        created_at__lte=now - EMAIL_SWEEP_AFTER, created_at__gte=now - EMAIL_GIVE_UP_AFTER,
    ).order_by("pk").values_list("pk", flat=True))


def digest_recipients():
    """People with digest notifications not yet e-mailed."""
    waiting = Notification.objects.filter(delivery=Delivery.DAILY_DIGEST,
                                          emailed_at__isnull=True).values("recipient_id")
    return User.objects.filter(pk__in=waiting, is_active=True)


#: How far ahead the Reminders page looks.
UPCOMING_REMINDERS_AHEAD = datetime.timedelta(days=7)


@dataclass(frozen=True)
class UpcomingReminder:
    """A reminder that will reach a person: its kind, the record, when it goes, how."""

    kind: str
    label: str
    record: object
    partnership: object
    reminds_at: datetime.datetime
    #: The moment (a meeting's start) or the date (a due date) the reminder is about.
    about: datetime.date | datetime.datetime
    delivery: str

    @property
    def about_is_moment(self) -> bool:
        return isinstance(self.about, datetime.datetime)

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label


def upcoming_reminders(*, user, now: datetime.datetime | None = None,
                       ahead: datetime.timedelta = UPCOMING_REMINDERS_AHEAD
                       ) -> list[UpcomingReminder]:
    """What will remind `user` within `ahead` from now, soonest first: each registered
    reminder's own "who is due when" (its `dues`, the function its job sends from), asked
    for the records the user sees, kept where the user is a recipient and not yet told
    (ReminderClaim), with the delivery the user chose for the kind. A fixed number of
    queries per kind of reminder, whatever the records."""
    if not user.is_authenticated:  # the API schema generator's fake request
        return []
    now = now or timezone.now()
    found = []
    for reminder in reminders.reminders():
        for due in import_string(reminder.dues)(now=now, ahead=ahead, user=user):
            if any(person is not None and person.pk == user.pk for person in due.recipients):
                found.append((reminder, due))
    if not found:
        return []
    claimed = set(ReminderClaim.objects.filter(
        recipient=user, kind__in={reminder.code for reminder, _due in found},
        record_id__in={due.record.pk for _reminder, due in found}).values_list(
        "kind", "record_type__model", "record_id", "window"))
    partnerships = Partnership.objects.select_related("sponsor", "cdmo").in_bulk(
        {due.record.partnership_id for _reminder, due in found})
    choices = notification_preferences(user=user)
    upcoming = [
        UpcomingReminder(kind=reminder.code, label=reminder.label, record=due.record,
                         partnership=partnerships[due.record.partnership_id],
                         reminds_at=due.reminds_at(user, now), about=due.window,
                         delivery=choices.get(reminder.code, Delivery.IMMEDIATELY))
        for reminder, due in found
        if (reminder.code, due.record._meta.model_name, due.record.pk, due.key) not in claimed]
    return sorted(upcoming, key=lambda item: (item.reminds_at, item.kind, item.record.pk))
