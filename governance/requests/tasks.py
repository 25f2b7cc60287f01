"""Jobs of formal requests (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.requests import services
from partnership.sweeps import sweep


@shared_task
def notify_late_requests() -> int:
    """Every 15 minutes: tell the receiving party's leads (its writers, if it has no lead) of
    each request not acknowledged in the agreed time, once per request and acknowledgement
    window (claimed in the database, so a second run or a second worker tells nobody
    twice)."""
    return sweep(notify_late_requests_batch)


@shared_task
def notify_late_requests_batch(partnerships: list[int]) -> int:
    return services.request_notify_late(partnerships=partnerships)


@shared_task
def remind_requests_due_soon() -> int:
    """Hourly: tell whoever answers a request once, soon after midnight in their own zone,
    that it is due in two days (a unique claim per request, due date and person)."""
    return sweep(remind_requests_due_soon_batch)


@shared_task
def remind_requests_due_soon_batch(partnerships: list[int]) -> int:
    return services.request_due_soon_reminders_send(partnerships=partnerships)
