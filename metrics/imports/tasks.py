"""Jobs of KPI imports: reading one uploaded spreadsheet (exactly once: the service claims
the import with a conditional UPDATE)."""

from celery import shared_task

from metrics.imports.services import kpi_import_run


@shared_task
def run_kpi_import_task(import_id: int) -> str | None:
    kpi_import = kpi_import_run(import_id=import_id)
    return kpi_import.status if kpi_import is not None else None
