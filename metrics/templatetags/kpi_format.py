"""How pages show a KPI value: rounded to two decimals at most, without trailing zeros,
with its unit (a stored 91.6667 reads 91.67 %)."""

from decimal import Decimal

from django import template

register = template.Library()


def kpi_number(value: Decimal | float | int) -> str:
    """The value rounded to two decimals, trailing zeros dropped: 91.67, 93, 0.5."""
    shown = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


@register.filter
def kpi_value(value, unit: str = "") -> str:
    """`{{ point.value|kpi_value:definition.unit }}` → "91.67 %"; "—" without a value."""
    if value is None or value == "":
        return "—"
    return f"{kpi_number(value)} {unit}".strip()
