"""Jobs that belong to no app: housekeeping and the notification e-mails."""

from celery import shared_task
from django.conf import settings
from django.core import management
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import Notification


@shared_task
def clear_expired_sessions() -> None:
    """Idempotent: deleting already-expired sessions twice deletes nothing the second time."""
    management.call_command("clearsessions")


@shared_task
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """E-mail each notification once, HTML and text. The conditional UPDATE claims each
    one before sending, so a retry or a second run sends nothing twice. Returns how many."""
    sent = 0
    for pk in notification_ids:
        if not Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()):
            continue
        notification = Notification.objects.select_related(
            "recipient", "partnership__sponsor", "partnership__cdmo").get(pk=pk)
        if notification not in Notification.objects.visible_to(notification.recipient):
            continue  # the seat was removed between the event and the e-mail
        context = {"notification": notification,
                   "link": settings.SITE_URL.rstrip("/") + notification.url}
        message = EmailMultiAlternatives(
            subject=f"[Lockstep] {notification.title}",
            body=render_to_string("emails/notification.txt", context),
            to=[notification.recipient.email])
        message.attach_alternative(render_to_string("emails/notification.html", context),
                                   "text/html")
        message.send()
        sent += 1
    return sent


@shared_task
def send_daily_digests() -> int:
    """Hourly: e-mail each person one digest a day (after the digest hour in their zone) of
    the notifications they chose to get that way, grouped by partnership. The claim in
    `digest_claim` makes a second run, or a second worker, send nothing twice. Returns how
    many digests went out."""
    from portal.notifications import digest_claim, digest_recipients

    sent = 0
    for user in digest_recipients():
        notifications = digest_claim(user=user)
        if not notifications:
            continue
        groups: dict = {}
        for notification in notifications:
            groups.setdefault(notification.partnership, []).append(notification)
        site = settings.SITE_URL.rstrip("/")
        context = {"user": user, "groups": list(groups.items()), "site": site,
                   "count": len(notifications)}
        message = EmailMultiAlternatives(
            subject=f"[Lockstep] Your daily digest: {len(notifications)} "
                    f"notification{'s' if len(notifications) != 1 else ''}",
            body=render_to_string("emails/digest.txt", context),
            to=[user.email])
        message.attach_alternative(render_to_string("emails/digest.html", context),
                                   "text/html")
        message.send()
        sent += 1
    return sent
