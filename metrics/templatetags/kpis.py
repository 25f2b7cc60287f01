"""How every KPI page writes a figure: two decimals at most, no trailing zeros, the KPI's
unit after it ("91.67 %", "12.5 days"), as the scorecard's tiles do."""

import decimal

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def kpi_change(latest, previous, direction: str, unit: str) -> dict | None:
    """The change from the value before to the latest, as a trend shows it: the arrow of
    its way (▲ up, ▼ down, = none), the change with its unit (a percentage's in points:
    "2.1 pts"), and its colour in the KPI's direction (up is green when higher is better,
    red when lower is better; no change is neutral). None without two values."""
    if not isinstance(latest, decimal.Decimal) or not isinstance(previous, decimal.Decimal):
        return None  # fewer than two values (a template gives "" for a missing one)
    change = latest - previous
    if kpi_number(abs(change)) == "0":
        return {"arrow": "=", "text": "no change", "css": "text-body-secondary",
                "words": "no change from"}
    better = change > 0 if direction == "higher" else change < 0
    shown_unit = "pts" if unit.strip() == "%" else unit
    return {"arrow": "▲" if change > 0 else "▼",
            "text": kpi_value(abs(change), shown_unit),
            "css": "text-success" if better else "text-danger",
            "words": f"{'up' if change > 0 else 'down'}, {'better' if better else 'worse'} than"}


#: Red / amber / green -> the badge's colour.
RAG_BADGES = {"green": "text-bg-success", "amber": "text-bg-warning", "red": "text-bg-danger"}


@register.simple_tag
def rag_badge(rag: str | None) -> str:
    """Red / amber / green of a value as a badge ("—" without one): metrics/rag.html, and
    lists that show many (a tag costs less than an include per line)."""
    if not rag:
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    return format_html('<span class="badge {}" data-rag="{}">{}</span>', RAG_BADGES[rag], rag,
                       rag.capitalize())
