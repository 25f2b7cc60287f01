"""Jobs of KPI values: the daily reminder of values due and not submitted (idempotent: a
unique key per KPI and period)."""

from celery import shared_task

from metrics.measurements.services import kpi_due_reminders_send


@shared_task
def remind_kpi_values_due() -> int:
    return kpi_due_reminders_send()
