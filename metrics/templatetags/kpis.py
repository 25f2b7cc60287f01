"""How every KPI page writes a figure: two decimals at most, no trailing zeros, the KPI's
unit after it ("91.67 %", "12.5 days"), as the scorecard's tiles do."""

import decimal

from django import template

register = template.Library()

CENT = decimal.Decimal("0.01")


@register.filter
def kpi_number(value) -> str:
    """A figure without its unit ("—" for none): a numerator, a threshold."""
    if value is None or value == "":
        return "—"
    try:
        number = decimal.Decimal(str(value)).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    except (decimal.InvalidOperation, ValueError):
        return str(value)
    text = f"{number:f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


@register.filter
def kpi_value(value, unit: str = "") -> str:
    """A figure with the KPI's unit: `{{ m.value|kpi_value:definition.unit }}`."""
    number = kpi_number(value)
    return f"{number} {unit}".strip() if number != "—" and unit else number
