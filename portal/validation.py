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
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

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


# --- Dates that must lie ahead ------------------------------------------------------------

PAST_DATE = "This date has passed: pick today or a later one."
PAST_DATE_CONFIRMABLE = (PAST_DATE + " If you are recording what already happened, tick "
                         "“This records the past”.")
#: The words of the box that lets a past date through where recording history is legitimate.
RECORDS_THE_PAST = "This records the past (the date has already passed)"


def past_date_errors(values: dict, *, current=None, confirmable: bool = False
                     ) -> dict[str, ValidationError]:
    """{name: error} for each date of `values` (a due date, a needed-by or committed date)
    before today in the viewer's zone, unless it is the date the record already holds
    (`current`, read by the same name): an edit that keeps an old date is not refused, a
    new date in the past is. The forms and serializers of such dates call it (portal.forms.
    FutureDatesMixin, portal.serializers.FutureDatesMixin); services do not, so the demo
    and imports can record history."""
    today = timezone.localdate()
    errors = {}
    for name, value in values.items():
        if value is None:
            continue
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day < today and (current is None or getattr(current, name, None) != value):
            errors[name] = ValidationError(PAST_DATE_CONFIRMABLE if confirmable else PAST_DATE,
                                           code="date_in_past")
    return errors


#: The largest id a bigint primary key holds.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """The id `text` spells (ASCII digits, within a bigint), or None: for ids read from a
    query string, where `str.isdigit()` would also accept digits `int()` or the database
    refuse ('²', '٣', twenty nines, or 4,301 digits, past Python's limit of int())."""
    if not text or len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


# --- The length of free text ----------------------------------------------------------------

#: The most characters a free-text field takes (a description, minutes, a reason): several
#: pages of text, far past what anyone writes into a record, short of what would fill the
#: other party's pages, e-mails, exports and PDFs with one paste. A model's CharField keeps
#: its own max_length; a field that declares a bound of its own keeps it.
TEXT_MAX_LENGTH = 20_000


def _bounded(validators) -> bool:
    return any(isinstance(validator, MaxLengthValidator) for validator in validators)


def _project_classes(base: type) -> list[type]:
    """The subclasses of `base` (at any depth) defined in the project's own packages."""
    prefixes = tuple(f"{name}." for name in ("portal", *settings.LOCKSTEP_APPS))
    found, todo = [], [base]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith(prefixes):
                found.append(subclass)
    return found


def bound_model_texts() -> None:
    """Give every TextField of the project's models without a bound a MaxLengthValidator of
    TEXT_MAX_LENGTH, so every service's full_clean(), ModelForm and ModelSerializer refuses a
    longer text with an error on the field. Added to the field's validators at start-up (the
    field's own arguments, and so the migrations, stay as they are). PortalConfig.ready()."""
    for field in unbounded_text_fields():
        field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))


def unbounded_text_fields() -> list[models.TextField]:
    project = {"portal", *settings.LOCKSTEP_APPS}
    return [field for config in apps.get_app_configs() if config.label in project
            for model in config.get_models() for field in model._meta.local_fields
            if isinstance(field, models.TextField) and field.max_length is None
            and not _bounded(field.validators)]


def unbounded_form_fields() -> list[tuple[type, str]]:
    """(form class, field name) of the project's forms whose text field has no bound."""
    from django import forms

    return [(form, name) for form in _project_classes(forms.BaseForm)
            for name, field in getattr(form, "base_fields", {}).items()
            if isinstance(field, forms.CharField) and field.max_length is None]


def unbounded_serializer_fields() -> list[tuple[type, str]]:
    """(serializer class, field name) of the project's serializers whose declared text
    field, writable, has no bound."""
    from rest_framework import serializers

    return [(serializer, name) for serializer in _project_classes(serializers.Serializer)
            for name, field in getattr(serializer, "_declared_fields", {}).items()
            if isinstance(field, serializers.CharField) and not field.read_only
            and field.max_length is None]


def bound_form_and_api_texts() -> None:
    """Give every text field of the project's forms and serializers that declares no
    max_length the bound TEXT_MAX_LENGTH: the form's field refuses a longer text beside it
    (and the browser's `maxlength` stops the typing), the serializer's answers 400 with the
    field's error, and the OpenAPI schema states maxLength. portal.urls calls it once every
    door (view, form, API) is imported; fields built from a model field carry its bound."""
    for form, name in unbounded_form_fields():
        field = form.base_fields[name]  # each form copies it from here
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        field.widget.attrs.update(field.widget_attrs(field.widget))
    for serializer, name in unbounded_serializer_fields():
        field = serializer._declared_fields[name]
        # DRF copies a declared field from its arguments for each serializer instance.
        bounded = type(field)(*field._args, **{**field._kwargs, "max_length": TEXT_MAX_LENGTH})
        serializer._declared_fields[name] = bounded
