"""Jobs of action items (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.actions import services
from partnership.sweeps import sweep


@shared_task
def remind_overdue_actions() -> int:
    """Hourly: tell each owner once when their open action becomes overdue (the day after
    the due date has begun in the owner's zone, hence hourly), once per due date."""
    return sweep(remind_overdue_actions_batch)


@shared_task
def remind_overdue_actions_batch(partnerships: list[int]) -> int:
    return services.action_overdue_reminders_send(partnerships=partnerships)


@shared_task
def remind_actions_due_soon() -> int:
    """Hourly: tell each owner once, soon after midnight in their own zone, that their open
    action is due in two days (a unique claim per action, due date and owner)."""
    return sweep(remind_actions_due_soon_batch)


@shared_task
def remind_actions_due_soon_batch(partnerships: list[int]) -> int:
    return services.action_due_soon_reminders_send(partnerships=partnerships)
