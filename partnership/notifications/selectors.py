"""Reads of notifications: the bell, the notifications page, the settings and the jobs'
work lists. What a person sees starts from `Notification.objects.visible_to(user)`."""

import datetime

from django.utils import timezone

from partnership.models import User
from partnership.notifications.models import Delivery, Notification, NotificationPreference
from portal.registries import notification_kinds

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


def unread_count(*, user) -> int:
    """One COUNT query: the bell polls it every few seconds from every open tab."""
    return Notification.objects.visible_to(user).unread().count()


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
