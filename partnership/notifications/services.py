"""`notify()`: the one way any app tells people something happened (bell + e-mail), and
the other writes of notifications: marking read, each person's settings, the e-mails and
the daily digest.

Call it inside the service's transaction. It keeps to DESIGN §2 by construction: a
recipient who cannot see the partnership (or, for an internal record, who is not of the
party that wrote it) gets nothing, and the acting person is never notified of their own act.
E-mails are queued after commit; a sweep sends those whose task was lost, and the daily
digest job picks up the rest. Each e-mail goes out at least once, and never twice once sent.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.models import Partnership, User
from partnership.notifications.models import Delivery, Notification, NotificationPreference
from partnership.notifications.selectors import digest_recipients, notification_list
from partnership.permissions import require
from portal.registries import notification_kinds
from portal.zones import user_zone

logger = logging.getLogger(__name__)


def notify(*, recipients: Iterable, kind: str, partnership, title: str, url: str,
           body: str = "", actor=None, record=None,
           when: datetime.datetime | None = None) -> list[Notification]:
    """Notify `recipients` (users) about `record` of `partnership`; returns what was created.

    `record`, when given, limits recipients to those who may see it: a record internal to
    one party (itself, or through a parent it inherits from) notifies only that party's
    people. `when` is the time the news is about
    (a meeting's start): pass it rather than writing it into `body`, so that each recipient
    reads it in their own zone (DESIGN §8).
    """
    if not notification_kinds.is_registered(kind):
        raise ValueError(f"Unknown notification kind {kind!r}")
    ids = {user.pk for user in recipients if user is not None}
    if actor is not None:
        ids.discard(actor.pk)
    people = User.objects.who_may_see(partnership).filter(pk__in=ids, is_active=True)
    rows = type(record)._default_manager.filter(pk=record.pk) if record is not None else None
    if rows is not None and hasattr(rows, "seen_by"):
        people = people.filter(organization_id__in=[
            org for org in (partnership.sponsor_id, partnership.cdmo_id)
            if rows.seen_by(org).exists()])
    choices = dict(NotificationPreference.objects.filter(user__in=people, kind=kind)
                   .values_list("user_id", "delivery"))
    record_type = ContentType.objects.get_for_model(record) if record is not None else None
    notifications = [
        Notification(recipient_id=pk, partnership=partnership, kind=kind, actor=actor,
                     title=title[:300], body=body, url=url, event_at=when,
                     record_type=record_type,
                     record_id=record.pk if record is not None else None,
                     delivery=choices.get(pk, Delivery.IMMEDIATELY))
        for pk in people.values_list("pk", flat=True)
        if choices.get(pk, Delivery.IMMEDIATELY) != Delivery.OFF
    ]
    created = Notification.objects.bulk_create(notifications)
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATELY]
    if immediate:
        from partnership.notifications.tasks import send_notification_emails_task

        # Robust: with the broker down, the write has still happened (it is committed); the
        # error is logged and the sweep sends these e-mails later, instead of a 500.
        transaction.on_commit(lambda: send_notification_emails_task.delay(immediate),
                              robust=True)
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


def notifications_unquote(*, kind: str, model, record_id: int, actor, body: str, since,
                          until, note: str) -> int:
    """Stop quoting `body` (what `actor` wrote about record `record_id` of `model`, told as
    `kind` between `since` and `until`): a withdrawn comment's words no longer sit in the
    bell, list, API or next digest of the people it mentioned; they read `note` instead.
    (E-mails already sent cannot be recalled.) Returns how many notifications changed."""
    return Notification.objects.filter(
        kind=kind, actor=actor, record_type=ContentType.objects.get_for_model(model),
        record_id=record_id, body=body, created_at__gte=since, created_at__lte=until,
    ).update(body=note)


# --- Read marks and each person's settings ----------------------------------------------

@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (a second call changes nothing)."""
    require(actor, "partnership.notification_mark_read", notification)
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
        if not notification_kinds.is_registered(kind):
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


# --- E-mail ---------------------------------------------------------------------------------

def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    """One e-mail, text and HTML, from templates/emails/<template>.txt / .html. The subject
    is made one line here, for every e-mail: a newline in a title would make Django refuse
    the header (BadHeaderError)."""
    message = EmailMultiAlternatives(
        subject=" ".join(f"[Lockstep] {subject}".split()),
        body=render_to_string(f"emails/{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"emails/{template}.html", context),
                               "text/html")
    message.send()


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification chosen 'immediately'; True if it went out now.

    The conditional UPDATE of `emailed_at` claims it, and the e-mail is sent before the
    claim commits: a send that fails rolls the claim back, and so does a worker killed
    half-way (its connection dies with it), so the notification stays pending for the
    sweep. A second worker waits on the row, then finds it sent. A recipient deactivated,
    or no longer seated in the partnership, since the event gets nothing, and the
    notification is marked skipped so that nobody tries again."""
    notification = Notification.objects.select_related(
        "recipient", "partnership__sponsor", "partnership__cdmo").filter(
        pk=notification_id, delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True).first()
    if notification is None:
        return False
    recipient, now = notification.recipient, timezone.now()
    scoped = Notification.objects.visible_to(recipient) if recipient.is_active \
        else Notification.objects.none()
    with transaction.atomic():
        # The claim filters this one table only (visible_to adds a subquery, no join): with a
        # join (recipient__is_active, say) Django writes `id IN (SELECT … JOIN …)`, which
        # PostgreSQL does not re-check against a row another worker has just claimed, and
        # both would send. Hence is_active is checked above, on the row already loaded.
        if not scoped.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=now):
            Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=now, email_skipped=True)
            return False
        with timezone.override(user_zone(recipient)):
            _send(to=recipient.email, subject=notification.title, template="notification",
                  context={"notification": notification,
                           "link": settings.SITE_URL.rstrip("/") + notification.url})
    return True


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """E-mail each of these notifications (notification_email_send); one that fails is
    logged and left pending, and the others still go. Returns how many went out."""
    sent = 0
    for pk in notification_ids:
        try:
            if notification_email_send(notification_id=pk):
                sent += 1
        except Exception:
            logger.exception("E-mail of notification %s failed; the sweep retries it", pk)
    return sent


# --- The daily digest ---------------------------------------------------------------------

def digest_claim(*, user, now: datetime.datetime | None = None) -> list[Notification]:
    """Claim the user's pending digest notifications, once per local day after the digest
    hour; returns what to send (empty when it is too early, already sent today, or nothing
    is pending). Call it inside the transaction that sends the digest (digest_send), so a
    failed send gives the claim back.

    The user's row is locked for the claim, so two workers running the job at once queue up
    and the second one sees the first one's digest of today; the conditional UPDATE on
    `emailed_at` is what makes a notification go out once whatever happens around it.
    Those of a partnership the user no longer sees are marked skipped: never mailed, even
    if the seat comes back, and no reason to look at this person again every hour.
    """
    now = now or timezone.now()
    local = now.astimezone(user_zone(user))
    if local.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return []
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        digests = Notification.objects.filter(recipient=user, delivery=Delivery.DAILY_DIGEST)
        if digests.filter(emailed_at__gte=midnight, email_skipped=False).exists():
            return []
        digests.filter(emailed_at__isnull=True).exclude(
            partnership__in=Partnership.objects.visible_to(user)).update(
            emailed_at=now, email_skipped=True)
        pending = list(notification_list(user=user).filter(
            delivery=Delivery.DAILY_DIGEST, emailed_at__isnull=True
        ).values_list("pk", flat=True))
        if not pending:
            return []
        Notification.objects.filter(pk__in=pending, emailed_at__isnull=True).update(
            emailed_at=now)
    return list(notification_list(user=user).filter(pk__in=pending).order_by(
        "partnership_id", "-created_at", "-pk"))


def digest_send(*, user, now: datetime.datetime | None = None) -> bool:
    """E-mail the user's digest of today, if it is due (digest_claim); True if it went out.
    Claim and send are one transaction: an e-mail that fails leaves everything pending for
    the next hourly run."""
    with transaction.atomic():
        notifications = digest_claim(user=user, now=now)
        if not notifications:
            return False
        groups: dict = {}
        for notification in notifications:
            groups.setdefault(notification.partnership, []).append(notification)
        count = len(notifications)
        with timezone.override(user_zone(user)):
            _send(to=user.email,
                  subject=f"Your daily digest: {count} notification{'s' if count != 1 else ''}",
                  template="digest",
                  context={"user": user, "groups": list(groups.items()), "count": count,
                           "site": settings.SITE_URL.rstrip("/")})
    return True


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send every digest that is due; one that fails is logged and retried on the next run,
    the others still go. Returns how many went out."""
    sent = 0
    for user in digest_recipients():
        try:
            if digest_send(user=user, now=now):
                sent += 1
        except Exception:
            logger.exception("Daily digest of user %s failed; the next run retries it",
                             user.pk)
    return sent
