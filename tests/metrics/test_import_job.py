"""The KPI import's job in a real Celery worker, delivered twice, enters the file once. Its
own module: in test_imports.py, whose tests share one world held in a transaction until
the module ends (saved_world), this test found the database connection closed when it
built its committed world."""

from metrics.imports import services
from metrics.imports.tasks import run_kpi_import_task
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi
from tests.metrics.test_imports import BEFORE, month, values_of, xlsx_file


def test_the_job_runs_in_a_real_worker_once_when_delivered_twice(celery_worker,
                                                                 world_committed):
    world = add_cast(world_committed)
    agreed_kpi(world)
    kpi_import = services.kpi_import_create(  # queues the job once committed (autocommit)
        actor=world.bob, partnership=world.acme_contoso,
        file=xlsx_file([["on-time-delivery", month(LAST_MONTH), 92, 23, 25, "Two late lots"],
                        ["on-time-delivery", month(BEFORE), 100, 25, 25, None]]))
    # Delivered again: the solo worker runs the first delivery, then this one, which finds
    # the import claimed and done.
    assert run_kpi_import_task.delay(kpi_import.pk).get(timeout=30) is None
    kpi_import.refresh_from_db()
    assert (kpi_import.status, kpi_import.rows_done, len(kpi_import.values)) == ("done", 2, 2)
    assert values_of(world).filter(status="draft").count() == 2
