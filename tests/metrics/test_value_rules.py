"""The rules of a KPI value, the same through every door (the value's form, the API, the
spreadsheet import): the period picked as a month, a percentage's value worked out from its
numerator and denominator when left blank and named when they disagree, a percentage within
0–100 with its numerator at most its denominator, no negative duration."""

from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.measurements.models import KPIMeasurement
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi
from tests.metrics.test_imports import csv_file, imported, month
from tests.partnership.test_api import api

DAYS_KPI = "batch-record-review-time"


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def enter(login, world, definition, **fields):
    url = reverse("metrics:kpimeasurement_create", args=[world.acme_contoso.pk])
    return login(world.bob).post(url, {"definition": definition.pk, "period": month(LAST_MONTH),
                                       **fields})


def test_the_form_picks_a_month_and_works_out_a_blank_percentage(world, login):
    definition = agreed_kpi(world)
    url = reverse("metrics:kpimeasurement_create", args=[world.acme_contoso.pk])
    form = login(world.bob).get(f"{url}?definition={definition.pk}").content.decode()
    assert 'type="month"' in form and 'name="period"' in form
    assert form.index("autofocus") > form.index('name="period"') > form.index('name="definition"')
    response = enter(login, world, definition, value="", numerator="23", denominator="25")
    assert response.status_code == 302, response.content.decode()
    measurement = KPIMeasurement.objects.get(definition=definition)
    assert measurement.period == LAST_MONTH and measurement.value == Decimal("92")


def test_the_form_names_a_value_its_numbers_disagree_with(world, login):
    definition = agreed_kpi(world)
    response = enter(login, world, definition, value="50", numerator="23", denominator="25")
    page = response.content.decode()
    assert response.status_code == 200 and "= 92.00, not 50" in page
    assert 'id="id_value_errors"' in page
    blank = enter(login, world, definition, value="").content.decode()
    assert "Give the value, or its numerator and denominator" in blank
    assert not KPIMeasurement.objects.filter(definition=definition).exists()


@pytest.mark.parametrize("fields, field, message", [
    ({"value": "101"}, "value", "between 0 and 100"),
    ({"value": "-1"}, "value", "between 0 and 100"),
    ({"value": "", "numerator": "26", "denominator": "25"}, "numerator",
     "at most its denominator"),
])
def test_a_percentage_out_of_bounds_is_refused_by_form_api_and_import(world, login, fields,
                                                                      field, message):
    definition = agreed_kpi(world)
    page = enter(login, world, definition, **fields).content.decode()
    assert f'id="id_{field}_errors"' in page and message in page
    body = {name: value for name, value in fields.items() if value}
    answer = api(world.bob).post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), **body}, format="json")
    assert answer.status_code == 400 and message in " ".join(answer.json()[field])
    row = [definition.key, month(LAST_MONTH), fields["value"] or "100",
           fields.get("numerator", ""), fields.get("denominator", ""), ""]
    kpi_import = imported(world, csv_file(",".join(row)))
    assert kpi_import.status == "failed"
    assert any(error["field"] == field and message in error["message"]
               for error in kpi_import.errors), kpi_import.errors
    assert not KPIMeasurement.objects.filter(definition=definition).exists()


def test_a_negative_duration_is_refused_by_form_api_and_import(world, login):
    definition = agreed_kpi(world, key=DAYS_KPI)
    page = enter(login, world, definition, value="-3").content.decode()
    assert "A value in days cannot be negative." in page
    answer = api(world.bob).post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), "value": "-3"}, format="json")
    assert answer.status_code == 400 and "value" in answer.json()
    kpi_import = imported(world, csv_file(f"{DAYS_KPI},{month(LAST_MONTH)},-3,,,"))
    assert kpi_import.status == "failed" and kpi_import.errors[0]["field"] == "value"
    assert enter(login, world, definition, value="0").status_code == 302


def test_the_api_works_out_a_blank_percentage(world):
    definition = agreed_kpi(world)
    created = api(world.bob).post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), "numerator": "11",
        "denominator": "12"}, format="json")
    assert created.status_code == 201, created.content
    assert Decimal(created.json()["value"]) == Decimal("91.6667")
