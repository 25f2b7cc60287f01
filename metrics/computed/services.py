"""Writes of computed KPI values. A computed value is a KPIMeasurement of a definition whose
data source is "computed", entered by the portal on behalf of the reporting party:

- It starts as a **draft** of the reporting party, so that party reads the value and the
  records behind it before anyone else relies on it, then submits and shares it for review
  as it would a value it entered; the other party may comment on it or dispute it in its
  window like any value, and a dispute is answered by a correction or withdrawn.
- Computing a period again while its value is a draft replaces the value and its source
  links (the records may have been completed late); once submitted (or further) a value is
  never overwritten — not by the button, not by the API, not by the nightly job.
- The nightly job computes the last ended period of every agreed computed KPI once: its
  claim (KPIComputation, unique per KPI and period) is created in the transaction that
  computes, so a second run or a second worker computes nothing again.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics import periods
from metrics.computed import compute as computing
from metrics.computed.models import KPIComputation, MeasurementSource
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from partnership.history.context import recording
from partnership.models import User
from partnership.notifications.reminders import Batch, within
from partnership.permissions import require

SYSTEM_REASON = "Computed by the portal from its own records."


def last_ended_period(definition: KPIDefinition, today: datetime.date | None = None
                      ) -> datetime.date:
    today = today or timezone.now().astimezone(datetime.UTC).date()
    return periods.previous_period(periods.period_start(today, definition.frequency),
                                   definition.frequency)


def _check(definition: KPIDefinition, period: datetime.date, today: datetime.date) -> None:
    if definition.status != KPIDefinition.Status.AGREED or \
            definition.data_source != KPIDefinition.Source.COMPUTED:
        raise ValidationError({"definition": "Values are computed for an agreed definition "
                                             "whose data source is computed."})
    if not computing.is_computable(definition.key):
        raise ValidationError({"definition": "The portal does not know how to compute this "
                                             "KPI: its values are entered."})
    if not periods.is_period_start(period, definition.frequency):
        raise ValidationError({"period": "Give the first day of the " + (
            "month." if definition.frequency == periods.MONTHLY else "quarter.")})
    if periods.next_period(period, definition.frequency) > today:
        raise ValidationError({"period": "A value is computed once its period has ended."})


def _sources(measurement: KPIMeasurement, sources) -> None:
    types = ContentType.objects.get_for_models(*{type(record) for record, _ in sources}) \
        if sources else {}
    MeasurementSource.objects.bulk_create([
        MeasurementSource(partnership=measurement.partnership, measurement=measurement,
                          content_type=types[type(record)], object_id=record.pk,
                          counted_as=counted_as[:60])
        for record, counted_as in sources])


@transaction.atomic
def kpi_value_compute(*, actor: User | None, definition: KPIDefinition,
                      period: datetime.date, now: datetime.datetime | None = None
                      ) -> KPIMeasurement:
    """Compute the period's value of an agreed computed KPI and store it as a draft of the
    reporting party (replacing a draft computed before); `actor` None is the nightly job.
    A period with nothing to count, or whose value is already submitted, is refused with a
    field error."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "metrics.kpidefinition_compute", definition)
    # Under the definition's lock: a second computation of it (the button, the API, the
    # job) waits for this one and then finds its value.
    definition = KPIDefinition.objects.select_for_update(of=("self",)).select_related(
        "partnership").get(pk=definition.pk)
    _check(definition, period, now.astimezone(datetime.UTC).date())
    partnership = definition.partnership
    existing = KPIMeasurement.objects.select_for_update(of=("self",)).select_related(
        "definition").filter(partnership=partnership, key=definition.key,
                             period=period).first()
    if existing is not None and existing.status != KPIMeasurement.Status.DRAFT:
        raise ValidationError({"period": "This period's value is "
                                         f"{existing.get_status_display().lower()}: once "
                                         "submitted a value is never overwritten by a "
                                         "computation."})
    if existing is not None and \
            existing.definition.data_source != KPIDefinition.Source.COMPUTED:
        raise ValidationError({"period": "This period's value was entered by hand: a "
                                         "computation does not replace it."})
    result = computing.compute(partnership, definition.key, period, definition.frequency)
    if result.value is None:
        raise ValidationError({"period": f"Nothing to compute from: {result.summary}"})
    comment = f"Computed from the portal's records on {now:%d %b %Y %H:%M} UTC. " \
              f"{result.summary}"
    fields = {"definition": definition, "value": result.value,
              "numerator": result.numerator, "denominator": result.denominator,
              "comment": comment}
    organization = partnership.sponsor if definition.reporting_party == "sponsor" \
        else partnership.cdmo
    with recording(reason=SYSTEM_REASON):
        if existing is None:
            measurement = KPIMeasurement(partnership=partnership, key=definition.key,
                                         period=period, author_organization=organization,
                                         created_by=actor, **fields)
        else:
            measurement = existing
            for name, value in fields.items():
                setattr(measurement, name, value)
            measurement.sources.all().delete()
        measurement.full_clean()
        measurement.save()
        _sources(measurement, result.sources)
    return measurement


def computed_kpis_compute(*, now: datetime.datetime | None = None,
                          partnerships: Batch = None) -> int:
    """The nightly job: the last ended period of every agreed computed KPI, once each (the
    claim's unique key); returns how many values it stored. A period with nothing to count
    or whose value was already submitted is claimed too, with why nothing was stored. Only
    the batch's partnerships when given (partnership.sweeps)."""
    now = now or timezone.now()
    stored = 0
    definitions = within(KPIDefinition.objects.in_force().filter(
        data_source=KPIDefinition.Source.COMPUTED), partnerships)
    for definition in definitions.order_by("pk"):
        if not computing.is_computable(definition.key):
            continue
        period = last_ended_period(definition, now.astimezone(datetime.UTC).date())
        with transaction.atomic():
            claim, created = KPIComputation.objects.get_or_create(
                partnership_id=definition.partnership_id, key=definition.key, period=period)
            if not created:
                continue
            try:
                kpi_value_compute(actor=None, definition=definition, period=period, now=now)
            except ValidationError as error:
                claim.outcome = "; ".join(error.messages)[:300]
            else:
                claim.outcome = "Value stored as a draft."
                stored += 1
            claim.save(update_fields=["outcome"])
    return stored
