"""Jobs of KPI values: the reminders of values due (before and after the due day) and of
review windows closing (each idempotent: a unique key per KPI or value, window and
person)."""

from celery import shared_task

from metrics.measurements import services
from partnership.sweeps import sweep


@shared_task
def remind_kpi_values_due() -> int:
    return sweep(remind_kpi_values_due_batch)


@shared_task
def remind_kpi_values_due_batch(partnerships: list[int]) -> int:
    return services.kpi_due_reminders_send(partnerships=partnerships)


@shared_task
def remind_kpi_values_due_soon() -> int:
    """Hourly: soon after midnight in each lead's zone, two days before the due day."""
    return sweep(remind_kpi_values_due_soon_batch)


@shared_task
def remind_kpi_values_due_soon_batch(partnerships: list[int]) -> int:
    return services.kpi_due_soon_reminders_send(partnerships=partnerships)


@shared_task
def remind_kpi_reviews_closing() -> int:
    """Hourly: two days before a review window closes."""
    return sweep(remind_kpi_reviews_closing_batch)


@shared_task
def remind_kpi_reviews_closing_batch(partnerships: list[int]) -> int:
    return services.kpi_review_closing_reminders_send(partnerships=partnerships)
