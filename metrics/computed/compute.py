"""How each computable KPI is worked out: one function per standard key, for a partnership
and an ended period, from the portal's own records as of the period's end. Each returns the
value, its numerator and denominator and the exact records it counted.

Reproducible for a past period: every rule reads the dates the records carry (due, sent,
acknowledged, fulfilled, closed, verified, disposed, notified, answered, reviewed), never
"how the record stands today" where a date tells it, and a date after the period's end
counts as "not yet". Only records both parties see are counted (a party's internal action
is its own business), except for deviations notified in time: an unnotified deviation is
the CDMO's own until it is notified, and is exactly what that KPI counts (the sponsor sees
that it was counted, not the record). Days are calendar days in UTC, the portal's storage
zone."""

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from metrics import periods

UTC = datetime.UTC
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DAY_SECONDS = Decimal(86400)


@dataclass(frozen=True)
class Window:
    """The period [start, end) as dates and as UTC datetimes."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, period: datetime.date, frequency: str) -> "Window":
        return cls(period, periods.next_period(period, frequency))

    @property
    def start_at(self) -> datetime.datetime:
        return midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        return midnight(self.end)


@dataclass
class Computed:
    """A computed value (None when the period has nothing to count) with the records it
    counted, each with how it counted."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    summary: str = ""
    sources: list[tuple[models.Model, str]] = field(default_factory=list)


def shared(model, partnership) -> models.QuerySet:
    """The partnership's records of `model` that both parties see (none internal)."""
    return model.objects.filter(partnership=partnership).seen_by(None)


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=UTC)


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day`: a thing done before it was done on or by that day."""
    return midnight(day + datetime.timedelta(days=1))


def days(delta: datetime.timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / DAY_SECONDS).quantize(CENT)


def rate(counted: list[tuple[models.Model, bool]], *, good: str, bad: str, noun: str,
         what: str) -> Computed:
    """Percentage of `counted` (record, met) that met the rule."""
    if not counted:
        return Computed(None, summary=f"No {noun} {what}.")
    met = sum(1 for _record, ok in counted if ok)
    total = len(counted)
    return Computed((HUNDRED * met / total).quantize(CENT), Decimal(met), Decimal(total),
                    f"{met} of {total} {noun} {what} were {good}.",
                    [(record, good if ok else bad) for record, ok in counted])


def average(counted: list[tuple[models.Model, Decimal, str]], *, noun: str, what: str
            ) -> Computed:
    """Average days over `counted` (record, days, how it counted)."""
    if not counted:
        return Computed(None, summary=f"No {noun} {what}.")
    total = sum((value for _record, value, _label in counted), Decimal(0))
    count = len(counted)
    return Computed((total / count).quantize(CENT), total, Decimal(count),
                    f"Average of {count} {noun} {what}: {total.normalize():f} days in all.",
                    [(record, label) for record, _value, label in counted])


def median(counted: list[tuple[models.Model, Decimal, str]], *, noun: str, what: str
           ) -> Computed:
    """Median days over `counted` (no numerator or denominator: a median has none)."""
    if not counted:
        return Computed(None, summary=f"No {noun} {what}.")
    value = Decimal(statistics.median(value for _record, value, _label in counted))
    return Computed(value.quantize(CENT), summary=f"Median of {len(counted)} {noun} {what}.",
                    sources=[(record, label) for record, _value, label in counted])


def label_days(value: Decimal, suffix: str = "") -> str:
    return f"{value.normalize():f} days{suffix}"


#: key -> function(partnership, window) -> Computed; filled by the topic modules below.
COMPUTATIONS: dict[str, Callable] = {}


def computes(key: str):
    def register(function):
        COMPUTATIONS[key] = function
        return function
    return register


def compute(partnership, key: str, period: datetime.date, frequency: str) -> Computed:
    """The value of KPI `key` of `partnership` for the period starting `period`."""
    from metrics.computed import governance, quality  # noqa: F401  (they fill COMPUTATIONS)

    return COMPUTATIONS[key](partnership, Window.of(period, frequency))


def is_computable(key: str) -> bool:
    from metrics.computed import governance, quality  # noqa: F401

    return key in COMPUTATIONS
