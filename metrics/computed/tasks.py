"""Jobs of computed KPIs: the nightly computation of the last ended period (idempotent: a
unique claim per KPI and period)."""

from celery import shared_task

from metrics.computed.services import computed_kpis_compute
from partnership.sweeps import sweep


@shared_task
def compute_kpi_values() -> int:
    return sweep(compute_kpi_values_batch)


@shared_task
def compute_kpi_values_batch(partnerships: list[int]) -> int:
    return computed_kpis_compute(partnerships=partnerships)
