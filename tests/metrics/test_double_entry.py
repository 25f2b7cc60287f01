"""The same KPI and period entered twice at once (a double submit, two imports running
side by side): the value is kept once and the second entry is told why — a field error on
the form (under the field) and the API (400), a row error of the import — never a 500.
Each test really does it twice: another connection enters the value and holds its
transaction open while the second entry checks that the period is free, so the second
meets the database's unique key."""

import threading
import time
from decimal import Decimal
from unittest import mock

from django.db import connection, transaction
from django.urls import reverse

from metrics.imports import services as import_services
from metrics.imports.tasks import run_kpi_import_task
from metrics.measurements import services
from metrics.measurements.models import KPIMeasurement
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi
from tests.metrics.test_imports import csv_file, month
from tests.partnership.test_api import api

#: How long the first entry keeps its transaction open after entering the value.
HOLD_SECONDS = 1.5


def first_entry_held(world, definition) -> threading.Thread:
    """Cole enters the value on another connection and commits HOLD_SECONDS later; returns
    once the value is entered (not yet committed)."""
    entered = threading.Event()

    def enter():
        try:
            with transaction.atomic():
                services.kpi_measurement_create(actor=world.cole, definition=definition,
                                                period=LAST_MONTH, value=Decimal(91))
                entered.set()
                time.sleep(HOLD_SECONDS)
        finally:
            connection.close()

    thread = threading.Thread(target=enter)
    thread.start()
    assert entered.wait(timeout=20)
    return thread


def values(world, definition):
    return KPIMeasurement.objects.filter(partnership=world.acme_contoso, key=definition.key)


def test_the_api_answers_a_second_value_of_the_period_with_a_field_error(world_committed):
    world = add_cast(world_committed)
    definition = agreed_kpi(world)
    first = first_entry_held(world, definition)
    response = api(world.bob).post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), "value": "92"}, format="json")
    first.join(timeout=20)
    assert response.status_code == 400, response.content
    assert "period" in response.json()
    assert [v.value for v in values(world, definition)] == [91]


def test_the_form_answers_a_double_submit_with_a_field_error(world_committed, login):
    world = add_cast(world_committed)
    definition = agreed_kpi(world)
    first = first_entry_held(world, definition)
    response = login(world.bob).post(
        reverse("metrics:kpimeasurement_create", args=[world.acme_contoso.pk]),
        {"definition": definition.pk, "period": str(LAST_MONTH), "value": "92"})
    first.join(timeout=20)
    # Re-rendered with the error under the field, as every form of the portal answers one.
    assert response.status_code == 200
    assert "already entered for this period" in response.content.decode()
    assert [v.value for v in values(world, definition)] == [91]


def test_an_import_meeting_a_value_entered_meanwhile_reports_the_row(world_committed):
    world = add_cast(world_committed)
    definition = agreed_kpi(world)
    with mock.patch.object(run_kpi_import_task, "delay"):  # run here, not in a worker
        kpi_import = import_services.kpi_import_create(
            actor=world.bob, partnership=world.acme_contoso,
            file=csv_file(f"{definition.key},{month(LAST_MONTH)},92,,,"))
    first = first_entry_held(world, definition)
    import_services.kpi_import_run(import_id=kpi_import.pk)
    first.join(timeout=20)
    kpi_import.refresh_from_db()
    assert kpi_import.status == "failed"
    assert [(error["row"], error["field"]) for error in kpi_import.errors] == [(2, "period")]
    assert [v.value for v in values(world, definition)] == [91]
