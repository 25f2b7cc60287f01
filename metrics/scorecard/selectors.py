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
from metrics.kpis.models import KPIDefinition, rag_of
from metrics.kpis.selectors import kpi_definition_list
from metrics.measurements.models import KPIMeasurement
from metrics.measurements.selectors import newest_published, published
from metrics.templatetags.kpis import kpi_number
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
        return kpi_number(self.value)


#: The columns a Point is made of (point_of), read as plain values: a model instance per
#: value and per definition cost more than the page.
POINT_COLUMNS = ("partnership_id", "key", "period", "value", "pk", "definition__version",
                 "definition__frequency", "definition__direction",
                 "definition__amber_threshold", "definition__red_threshold")


def point_of(row: tuple) -> Point:
    """The Point of a row of POINT_COLUMNS: red / amber / green against the thresholds of
    the version the value was measured under."""
    _partnership, _key, period, value, pk, version, frequency, direction, amber, red = row
    return Point(period=period, label=periods.label(period, frequency), value=value,
                 rag=rag_of(value, direction, amber, red), pk=pk, version=version)


@dataclass
class Tile:
    """One agreed KPI of one partnership: the definition in force (target and thresholds)
    and its published values, oldest first; `latest` is the last of them, `previous` the
    one before (the trend)."""

    definition: KPIDefinition
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def rag(self) -> str | None:
        return self.latest.rag if self.latest else None


def kpi_tiles(*, user: User, partnerships: list[Partnership],
              start: datetime.date | None = None, end: datetime.date | None = None,
              last: int | None = None, definitions: list[int] | None = None) -> list[Tile]:
    """One tile per agreed KPI of `partnerships` (only the definitions of ids `definitions`,
    when given) as `user` may see them (by partnership, then name), each with its series'
    published values, oldest first, whatever version they were measured under: either those
    from the month of `start` to the month of `end` (a quarterly value counts when its
    quarter overlaps the range), or, given `last` instead, the series' `last` newest ones
    (newest_published: an index read per series).

    Two queries whatever the number of KPIs and values: the agreed definitions, and their
    published values. Every KPI view (scorecard, home tiles, steering page, portfolio,
    relationship health, the CDMO's view) reads this one function, so they show the same
    figures; a value's red / amber / green is judged against the definition version it was
    measured under (the terms agreed then), the tile's target and thresholds are those of
    the version in force."""
    ids = [partnership.pk for partnership in partnerships]
    agreed = kpi_definition_list(user=user).in_force().filter(partnership__in=ids)
    if definitions is not None:
        agreed = agreed.filter(pk__in=definitions)
    tiles = {(definition.partnership_id, definition.key): Tile(definition)
             for definition in agreed.order_by("partnership_id", "name", "pk")}
    if not tiles:
        return []
    values = published(user=user).filter(partnership__in=ids,
                                         key__in=sorted({key for _, key in tiles}))
    if last is None:
        values = values.filter(period__gte=periods.period_start(start, periods.QUARTERLY),
                               period__lte=end)
    else:
        values = newest_published(values, series=tiles, last=last)
    for row in values.order_by("partnership_id", "key", "period", "pk").values_list(
            *POINT_COLUMNS):
        tile = tiles.get((row[0], row[1]))
        point = point_of(row)
        if tile is None or (last is None and point.period < start and
                            tile.definition.frequency == periods.MONTHLY):
            continue
        tile.points.append(point)
    return list(tiles.values())


def scorecard(*, user: User, partnership: Partnership, start: datetime.date | None = None,
              end: datetime.date | None = None) -> list[Tile]:
    """The scorecard of `partnership` as `user` may see it: kpi_tiles of the months from
    `start` to `end` (default: the last twelve ended months); two queries. The scorecard
    page and the KPI tiles of the partnership home read it.

    Measurements carry no site: a KPI's value is the partnership's figure for the period,
    so a scorecard is per partnership, not per site."""
    if start is None or end is None:
        default_start, default_end = default_range()
        start, end = start or default_start, end or default_end
    return kpi_tiles(user=user, partnerships=[partnership], start=add_months(start, 0),
                     end=add_months(end, 0))


def series(*, user: User, definition: KPIDefinition) -> QuerySet[KPIMeasurement]:
    """The published values of `definition`'s series (its key: every version), oldest
    first, with the version each was measured under: what a series export holds. Only
    published values, as on the scorecard: a value under review or disputed is not yet a
    figure both parties stand behind (the definition's page lists those)."""
    return published(user=user, partnership=definition.partnership_id).filter(
        key=definition.key).order_by("period", "pk")
