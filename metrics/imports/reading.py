"""Reading a spreadsheet of KPI values (CSV or XLSX) into rows of cells, and the cells into
values: the columns a file has, by their headers, and each row with its number as the
person sees it in the spreadsheet (the header is row 1)."""

import csv
import datetime
import decimal
import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ValidationError

from portal.validation import validate_date_in_range

#: Each column, by the headers it is recognised by (case and spaces aside).
COLUMNS = {
    "kpi": ("kpi", "kpi key", "key"),
    "period": ("period",),
    "value": ("value",),
    "numerator": ("numerator",),
    "denominator": ("denominator",),
    "comment": ("comment", "comments"),
}
REQUIRED = ("kpi", "period", "value")
#: The most rows one file may hold: two years of a dozen monthly KPIs fit many times over.
MAX_ROWS = 5000
#: The most lines of a sheet read, blank ones included, and the columns read of each: a
#: few kB of XLSX may describe a sheet of a million rows by 16,384 columns (one far cell).
MAX_LINES = 2 * MAX_ROWS
MAX_COLUMNS = 50
#: The most an XLSX file may unpack to (its parts' sizes as its zip directory declares
#: them, which also bound what is read of each): more is a zip bomb, not a sheet of values.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
TEMPLATE_HEADER = ["KPI key", "Period", "Value", "Numerator", "Denominator", "Comment"]
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict


class SheetError(Exception):
    """The file as a whole cannot be read: its errors, each {"row", "field", "message"}."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def error(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "message": message}


def _columns(header) -> dict[str, int]:
    names = {" ".join(str(cell or "").split()).lower(): index
             for index, cell in enumerate(header)}
    found = {}
    for column, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in names:
                found[column] = names[spelling]
                break
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise SheetError([error(1, column, f"The header has no “{column}” column (the "
                                           f"columns are: {', '.join(TEMPLATE_HEADER)}).")
                          for column in missing])
    return found


def _csv_lines(handle):
    raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError([error(1, "file", "The file is not UTF-8 text: save it as “CSV "
                                           "UTF-8”.")]) from None
    # The header says which delimiter the file uses (Excel writes ";" in some locales):
    # the comments below it may hold any of them.
    header = text.lstrip().split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as problem:
        raise SheetError([error(reader.line_num, "file", f"The CSV cannot be read: "
                                                         f"{problem}.")]) from None


def _unpacked_size(handle) -> int:
    """What the XLSX file's parts unpack to, as its zip directory declares it."""
    try:
        with zipfile.ZipFile(handle) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError([error(1, "file", "The Excel file cannot be opened.")]) from None
    finally:
        handle.seek(0)


def _xlsx_lines(handle):
    if _unpacked_size(handle) > MAX_UNPACKED_BYTES:
        raise SheetError([error(1, "file", "The Excel file unpacks to more than "
                                           f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
                                           "save only the sheet of values, or as CSV.")])
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise SheetError([error(1, "file", "The Excel file cannot be opened.")]) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS,
                                                       values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def read_rows(handle, extension: str) -> list[Row]:
    """The data rows of the file (blank ones skipped), each with its cells by column; a
    SheetError when the file cannot be read, lacks a column or holds too many rows."""
    lines = _xlsx_lines(handle) if extension == "xlsx" else _csv_lines(handle)
    columns = None
    rows = []
    for number, cells in lines:
        if number > MAX_LINES:
            raise SheetError([error(number, "file", f"A file holds at most {MAX_ROWS} rows "
                                                    f"in its first {MAX_LINES} lines: "
                                                    "delete the empty ones, or split it.")])
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if columns is None:
            columns = _columns(cells)
            continue
        rows.append(Row(number, {column: cells[index] if index < len(cells) else None
                                 for column, index in columns.items()}))
        if len(rows) > MAX_ROWS:
            raise SheetError([error(number, "file", f"A file holds at most {MAX_ROWS} rows: "
                                                    "split it.")])
    if columns is None:
        raise SheetError([error(1, "file", "The file is empty: it needs a header row and "
                                           "a row per value.")])
    return rows


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def text(cell) -> str:
    """The cell's text; a NUL character is refused (PostgreSQL stores none, not even in the
    row's error)."""
    value = "" if _blank(cell) else str(cell).strip()
    if "\x00" in value:
        raise ValidationError("The cell holds a NUL character: save the sheet as text again.")
    return value


def period(cell) -> datetime.date:
    """A period as YYYY-MM, YYYY-Qn or a date (a date cell of Excel, or YYYY-MM-DD), within
    the portal's range of dates."""
    day = _period(cell)
    validate_date_in_range(day)
    return day


def _period(cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = text(cell)
    if not value:
        raise ValidationError("Give the period (YYYY-MM, YYYY-Qn or a date).")
    if match := MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 1:
            return datetime.date(year, month, 1)
    elif (match := QUARTER.match(value)) and int(match[1]) >= 1:
        return datetime.date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
    else:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"“{value}” is not a period: give YYYY-MM, YYYY-Qn or a date "
                          "(YYYY-MM-DD).")


def number(cell, *, required: bool = False) -> decimal.Decimal | None:
    if _blank(cell):
        if required:
            raise ValidationError("Give a number.")
        return None
    if isinstance(cell, bool):
        raise ValidationError("Give a number.")
    try:
        value = decimal.Decimal(str(cell).strip())
    except decimal.InvalidOperation:
        raise ValidationError(f"“{text(cell)}” is not a number.") from None
    if not value.is_finite() or abs(value) >= decimal.Decimal("1e10"):
        raise ValidationError(f"“{text(cell)}” is not a number a KPI value can hold.")
    return value.quantize(decimal.Decimal("0.0001"), rounding=decimal.ROUND_HALF_UP)


def template_csv() -> str:
    """The file a person fills in: the header and two example rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["on-time-delivery", "2026-01", "92", "23", "25", "Two late lots"])
    writer.writerow(["deviation-closure-time", "2026-Q1", "21.5", "", "", ""])
    return out.getvalue()
