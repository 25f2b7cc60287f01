"""Writes of KPI imports: a reporting party's member uploads a spreadsheet (the import is
recorded and its job queued once the upload is committed); the job checks every row
through the services that enter values, one row at a time and each undone at once, keeping
its progress; then, if no row failed, enters them all as drafts (or changes the drafts
already there) in one transaction — otherwise none.

Exactly once: a run claims the import with a conditional UPDATE (queued → running, with a
token of its own), and commits the values in the same transaction as the status `done`,
under a lock of the import that re-checks the token. A job delivered twice finds the import
claimed and does nothing; a run whose worker died is taken over once its claim is older
than the broker's visibility timeout, and only the run holding the claim can finish it."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from metrics import periods
from metrics.imports import reading
from metrics.imports.models import KPIImport
from metrics.kpis.models import KPIDefinition
from metrics.measurements import services as measurement_services
from metrics.measurements.models import KPIMeasurement
from metrics.measurements.selectors import kpi_measurement_list
from partnership.models import Partnership, User
from partnership.permissions import require
from portal.files import FileIntegrityError

#: The model's field names as the spreadsheet's columns call them.
FIELD_COLUMNS = {"definition": "kpi", "key": "kpi", "status": "period", "__all__": "row"}
#: At most this many errors are kept: the first ones are what a person fixes first.
MAX_ERRORS = 200
#: What a file with its header and no row of values is told.
EMPTY = "The file holds no rows of values under its header: there was nothing to import."
#: The steps the import's page takes for all its values at once: step -> (the statuses
#: it starts from, the single value's steps taken in turn).
VALUE_STEPS = {
    "submit": ((KPIMeasurement.Status.DRAFT,), ("submit",)),
    "share": ((KPIMeasurement.Status.DRAFT, KPIMeasurement.Status.SUBMITTED),
              ("submit", "share")),
}


@transaction.atomic
def kpi_import_create(*, actor: User, partnership: Partnership, file) -> KPIImport:
    """Keep the uploaded file (checked by its content: CSV or XLSX) and queue its job."""
    require(actor, "metrics.kpiimport_create", partnership)
    kpi_import = KPIImport(partnership=partnership, uploaded_by=actor)
    kpi_import.take(file)
    kpi_import.full_clean()
    kpi_import.save()
    from metrics.imports.tasks import run_kpi_import_task

    # Robust: with the broker down the upload is still kept, queued; the error is logged.
    transaction.on_commit(lambda: run_kpi_import_task.delay(kpi_import.pk), robust=True)
    return kpi_import


def _stale_after() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600))


def _claim(import_id: int, now: datetime.datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    claimed = KPIImport.objects.filter(pk=import_id).filter(
        Q(status=KPIImport.Status.QUEUED) |
        Q(status=KPIImport.Status.RUNNING, claimed_at__lt=now - _stale_after())
    ).update(status=KPIImport.Status.RUNNING, claim=token, claimed_at=now, rows_done=0,
             errors=[])
    return token if claimed else None


def _held(import_id: int, token: uuid.UUID):
    return KPIImport.objects.filter(pk=import_id, claim=token,
                                    status=KPIImport.Status.RUNNING)


def _fail(import_id: int, token: uuid.UUID, errors: list[dict]) -> None:
    _held(import_id, token).update(status=KPIImport.Status.FAILED, errors=errors[:MAX_ERRORS],
                                   finished_at=timezone.now())


def _row_errors(number: int, error: Exception) -> list[dict]:
    if isinstance(error, PermissionDenied):
        return [reading.error(number, "kpi", str(error) or "You may not enter this value.")]
    if hasattr(error, "error_dict"):
        return [reading.error(number, FIELD_COLUMNS.get(field, field), message)
                for field, messages in error.message_dict.items() for message in messages]
    return [reading.error(number, "row", message) for message in error.messages]


class _Values:
    """The cells of one row as the services take them, and the definition its key names
    (the agreed version), read once per key."""

    def __init__(self, *, actor: User, partnership: Partnership):
        self.actor, self.partnership = actor, partnership
        self.definitions = {d.key: d for d in KPIDefinition.objects.visible_to(actor).filter(
            partnership=partnership).in_force().select_related("partnership")}

    def of(self, row: reading.Row) -> tuple[dict, list[dict]]:
        cells, fields, errors = row.cells, {}, []
        try:
            key = reading.text(cells.get("kpi"))
        except ValidationError as error:
            key, errors = None, [reading.error(row.number, "kpi", error.messages[0])]
        if key is None:
            pass
        elif not key:
            errors.append(reading.error(row.number, "kpi", "Give the KPI's key."))
        elif key not in self.definitions:
            errors.append(reading.error(row.number, "kpi", f"No agreed KPI has the key "
                                                           f"“{key}” in this partnership."))
        else:
            fields["definition"] = self.definitions[key]
        for column, parse in (("period", reading.period),
                              ("value", lambda cell: reading.number(cell, required=True)),
                              ("numerator", reading.number), ("denominator", reading.number)):
            try:
                fields[column] = parse(cells.get(column))
            except ValidationError as error:
                errors += [reading.error(row.number, column, message)
                           for message in error.messages]
        try:
            fields["comment"] = reading.text(cells.get("comment"))
        except ValidationError as error:
            errors.append(reading.error(row.number, "comment", error.messages[0]))
        return fields, errors

    def enter(self, fields: dict) -> KPIMeasurement:
        """The value as a draft: a new one, or the draft of that KPI and period changed."""
        definition = fields["definition"]
        existing = KPIMeasurement.objects.visible_to(self.actor).filter(
            partnership=self.partnership, key=definition.key, period=fields["period"]).first()
        changes = {name: fields[name] for name in ("value", "numerator", "denominator",
                                                   "comment")}
        if existing is None:
            return measurement_services.kpi_measurement_create(
                actor=self.actor, definition=definition, period=fields["period"], **changes)
        if existing.status != KPIMeasurement.Status.DRAFT:
            label = periods.label(existing.period, definition.frequency)
            state = existing.get_status_display().lower()
            raise ValidationError({"period": f"The value of {label} is already {state}: an "
                                             "import changes drafts only."})
        return measurement_services.kpi_measurement_update(actor=self.actor,
                                                           measurement=existing, **changes)


class _DryRun(Exception):
    """Undoes a row's check: the row was entered only to see whether it would be."""


def _check(values: _Values, row: reading.Row, fields: dict) -> list[dict]:
    try:
        with transaction.atomic():
            values.enter(fields)
            raise _DryRun
    except _DryRun:
        return []
    except (ValidationError, PermissionDenied) as error:
        return _row_errors(row.number, error)


def _duplicates(rows_fields) -> dict[int, list[dict]]:
    seen, errors = {}, {}
    for row, fields in rows_fields:
        if "definition" not in fields or "period" not in fields:
            continue
        series = (fields["definition"].key, fields["period"])
        if series in seen:
            errors[row.number] = [reading.error(
                row.number, "period", f"Row {seen[series]} has a value of the same KPI and "
                                      "period.")]
        else:
            seen[series] = row.number
    return errors


def kpi_import_run(*, import_id: int, now: datetime.datetime | None = None
                   ) -> KPIImport | None:
    """The job: claim the import, check every row, then enter them all or none. Returns the
    import once finished by this run, None when another run holds it or it is finished."""
    token = _claim(import_id, now or timezone.now())
    if token is None:
        return None
    kpi_import = KPIImport.objects.select_related("partnership", "uploaded_by").get(
        pk=import_id)
    try:
        return _run(kpi_import, token)
    except Exception:
        _fail(import_id, token, [reading.error(0, "file", "The import stopped on an error of "
                                                          "the portal: nothing was imported. "
                                                          "Upload the file again.")])
        raise


def _run(kpi_import: KPIImport, token: uuid.UUID) -> KPIImport | None:
    import_id = kpi_import.pk
    try:
        with kpi_import.open_verified() as handle:
            rows = reading.read_rows(handle, kpi_import.name.rsplit(".", 1)[-1].lower())
    except (FileNotFoundError, FileIntegrityError):
        rows = None
        problem = reading.SheetError([reading.error(0, "file", "The stored file is missing "
                                                               "or damaged: upload it again.")])
    except reading.SheetError as error:
        rows, problem = None, error
    if rows is None:
        _fail(import_id, token, problem.errors)
        return KPIImport.objects.get(pk=import_id)
    if not rows:
        _fail(import_id, token, [reading.error(0, "file", EMPTY)])
        return KPIImport.objects.get(pk=import_id)
    _held(import_id, token).update(rows_total=len(rows))
    values = _Values(actor=kpi_import.uploaded_by, partnership=kpi_import.partnership)
    parsed = [(row, *values.of(row)) for row in rows]
    duplicates = _duplicates((row, fields) for row, fields, _errors in parsed)
    errors = []
    for done, (row, fields, cell_errors) in enumerate(parsed, start=1):
        row_errors = cell_errors or duplicates.get(row.number) or _check(values, row, fields)
        errors += row_errors
        if not _held(import_id, token).update(rows_done=done):
            return None  # another run took the import over
    if errors:
        _fail(import_id, token, errors)
        return KPIImport.objects.get(pk=import_id)
    return _enter_all(import_id, token, values, parsed)


def _enter_all(import_id: int, token: uuid.UUID, values: _Values, parsed) -> KPIImport | None:
    """Every row entered, and the import done, in one transaction; a row refused now (its
    value changed since it was checked) undoes them all and fails the import."""
    try:
        with transaction.atomic():
            kpi_import = _held(import_id, token).select_for_update().first()
            if kpi_import is None:
                return None
            entered = []
            for row, fields, _errors in parsed:
                try:
                    entered.append(values.enter(fields).pk)
                except (ValidationError, PermissionDenied) as error:
                    raise _Refused(_row_errors(row.number, error)) from error
            kpi_import.status, kpi_import.values = KPIImport.Status.DONE, entered
            kpi_import.finished_at = timezone.now()
            kpi_import.save(update_fields=["status", "values", "finished_at"])
            return kpi_import
    except _Refused as refused:
        _fail(import_id, token, refused.errors)
        return KPIImport.objects.get(pk=import_id)


class _Refused(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def kpi_import_values_step(*, actor: User, kpi_import: KPIImport, step: str) -> int:
    """The import's next step for all its values at once: "submit" its drafts, or "share"
    them for review (submitting the drafts first). Each value goes through the single
    value's own service (its rule, row lock, workflow and notifications), all in one
    transaction: a value refused stops them all. No e-signature applies to these steps;
    publishing stays one value at a time, signed. Returns how many values took the step."""
    if step not in VALUE_STEPS:
        raise ValidationError({"step": f"“{step}” is not a step of imported values."})
    sources, steps = VALUE_STEPS[step]
    values = list(kpi_measurement_list(user=actor, partnership=kpi_import.partnership_id)
                  .filter(pk__in=kpi_import.values, status__in=sources).order_by("key", "period"))
    if not values:
        raise ValidationError({"step": "No value of this import is left to take this step."})
    for measurement in values:
        for name in steps:
            if name == "submit" and measurement.status != KPIMeasurement.Status.DRAFT:
                continue
            try:
                measurement = measurement_services.MEASUREMENT_STEPS[name](
                    actor=actor, measurement=measurement)
            except ValidationError as error:
                raise ValidationError({"step": [f"{measurement}: {message}" for message
                                                in error.messages]}) from error
    return len(values)
