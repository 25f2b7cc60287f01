"""The KPI summary minutes quote: each agreed KPI's latest published value of the periods
before a meeting, in one line ("On-time delivery 95.2 % (Aug 2026); …"), so the minutes
of a business review or a steering committee cite the portal's own figures."""

import datetime

from metrics.kpis.selectors import kpi_definition_list
from metrics.measurements.selectors import published
from partnership.models import Partnership, User


def period_label(period: datetime.date, frequency: str) -> str:
    if frequency == "quarterly":
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return f"{period:%b %Y}"


def kpi_summary(*, user: User, partnership: Partnership, before: datetime.date) -> str:
    """The latest published value of each KPI agreed in `partnership` for a period that
    began before the month of `before`, as the user may see them (two queries); "" when
    none is published."""
    cut = before.replace(day=1)
    definitions = {d.key: d for d in kpi_definition_list(user=user).in_force().filter(
        partnership=partnership)}
    latest = {}
    for key, period, value in published(user=user).filter(
            partnership=partnership, period__lt=cut, key__in=list(definitions)).order_by(
            "key", "period").values_list("key", "period", "value"):
        latest[key] = (period, value)
    parts = []
    for key, definition in sorted(definitions.items(), key=lambda item: item[1].name.lower()):
        if key in latest:
            period, value = latest[key]
            parts.append(f"{definition.name} {value.normalize():f} {definition.unit}".strip()
                         + f" ({period_label(period, definition.frequency)})")
    return "; ".join(parts)
