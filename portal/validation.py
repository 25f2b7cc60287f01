"""The range of dates the portal accepts from anyone, and the check that keeps models to it.

One party types a date or a time; the other party's pages, e-mails, jobs and API read it.
A value near the edges of what Python can hold (year 1, year 9999) stores fine, then breaks
whoever computes with it: converting 9999-12-31 23:00 UTC into Asia/Shanghai, adding an hour
to get a meeting's end, expanding a series or moving an escalation a few days on all
overflow. So every date and time a person enters is refused outside a range that leaves
centuries of headroom for that arithmetic:

- from 1 January 1990: older than any record a partnership re-enters as history (the CDMO
  industry, its contracts and GMP records as kept today, start in the 1990s);
- to 31 December 2100: past any contract term, retention period (GMP records are kept for
  decades, not centuries) or plan the portal is asked to schedule.

Model fields carry `validate_date_in_range`, so ModelForms, ModelSerializers and every
service's full_clean() refuse such a value with an error on the field; forms and serializers
with dates of their own add it to those fields. `check_date_fields` (registered by
PortalConfig) fails `manage.py check` for a model date that forgets it.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def _label(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _out_of_range() -> ValidationError:
    return ValidationError(
        "Enter a date between %(earliest)s and %(latest)s.", code="date_out_of_range",
        params={"earliest": _label(EARLIEST_DATE), "latest": _label(LATEST_DATE)})


def validate_date_in_range(value: datetime.date | datetime.datetime | None) -> None:
    """Refuse a date, or a time, outside EARLIEST_DATE .. LATEST_DATE. A time counts by its
    day in UTC, as it is stored: the bound is the same for every viewer's zone, and a
    database constraint can say it too (governance.Meeting)."""
    if value is None:
        return
    day = value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:  # year 1 east of UTC, year 9999 west of it
                raise _out_of_range() from None
        day = value.date()
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise _out_of_range()


def check_dates_in_range(**values) -> None:
    """validate_date_in_range for a service that computes with dates (a series' start
    times) before full_clean() would see them: a ValidationError naming each field."""
    errors = {}
    for name, value in values.items():
        try:
            validate_date_in_range(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def moment_in_range(name: str) -> Q:
    """The bound as a database condition on the time field `name` (UTC instants, like
    validate_date_in_range), for a CheckConstraint where a row past the services would
    break other people's pages."""
    earliest = datetime.datetime.combine(EARLIEST_DATE, datetime.time(), datetime.UTC)
    after = datetime.datetime.combine(LATEST_DATE + datetime.timedelta(days=1),
                                      datetime.time(), datetime.UTC)
    return Q(**{f"{name}__gte": earliest, f"{name}__lt": after})


def unbounded_date_fields(app_configs=None) -> list[models.DateField]:
    """Date and time fields of the project's models without the bound. Clock fields
    (auto_now, auto_now_add) are exempt: the server alone writes them, always with now."""
    project = {"portal", *settings.LOCKSTEP_APPS}
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    return [field for config in configs if config.label in project
            for model in config.get_models() for field in model._meta.local_fields
            if isinstance(field, models.DateField)  # DateTimeField is one too
            and not (field.auto_now or field.auto_now_add)
            and validate_date_in_range not in field.validators]


def check_date_fields(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [checks.Error(
        f"{field.model._meta.label}.{field.name} accepts any date.",
        hint="Add validators=[portal.validation.validate_date_in_range] to the field, so "
             "forms, the API and services refuse a date out of range.",
        obj=field, id="portal.E001") for field in unbounded_date_fields(app_configs)]


#: The largest id a bigint primary key holds.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """The id `text` spells (ASCII digits, within a bigint), or None: for ids read from a
    query string, where `str.isdigit()` would also accept digits `int()` or the database
    refuse ('²', '٣', twenty nines)."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
