"""Jobs of the feedback survey (Celery beat runs them; each is safe to run twice)."""

import datetime

from celery import shared_task

from governance.relationship import services


@shared_task
def open_quarterly_survey(today: str | None = None) -> int:
    """Daily: in a quarter's first days, tell each seated person once that the feedback
    survey is open. Returns how many were told on this run. `today` (ISO date) lets an
    operator re-run a missed day; beat passes nothing."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.survey_invitations_send(today=day)
