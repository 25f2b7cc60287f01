"""Hostile spreadsheets for the KPI import.

- Cells a person can type (a period of year 0 or of December 9999, a NUL character) are
  the row's error, named by row and column, never an error of the portal that stops the job.
- A file that unpacks to far more than it weighs (a zip bomb), or that holds endless
  blank rows, is refused as a whole.
- The uploaded file may hold what the import never reads (a CDMO's workbook whose second
  sheet holds another sponsor's values): only the uploader's organization downloads it."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from metrics.imports import reading, services
from metrics.imports.models import KPIImport
from metrics.measurements.models import KPIMeasurement
from tests.metrics.helpers import add_cast, agreed_kpi

HEADER = "KPI key,Period,Value,Numerator,Denominator,Comment\n"
#: A blank line long enough to push what follows past the bytes the upload check reads
#: (portal.files.HEAD_BYTES), where a NUL byte would refuse the file at upload.
PAST_THE_HEAD = " " * 9000 + "\n"


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", (HEADER + text).encode(), "text/csv")


def xlsx_upload(row: list, other_sheet: list | None = None) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    workbook.active.append(["KPI key", "Period", "Value", "Numerator", "Denominator",
                            "Comment"])
    workbook.active.append(row)
    if other_sheet is not None:
        workbook.create_sheet("Other sponsor").append(other_sheet)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("values.xlsx", out.getvalue(), "application/octet-stream")


def run_import(world, upload):
    """Bob (the reporting party) uploads the file and its job runs; the job must end on its
    own, whatever the cells hold."""
    agreed_kpi(world)
    kpi_import = services.kpi_import_create(actor=world.bob, partnership=world.acme_contoso,
                                            file=upload)
    try:
        with transaction.atomic():
            services.kpi_import_run(import_id=kpi_import.pk)
    except Exception as error:  # noqa: BLE001 - any crash of the job is the finding
        first = error
        while first.__context__ is not None:
            first = first.__context__
        pytest.fail(f"The import's job stopped on an error of the portal: {first!r}")
    kpi_import.refresh_from_db()
    return kpi_import


def assert_row_error(world, kpi_import, field: str) -> None:
    assert kpi_import.status == "failed"
    assert [(error["row"], error["field"]) for error in kpi_import.errors] == [(2, field)]
    assert not KPIMeasurement.objects.filter(partnership=world.acme_contoso,
                                             key="on-time-delivery").exists()


@pytest.mark.parametrize("period", ["0000-01", "0000-Q1", "9999-12"])
def test_a_period_out_of_the_calendar_is_the_rows_error(world, period):
    kpi_import = run_import(world, csv_upload(f"on-time-delivery,{period},90,,,\n"))
    assert_row_error(world, kpi_import, "period")


def test_a_date_cell_of_december_9999_is_the_rows_error(world):
    kpi_import = run_import(world, xlsx_upload(
        ["on-time-delivery", datetime.date(9999, 12, 1), 90, None, None, None]))
    assert_row_error(world, kpi_import, "period")


@pytest.mark.parametrize("row, field", [
    ("on-time-delivery,2020-01,\x00,,,", "value"),
    ("on-time-delivery,2020-01,90,,,late\x00lots", "comment"),
    ("on-time\x00delivery,2020-01,90,,,", "kpi"),
], ids=["value", "comment", "kpi"])
def test_a_nul_character_in_a_cell_is_the_rows_error(world, row, field):
    kpi_import = run_import(world, csv_upload(f"{PAST_THE_HEAD}{row}\n"))
    if field == "comment" and kpi_import.status == "done":
        return  # a comment kept without its NUL is an answer too
    assert kpi_import.status == "failed"
    assert [error["field"] for error in kpi_import.errors] == [field]


def test_the_other_party_never_downloads_what_the_import_did_not_read(world, login):
    """Bob (Contoso) uploads Contoso's workbook: its first sheet is Acme–Contoso's value, its
    second Globex's program and figures. Alice (Acme) must not receive the second sheet."""
    agreed_kpi(world)
    secret = f"{world.globex_program} yield 61 %"
    upload = xlsx_upload(["on-time-delivery", "2020-01", 90, None, None, None],
                         other_sheet=["Globex Biotech", secret])
    bob = login(world.bob)
    bob.post(reverse("metrics:kpiimport_create", args=[world.acme_contoso.pk]),
             {"file": upload})
    kpi_import = KPIImport.objects.filter(partnership=world.acme_contoso).first()
    if kpi_import is None:
        return  # refused at upload: nothing of it is kept
    services.kpi_import_run(import_id=kpi_import.pk)
    response = login(world.alice).get(reverse("metrics:kpiimport_file",
                                              args=[world.acme_contoso.pk, kpi_import.pk]))
    if response.status_code in (403, 404):
        return
    assert response.status_code == 200
    served = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(cell) for sheet in served.worksheets
             for row in sheet.iter_rows(values_only=True) for cell in row]
    assert secret not in cells and "Globex Biotech" not in cells


def test_an_excel_file_that_unpacks_to_gigabytes_is_refused_unread(world):
    """A zip bomb: a valid workbook whose extra part unpacks to more than the import reads
    (51 MB of one letter zips to ~50 kB). The job refuses the file before opening it."""
    upload = xlsx_upload(["on-time-delivery", "2020-01", 90, None, None, None])
    out = io.BytesIO(upload.read())
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"a" * (reading.MAX_UNPACKED_BYTES + 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    kpi_import = run_import(world, SimpleUploadedFile("values.xlsx", out.getvalue(),
                                                      "application/octet-stream"))
    assert kpi_import.status == "failed"
    assert [(error["row"], error["field"]) for error in kpi_import.errors] == [(1, "file")]
    assert "unpacks to more than" in kpi_import.errors[0]["message"]


def test_a_sheet_of_endless_blank_rows_is_refused_at_the_line_limit(world):
    """Blank rows are skipped, not counted as rows: a sheet of blank rows still ends at the
    line limit instead of being read to its end."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["KPI key", "Period", "Value"])
    workbook.active.cell(row=reading.MAX_LINES + 10, column=1, value="on-time-delivery")
    out = io.BytesIO()
    workbook.save(out)
    kpi_import = run_import(world, SimpleUploadedFile("values.xlsx", out.getvalue(),
                                                      "application/octet-stream"))
    assert kpi_import.status == "failed"
    assert [(error["row"], error["field"]) for error in kpi_import.errors] == \
        [(reading.MAX_LINES + 1, "file")]
