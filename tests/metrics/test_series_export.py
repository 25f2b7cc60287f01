"""A KPI series' export: the published values of every version of a key, as CSV and XLSX,
from the definition's page and the API (JSON too); named after the parties and the key;
text cells safe from formula injection; scoped (a foreign definition answers 404)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from metrics.measurements.models import KPIMeasurement
from metrics.scorecard.export import safe_text
from tests.metrics.helpers import add_cast, agreed_kpi, month, publish, shared_value
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


@pytest.fixture
def series(world):
    """On-time delivery: two published values (one with a comment a spreadsheet would run)
    and one still under review."""
    definition = agreed_kpi(world)
    publish(world, definition, {2: "97"})
    KPIMeasurement.objects.create(
        partnership=world.acme_contoso, author_organization=world.contoso, created_by=world.bob,
        definition=definition, key=definition.key, period=month(1), value=Decimal("78.5"),
        numerator=Decimal(157), denominator=Decimal(200), status="published",
        published_at=timezone.now(), comment='=HYPERLINK("http://evil.test","x")')
    shared_value(world, definition, period=month(0))
    return definition


FILENAME = "acme-pharma-contoso-cdmo-on-time-delivery"


def test_the_csv_holds_the_published_values_oldest_first_and_safe(world, login, series):
    url = reverse("metrics:kpidefinition_export", args=[world.acme_contoso.pk, series.pk, "csv"])
    response = login(world.bob).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{FILENAME}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["period"], row["value"], row["rag"]) for row in rows] == [
        (str(month(2)), "97.0000", "green"), (str(month(1)), "78.5000", "red")]
    assert rows[1]["numerator"] == "157.0000" and rows[1]["version"] == "1"
    assert rows[1]["comment"] == "'=HYPERLINK(\"http://evil.test\",\"x\")"
    assert rows[0]["partnership"] == "Acme Pharma – Contoso CDMO"
    assert rows[0]["target"] == "95.00"


def test_the_xlsx_holds_the_same_values_as_numbers_and_dates(world, login, series):
    url = reverse("metrics:kpidefinition_export", args=[world.acme_contoso.pk, series.pk,
                                                        "xlsx"])
    response = login(world.alice).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{FILENAME}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "on-time-delivery"
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    values = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(row["period"], row["value"], row["rag"]) for row in values] == [
        (datetime.datetime.combine(month(2), datetime.time()), 97, "green"),
        (datetime.datetime.combine(month(1), datetime.time()), 78.5, "red")]
    comment = sheet.cell(row=3, column=header.index("comment") + 1)
    assert comment.data_type == "s" and comment.value.startswith("'=")  # text, not a formula


def test_the_api_gives_the_series_as_json_csv_and_xlsx(world, series):
    client = api(world.bob)
    url = f"/api/v1/kpi-definitions/{series.pk}/series/"
    body = client.get(url).json()
    assert [(row["period"], row["value"], row["rag"], row["version"]) for row in body] == [
        (str(month(2)), "97.0000", "green", 1), (str(month(1)), "78.5000", "red", 1)]
    as_csv = client.get(url, {"format": "csv"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert as_csv["Content-Disposition"] == f'attachment; filename="{FILENAME}.csv"'
    assert len(list(csv.reader(io.StringIO(as_csv.content.decode())))) == 3
    as_xlsx = client.get(url, HTTP_ACCEPT="application/vnd.openxmlformats-officedocument."
                                          "spreadsheetml.sheet")
    assert as_xlsx.status_code == 200
    assert load_workbook(io.BytesIO(as_xlsx.content)).active.max_row == 3
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_a_foreign_series_answers_404_on_every_door(world, login, series):
    for extension in ("csv", "xlsx"):
        url = reverse("metrics:kpidefinition_export",
                      args=[world.acme_contoso.pk, series.pk, extension])
        assert login(world.dave).get(url).status_code == 404
    missing = reverse("metrics:kpidefinition_export", args=[world.acme_contoso.pk, series.pk,
                                                            "pdf"])
    assert login(world.alice).get(missing).status_code == 404
    client = api(world.dave)
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(f"/api/v1/kpi-definitions/{series.pk}/series/", query)
        assert response.status_code == 404
        assert b"Acme" not in response.content


def test_the_definition_page_links_both_files(world, login, series):
    page = login(world.alice).get(series.get_absolute_url()).content.decode()
    links = page.split('data-testid="series-export"')[1].split("</span>")[0]
    assert f"/kpis/{series.pk}/series.csv" in links and f"/kpis/{series.pk}/series.xlsx" in links


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("ok = fine", "ok = fine"), (None, ""), ("\x01=1", "'=1")])
def test_a_text_cell_never_starts_a_formula(text, safe):
    assert safe_text(text) == safe
