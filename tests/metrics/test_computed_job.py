"""The nightly computation of KPI values run by a real Celery worker, once (a module of
its own: its world is committed, not the savepoint world of test_computed_values)."""

import datetime
from decimal import Decimal

import pytest

from metrics.computed.tasks import compute_kpi_values
from metrics.measurements.models import KPIMeasurement
from tests.metrics.computed_records import action
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    world = add_cast(world_committed)
    definition = agreed_kpi(world, key="actions-on-time")
    due = LAST_MONTH + datetime.timedelta(days=4)
    action(world, due, completed=datetime.datetime.combine(due, datetime.time(9),
                                                            tzinfo=datetime.UTC))
    assert compute_kpi_values.delay().get(timeout=15) == 1
    assert compute_kpi_values.delay().get(timeout=15) == 0
    value = KPIMeasurement.objects.get(key=definition.key, period=LAST_MONTH)
    assert value.value == Decimal(100) and value.sources.count() == 1
