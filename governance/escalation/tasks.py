"""The escalation job (Celery beat runs it; it is safe to run twice)."""

from celery import shared_task

from governance.escalation import services
from partnership.sweeps import sweep


@shared_task
def escalate_overdue_items() -> int:
    """Hourly: move each late request and overdue action one level up its partnership's
    escalation path when its days at the current level have run out, once per item, window
    and level (a unique key in the database, so a second run or a run after a crash tells
    nobody twice). Returns how many steps this run recorded."""
    return sweep(escalate_overdue_items_batch)


@shared_task
def escalate_overdue_items_batch(partnerships: list[int]) -> int:
    return services.escalations_advance(partnerships=partnerships)
