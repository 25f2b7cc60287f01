"""A KPI series as a file: its published values (every version of the key), as CSV or
XLSX, named after the partnership's two parties and the key. Text cells never start with a
character a spreadsheet reads as a formula; numbers are written as numbers."""

import csv
import io

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
HEADER = ["partnership", "key", "name", "period", "period_label", "version", "value", "unit",
          "numerator", "denominator", "rag", "target", "amber_threshold", "red_threshold",
          "published_at", "comment"]
#: Characters a spreadsheet reads as the start of a formula (or a cell break).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """Text a spreadsheet shows and does not run (CSV and formula injection), without the
    control characters a worksheet's XML cannot hold."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filename(definition: KPIDefinition, extension: str) -> str:
    partnership = definition.partnership
    return "-".join([slugify(partnership.sponsor.name), slugify(partnership.cdmo.name),
                     definition.key]) + f".{extension}"


def rows(definition: KPIDefinition, values: list[KPIMeasurement]) -> list[list]:
    """One row per value: text cells made safe, numbers (Decimal) and dates as they are."""
    partnership = safe_text(definition.partnership)
    return [[partnership, safe_text(value.key), safe_text(value.definition.name), value.period,
             value.period_label, value.definition.version, value.value,
             safe_text(value.definition.unit), value.numerator, value.denominator,
             value.rag or "", value.definition.target, value.definition.amber_threshold,
             value.definition.red_threshold,
             value.published_at.isoformat() if value.published_at else "",
             safe_text(value.comment)] for value in values]


def as_csv(definition: KPIDefinition, values: list[KPIMeasurement]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(definition, values):
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def as_xlsx(definition: KPIDefinition, values: list[KPIMeasurement]) -> bytes:
    """One sheet named after the key; periods as dates, figures as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = definition.key[:31]
    sheet.append(HEADER)
    for row in rows(definition, values):
        sheet.append(row)
    for cell in sheet["D"][1:]:  # the period
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
