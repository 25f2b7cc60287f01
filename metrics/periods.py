"""Reporting periods: a month or a quarter, named by its first day."""

import datetime

MONTHLY, QUARTERLY = "monthly", "quarterly"


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period `day` falls in."""
    month = day.month if frequency == MONTHLY else 3 * ((day.month - 1) // 3) + 1
    return datetime.date(day.year, month, 1)


def next_period(start: datetime.date, frequency: str) -> datetime.date:
    months = 1 if frequency == MONTHLY else 3
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def previous_period(start: datetime.date, frequency: str) -> datetime.date:
    months = 1 if frequency == MONTHLY else 3
    month = start.month - 1 - months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def is_period_start(day: datetime.date, frequency: str) -> bool:
    return period_start(day, frequency) == day


def due_date(start: datetime.date, frequency: str, due_day: int) -> datetime.date:
    """Values of the period starting `start` are due by day `due_day` of the next one."""
    return next_period(start, frequency) + datetime.timedelta(days=due_day - 1)


def label(start: datetime.date, frequency: str) -> str:
    if frequency == QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start:%b %Y}"
