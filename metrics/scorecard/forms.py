"""The scorecard's filter: the range of months it shows, kept in the URL."""

import datetime

from django import forms

from metrics.scorecard.selectors import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    add_months,
    default_range,
    months_between,
)
from portal.validation import validate_date_in_range

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class MonthField(forms.DateField):
    """A month as the browser's month input sends it (2026-03), or any day of it; the value
    is the month's first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        super().__init__(input_formats=MONTH_FORMATS, validators=[validate_date_in_range],
                         required=False, **kwargs)

    def to_python(self, value) -> datetime.date | None:
        day = super().to_python(value)
        return add_months(day, 0) if day else None


class ScorecardFilterForm(forms.Form):
    """From and to months, both optional: without them the last twelve ended months; with
    only `to`, the twelve months up to it; with only `from`, from it to the last ended
    month. The cleaned range is always whole: both ends set."""

    start = MonthField(label="From")
    end = MonthField(label="To")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        default_start, default_end = default_range()
        start, end = data.get("start"), data.get("end")
        if start is None:
            start = add_months(end, 1 - DEFAULT_MONTHS) if end else default_start
        end = end or default_end
        data.update(start=start, end=end)
        if start > end:
            self.add_error("end", "The range ends on or after the month it starts.")
        elif months_between(start, end) > MAX_MONTHS:
            self.add_error("start", f"A scorecard shows at most {MAX_MONTHS} months.")
        return data
