"""Jobs of the risk register (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.risks import services
from partnership.sweeps import sweep


@shared_task
def remind_risk_reviews() -> int:
    """Daily: remind the owner of each open risk whose review date has come, once per date."""
    return sweep(remind_risk_reviews_batch)


@shared_task
def remind_risk_reviews_batch(partnerships: list[int]) -> int:
    return services.risk_review_reminders_send(partnerships=partnerships)
