"""Reads of the partnership scorecard: each agreed KPI with its published values over a
period range, and a KPI series' published values for export. Both start from the scoped
selectors (DESIGN §2) and read published values only, so both parties see the same numbers
and nothing under review or disputed reaches a steering committee."""

import datetime
import decimal
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from metrics import periods
from metrics.kpis.models import KPIDefinition
from metrics.kpis.selectors import kpi_definition_list
from metrics.measurements.models import KPIMeasurement
from metrics.measurements.selectors import published
from partnership.models import Partnership, User

#: The default range: the last twelve months that have ended.
DEFAULT_MONTHS = 12
#: The longest range a scorecard reads (a bounded page, however old the partnership).
MAX_MONTHS = 36


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before, when negative) `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many months the range from `start`'s month to `end`'s month covers."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(first, last) month of the last twelve ended months, each named by its first day."""
    last = add_months(today or timezone.localdate(), -1)
    return add_months(last, 1 - DEFAULT_MONTHS), last


@dataclass(frozen=True)
class Point:
    """One published value: its period, value, red / amber / green against the thresholds
    of the definition version it was measured under, and the record's id."""

    period: datetime.date
    label: str
    value: decimal.Decimal
    rag: str | None
    pk: int
    version: int

    @property
    def shown(self) -> str:
        """The value as a tile shows it: two decimals at most, no trailing zeros."""
        return f"{self.value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Tile:
    """One agreed KPI on the scorecard: the definition in force (target and thresholds) and
    its published values in the range, oldest first; `latest` is the last of them."""

    definition: KPIDefinition
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def rag(self) -> str | None:
        return self.latest.rag if self.latest else None


def scorecard(*, user: User, partnership: Partnership, start: datetime.date | None = None,
              end: datetime.date | None = None) -> list[Tile]:
    """The scorecard of `partnership` as `user` may see it: one tile per agreed KPI (by
    name), each with its published values from the month of `start` to the month of `end`
    (default: the last twelve ended months), oldest first. A quarterly value counts when its
    quarter overlaps the range.

    Two queries whatever the number of KPIs and values: the agreed definitions, and their
    published values in the range. The partnership scorecard page, the KPI tiles of the
    partnership home and the steering committee's page read this one function, so they
    show the same figures. A value's red / amber / green is judged against the definition
    version it was measured under (the terms agreed then); the tile's target and thresholds
    are those of the version in force.

    Measurements carry no site: a KPI's value is the partnership's figure for the period,
    so a scorecard is per partnership, not per site."""
    if start is None or end is None:
        default_start, default_end = default_range()
        start, end = start or default_start, end or default_end
    start, end = add_months(start, 0), add_months(end, 0)
    definitions = list(kpi_definition_list(user=user, partnership=partnership).in_force()
                       .order_by("name", "pk"))
    tiles = {definition.key: Tile(definition) for definition in definitions}
    if not tiles:
        return []
    values = published(user=user, partnership=partnership).filter(
        key__in=list(tiles), period__gte=periods.period_start(start, periods.QUARTERLY),
        period__lte=end).order_by("key", "period", "pk")
    for value in values:
        tile = tiles[value.key]
        if tile.definition.frequency == periods.MONTHLY and value.period < start:
            continue
        tile.points.append(Point(period=value.period, label=value.period_label,
                                 value=value.value, rag=value.rag, pk=value.pk,
                                 version=value.definition.version))
    return list(tiles.values())


def series(*, user: User, definition: KPIDefinition) -> QuerySet[KPIMeasurement]:
    """The published values of `definition`'s series (its key: every version), oldest
    first, with the version each was measured under: what a series export holds. Only
    published values, as on the scorecard: a value under review or disputed is not yet a
    figure both parties stand behind (the definition's page lists those)."""
    return published(user=user, partnership=definition.partnership_id).filter(
        key=definition.key).order_by("period", "pk")
