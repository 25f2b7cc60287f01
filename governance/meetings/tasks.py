"""Jobs of meetings (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.meetings import services
from partnership.sweeps import sweep


@shared_task
def remind_upcoming_meetings() -> int:
    """Every five minutes: remind each attendee a day and an hour before a meeting, once
    (a unique claim per meeting, start and person)."""
    return sweep(remind_upcoming_meetings_batch)


@shared_task
def remind_upcoming_meetings_batch(partnerships: list[int]) -> int:
    return services.meeting_reminders_send(partnerships=partnerships)
