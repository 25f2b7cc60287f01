"""Attack: spreadsheets that cost the import's job far more than their size. A few kB of
XLSX can describe a sheet of a million rows by sixteen thousand columns (one far cell), or
unpack to gigabytes of XML (a zip bomb): the job must end in seconds with a file error, never
hold a worker for hours (it would be taken over again an hour later, for ever)."""

import contextlib
import io
import signal
import zipfile

import openpyxl
import pytest

from metrics.imports import reading
from tests.metrics.helpers import add_cast
from tests.metrics.test_import_hostile_files import run_import, xlsx_upload

HEADER = ["KPI key", "Period", "Value", "Numerator", "Denominator", "Comment"]


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


@contextlib.contextmanager
def within(seconds: int):
    def stop(*_):
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def workbook_bytes(fill) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["on-time-delivery", "2020-01", 90, None, None, None])
    fill(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(content: bytes):
    with within(20):
        try:
            return reading.read_rows(io.BytesIO(content), "xlsx")
        except reading.SheetError as error:
            return error


def test_one_far_cell_is_read_in_seconds():
    content = workbook_bytes(lambda sheet: sheet.cell(row=200_000, column=16_000, value="x"))
    assert len(content) < 10_000
    result = read(content)
    assert isinstance(result, reading.SheetError)
    assert [error["field"] for error in result.errors] == ["file"]


def test_far_columns_beside_a_good_row_are_not_read():
    content = workbook_bytes(lambda sheet: sheet.cell(row=2, column=16_000, value="x"))
    rows = read(content)
    assert [(row.number, row.cells["kpi"], row.cells["value"]) for row in rows] == [
        (2, "on-time-delivery", 90)]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    content = workbook_bytes(lambda sheet: None)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # 200 MB of whitespace inside the sheet's XML: a few hundred kB packed.
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 200_000_000, 1)
            target.writestr(item, data)
    assert len(bomb.getvalue()) < 1_000_000
    result = read(bomb.getvalue())
    assert isinstance(result, reading.SheetError)
    assert "file" in [error["field"] for error in result.errors]


def test_the_job_ends_on_a_far_cell_with_the_files_error(world):
    upload = xlsx_upload(["on-time-delivery", "2020-01", 90, None, None, None])
    workbook = openpyxl.load_workbook(upload)
    workbook.active.cell(row=300_000, column=16_384, value="x")
    out = io.BytesIO()
    workbook.save(out)
    upload.file = io.BytesIO(out.getvalue())
    upload.size = len(out.getvalue())
    with within(30):
        kpi_import = run_import(world, upload)
    assert kpi_import.status == "failed"
    assert [error["field"] for error in kpi_import.errors] == ["file"]
