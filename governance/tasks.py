"""Jobs of the governance app (Celery beat runs them; each is safe to run twice)."""

import datetime

from celery import shared_task

from governance import services


@shared_task
def open_quarterly_survey(today: str | None = None) -> int:
    """Daily: in a quarter's first days, tell each seated person once that the feedback
    survey is open. Returns how many were told on this run. `today` (ISO date) lets an
    operator re-run a missed day; beat passes nothing."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.survey_invitations_send(today=day)


@shared_task
def remind_risk_reviews() -> int:
    """Daily: remind the owner of each open risk whose review date has come, once per date."""
    return services.risk_review_reminders_send()


@shared_task
def remind_overdue_actions() -> int:
    """Hourly: tell each owner once when their open action becomes overdue (the day after
    the due date has begun in the owner's zone, hence hourly), once per due date."""
    return services.action_overdue_reminders_send()


@shared_task
def notify_late_requests() -> int:
    """Every 15 minutes: tell the receiving party's leads (its writers, if it has no lead) of
    each request not acknowledged in the agreed time, once per request and acknowledgement
    window (claimed in the database, so a second run or a second worker tells nobody
    twice)."""
    return services.request_notify_late()


@shared_task
def escalate_overdue_items() -> int:
    """Hourly: move each late request and overdue action one level up its partnership's
    escalation path when its days at the current level have run out, once per item, window
    and level (a unique key in the database, so a second run or a run after a crash tells
    nobody twice). Returns how many steps this run recorded."""
    return services.escalations_advance()
