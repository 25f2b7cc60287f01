"""Jobs of meetings (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.meetings import services


@shared_task
def remind_upcoming_meetings() -> int:
    """Every five minutes: remind each attendee a day and an hour before a meeting, once
    (a unique claim per meeting, start and person)."""
    return services.meeting_reminders_send()
