"""`notify()`: the one way any app tells people something happened (bell + e-mail).

Call it inside the service's transaction. It keeps to DESIGN §2 by construction: a
recipient who cannot see the partnership (or, for an internal record, who is not of the
party that wrote it) gets nothing, and the acting person is never notified of their own act.
E-mails are queued after commit; the daily digest job picks up the rest.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import Delivery, Kind, Notification, NotificationPreference


def notify(*, recipients: Iterable, kind: str, partnership, title: str, url: str,
           body: str = "", actor=None, record=None) -> list[Notification]:
    """Notify `recipients` (users) about `record` of `partnership`; returns what was created.

    `record`, when given, limits recipients to those who may see it: an internal record
    notifies only people of its author's organization.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    User = apps.get_model("partnership", "User")
    ids = {user.pk for user in recipients if user is not None}
    if actor is not None:
        ids.discard(actor.pk)
    people = User.objects.who_may_see(partnership).filter(pk__in=ids, is_active=True)
    if record is not None and getattr(record, "is_internal", False):
        people = people.filter(organization_id=record.author_organization_id)
    choices = dict(NotificationPreference.objects.filter(user__in=people, kind=kind)
                   .values_list("user_id", "delivery"))
    record_type = ContentType.objects.get_for_model(record) if record is not None else None
    notifications = [
        Notification(recipient_id=pk, partnership=partnership, kind=kind, actor=actor,
                     title=title[:300], body=body, url=url, record_type=record_type,
                     record_id=record.pk if record is not None else None,
                     delivery=choices.get(pk, Delivery.IMMEDIATELY))
        for pk in people.values_list("pk", flat=True)
        if choices.get(pk, Delivery.IMMEDIATELY) != Delivery.OFF
    ]
    created = Notification.objects.bulk_create(notifications)
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATELY]
    if immediate:
        from portal.tasks import send_notification_emails_task

        transaction.on_commit(lambda: send_notification_emails_task.delay(immediate))
    return created


def notifications_withdraw(*, record) -> int:
    """Take back what was said about `record` from everyone outside the organization that
    wrote it: called when the record becomes internal, so its title no longer sits in the
    other party's bell, list or next digest. (E-mails already sent cannot be recalled.)
    Returns how many notifications were deleted."""
    deleted, _ = Notification.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk,
    ).exclude(recipient__organization_id=record.author_organization_id).delete()
    return deleted


# --- Reads: the bell, the notifications page and the digest ------------------------------

def notification_list(*, user, unread_only: bool = False):
    """The user's notifications, newest first; those of a partnership they lost their seat
    in drop out (Notification.objects.visible_to)."""
    notifications = Notification.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo", "actor")
    return notifications.unread() if unread_only else notifications


def unread_count(*, user) -> int:
    """One COUNT query: the bell polls it every few seconds from every open tab."""
    return Notification.objects.visible_to(user).unread().count()


def safe_path(url: str) -> str | None:
    """The stored path if it stays inside the portal ("/…" but not "//host" or "/\\host",
    which browsers read as another site); None otherwise. Guards the click-through redirect
    against an open redirect even if a bad url was ever stored."""
    if not url.startswith("/") or url.startswith(("//", "/\\")) or any(
            ch in url for ch in "\r\n\t"):
        return None
    return url


# --- Writes -------------------------------------------------------------------------------

@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (a second call changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Only its recipient marks a notification read.")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark everything the actor can see read; returns how many changed."""
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, actor, choices: dict[str, str]) -> None:
    """Save the actor's delivery per kind ({kind: delivery}); kinds left out keep theirs.
    'Immediately' is the default, so choosing it deletes the row rather than storing it."""
    errors = {}
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            errors[kind] = f"“{kind}” is not a kind of notification."
        elif delivery not in Delivery.values:
            errors[kind] = f"Choose one of: {', '.join(Delivery.values)}."
    if errors:
        raise ValidationError(errors)
    for kind, delivery in choices.items():
        if delivery == Delivery.IMMEDIATELY:
            NotificationPreference.objects.filter(user=actor, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"delivery": delivery})


def notification_preferences(*, user) -> dict[str, str]:
    """{kind: delivery} for every kind, the default filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user)
                  .values_list("kind", "delivery"))
    return {kind: stored.get(kind, Delivery.IMMEDIATELY) for kind in Kind.values}


# --- The daily digest ---------------------------------------------------------------------

def _local_now(user, now: datetime.datetime) -> datetime.datetime:
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.DEFAULT_USER_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return now.astimezone(zone)


def digest_claim(*, user, now: datetime.datetime | None = None) -> list[Notification]:
    """Claim the user's pending digest notifications, once per local day after the digest
    hour; returns what to send (empty when it is too early, already sent today, or nothing
    is pending).

    The user's row is locked for the claim, so two workers running the job at once queue up
    and the second one sees the first one's digest of today; the conditional UPDATE on
    `emailed_at` is what makes a notification go out once whatever happens around it.
    Notifications of a partnership the user no longer sees are left unsent.
    """
    now = now or timezone.now()
    local = _local_now(user, now)
    if local.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return []
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    User = apps.get_model("partnership", "User")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        digests = Notification.objects.filter(recipient=user, delivery=Delivery.DAILY_DIGEST)
        if digests.filter(emailed_at__gte=midnight).exists():
            return []
        pending = list(notification_list(user=user).filter(
            delivery=Delivery.DAILY_DIGEST, emailed_at__isnull=True
        ).values_list("pk", flat=True))
        if not pending:
            return []
        Notification.objects.filter(pk__in=pending, emailed_at__isnull=True).update(
            emailed_at=now)
    return list(notification_list(user=user).filter(pk__in=pending).order_by(
        "partnership_id", "-created_at", "-pk"))


def digest_recipients():
    """People with digest notifications not yet e-mailed."""
    User = apps.get_model("partnership", "User")
    waiting = Notification.objects.filter(delivery=Delivery.DAILY_DIGEST,
                                          emailed_at__isnull=True).values("recipient_id")
    return User.objects.filter(pk__in=waiting, is_active=True)
