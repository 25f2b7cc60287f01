"""Jobs of formal requests (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.requests import services


@shared_task
def notify_late_requests() -> int:
    """Every 15 minutes: tell the receiving party's leads (its writers, if it has no lead) of
    each request not acknowledged in the agreed time, once per request and acknowledgement
    window (claimed in the database, so a second run or a second worker tells nobody
    twice)."""
    return services.request_notify_late()
