"""Jobs of the notification e-mails: the one queued by notify(), the sweep and the digest."""

from celery import shared_task

from partnership.notifications import selectors, services


@shared_task
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """Queued by notify() after commit: e-mail each notification once, HTML and text
    (services.notification_email_send claims each one). Returns how many went out."""
    return services.notification_emails_send(notification_ids=notification_ids)


@shared_task
def sweep_notification_emails() -> int:
    """Every few minutes: send the immediate e-mails that should have gone out by now and
    did not (a task lost with a worker, a broker outage when it was queued, a failed send).
    The same claim as the queued task, so nothing already sent goes twice."""
    return services.notification_emails_send(
        notification_ids=selectors.notification_emails_pending())


@shared_task
def send_daily_digests() -> int:
    """Hourly: e-mail each person one digest a day (after the digest hour in their zone) of
    the notifications they chose to get that way, grouped by partnership. The claim in
    `digest_claim` makes a second run, or a second worker, send nothing twice. Returns how
    many digests went out."""
    return services.digests_send()
