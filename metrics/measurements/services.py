"""Writes of KPI values: the reporting party enters a period's value (under the definition
in force), submits and shares it for review; the other party may comment, dispute it or
accept it early until the review window ends; a dispute is resolved by the reporting
party's correction or the disputing party's withdrawal, each with words both read; a lead
of either party publishes it under an e-signature once no dispute is open and the window
has ended or the value was accepted (partnership.signatures runs kpi_measurement_publish)."""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics import periods
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import (
    REPORTING,
    KPIMeasurement,
    KPISubmissionReminder,
    MeasurementEvidence,
    MeasurementReview,
    value_errors,
    value_from,
)
from metrics.notices import tell
from partnership.history.context import recording
from partnership.models import Membership, Partnership, User
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    at_local,
    first_seated,
    in_days,
    reminders_send,
    scoped,
    seats,
    when_in_days,
    within,
)
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from portal.locking import locked
from portal.workflow import transition

VALUE_FIELDS = ("value", "numerator", "denominator", "comment")
PUBLISHED_REASON = "Published under a lead's e-signature."


#: The longest words of a review, a dispute or a reason (a page of text).
WORDS_MAX_LENGTH = 5000


def _words(text: str | None, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > WORDS_MAX_LENGTH:
        raise ValidationError({field: f"Keep it under {WORDS_MAX_LENGTH} characters (it has "
                                      f"{len(text)}): attach a file for more."})
    return text


def _other_party(measurement: KPIMeasurement) -> str:
    return Partnership.other_party(measurement.definition.reporting_party)


#: What a second value of a KPI and period is told, however it came (form, API, import).
PERIOD_TAKEN = "A value of this KPI is already entered for this period."


def _check_period_free(definition: KPIDefinition, period, pk=None) -> None:
    if period and KPIMeasurement.objects.filter(
            partnership=definition.partnership, key=definition.key, period=period
    ).exclude(pk=pk).exists():
        raise ValidationError({"period": PERIOD_TAKEN})


def _value_or_quotient(definition: KPIDefinition, value, numerator, denominator
                       ) -> decimal.Decimal:
    """The value given, or, left blank, the one a percentage or a ratio has from its
    numerator and denominator; a blank value that cannot be worked out is named."""
    if value is not None:
        return value
    value = value_from(definition, numerator, denominator)
    if value is None:
        raise ValidationError(value_errors(definition, None, numerator, denominator) or {
            "value": "Give the value, or its numerator and denominator to work it out."
            if definition.ratio_factor is not None else "Give the value."})
    return value


@transaction.atomic
def kpi_measurement_create(*, actor: User, definition: KPIDefinition, period: datetime.date,
                           value: decimal.Decimal | None = None, numerator=None,
                           denominator=None, comment: str = "") -> KPIMeasurement:
    """The reporting party enters a period's value, as a draft, under the definition in
    force (one value per KPI and period, whatever its version). A percentage's or a
    ratio's value left blank is worked out from its numerator and denominator."""
    require(actor, "metrics.kpimeasurement_create", definition)
    _check_period_free(definition, period)
    value = _value_or_quotient(definition, value, numerator, denominator)
    try:
        # A savepoint: a value entered at the same moment by another request or import
        # (committed after the check above) meets the unique key here, and the caller's
        # transaction goes on with a field error.
        with transaction.atomic():
            return shared_record_create(
                KPIMeasurement, ("definition", "key", "period", *VALUE_FIELDS), actor=actor,
                partnership=definition.partnership,
                fields={"definition": definition, "key": definition.key, "period": period,
                        "value": value, "numerator": numerator, "denominator": denominator,
                        "comment": comment or ""})
    except IntegrityError as error:
        if "kpimeasurement_one_per_period" not in str(error):
            raise
        raise ValidationError({"period": PERIOD_TAKEN}) from error


@transaction.atomic
def kpi_measurement_update(*, actor: User, measurement: KPIMeasurement, **fields
                           ) -> KPIMeasurement:
    """The reporting party changes its value before sharing it (a value left blank is
    worked out as on entry)."""
    measurement = locked(measurement, "partnership", "definition")
    require(actor, "metrics.kpimeasurement_edit", measurement)
    if "value" in fields and fields["value"] is None:
        terms = {name: fields.get(name, getattr(measurement, name))
                 for name in ("numerator", "denominator")}
        fields["value"] = _value_or_quotient(measurement.definition, None, **terms)
    return shared_record_update(measurement, VALUE_FIELDS, actor=actor, fields=fields,
                                rule="metrics.kpimeasurement_edit")


def _review(measurement: KPIMeasurement, *, actor: User, kind: str, text: str,
            **extra) -> MeasurementReview:
    row = MeasurementReview(measurement=measurement, partnership=measurement.partnership,
                            kind=kind, text=text, author=actor,
                            party=measurement.partnership.party_of(actor), **extra)
    row.full_clean()
    row.save()
    return row


def _step(*, actor: User, measurement: KPIMeasurement, step: str, changes=None
          ) -> KPIMeasurement:
    require(actor, "metrics.kpimeasurement_step", measurement)
    row = locked(measurement, "partnership", "definition")
    target = row.check_step(step, actor)
    return transition(row, target, guard=lambda current, status: current.check_step(
        step, actor), changes=changes, clean=True)


def _window(row: KPIMeasurement, now: datetime.datetime) -> dict:
    return {"review_until": now + datetime.timedelta(days=row.definition.review_window_days),
            "accepted_at": None, "accepted_by": None}


@transaction.atomic
def kpi_measurement_submit(*, actor: User, measurement: KPIMeasurement) -> KPIMeasurement:
    """The reporting party submits its value (it is no longer a draft)."""
    return _step(actor=actor, measurement=measurement, step="submit")


@transaction.atomic
def kpi_measurement_share(*, actor: User, measurement: KPIMeasurement) -> KPIMeasurement:
    """The reporting party shares the value: the other party's review window opens, and
    its leads are told."""
    now = timezone.now()
    measurement = _step(actor=actor, measurement=measurement, step="share",
                        changes=lambda row, status: {"shared_at": now, **_window(row, now)})
    tell(measurement, kind="kpi_review", party=_other_party(measurement), actor=actor,
         title=f"KPI value to review: {measurement}",
         body=f"Value {measurement.value.normalize():f} {measurement.definition.unit}; "
              f"comment or dispute it within {measurement.definition.review_window_days} "
              "days.")
    return measurement


@transaction.atomic
def kpi_measurement_accept(*, actor: User, measurement: KPIMeasurement, text: str = ""
                           ) -> KPIMeasurement:
    """The reviewing party accepts the value before its window ends: it may be published
    at once."""
    now = timezone.now()
    measurement = _step(actor=actor, measurement=measurement, step="accept",
                        changes=lambda row, status: {"accepted_at": now, "accepted_by": actor})
    _review(measurement, actor=actor, kind=MeasurementReview.Kind.ACCEPTANCE,
            text=(text or "").strip() or "Accepted.")
    return measurement


def _reviewer_says(*, actor: User, measurement: KPIMeasurement, step: str, kind: str,
                   text: str, missing: str, title: str) -> KPIMeasurement:
    """A step of the reviewing party taken in its words (a dispute, its withdrawal): kept
    in the thread, and told to the reporting party's leads."""
    text = _words(text, "text", missing)
    measurement = _step(actor=actor, measurement=measurement, step=step)
    _review(measurement, actor=actor, kind=kind, text=text)
    tell(measurement, kind="kpi_disputed", party=measurement.definition.reporting_party,
         actor=actor, title=f"{title}: {measurement}", body=text)
    return measurement


@transaction.atomic
def kpi_measurement_dispute(*, actor: User, measurement: KPIMeasurement, text: str
                            ) -> KPIMeasurement:
    """The reviewing party disputes the value, in its words: it is kept from publication
    until the dispute is resolved."""
    return _reviewer_says(actor=actor, measurement=measurement, step="dispute",
                          kind=MeasurementReview.Kind.DISPUTE, text=text,
                          missing="Say what you dispute and why.",
                          title="KPI value disputed")


@transaction.atomic
def kpi_measurement_correct(*, actor: User, measurement: KPIMeasurement,
                            value: decimal.Decimal | None, reason: str, numerator=None,
                            denominator=None) -> KPIMeasurement:
    """The reporting party answers a dispute with a corrected value and its reason: the
    value is shared for review again, with a new window."""
    reason = _words(reason, "reason", "Say why the value is corrected.")
    value = _value_or_quotient(measurement.definition, value, numerator, denominator)
    now = timezone.now()
    before = locked(measurement).value
    measurement = _step(actor=actor, measurement=measurement, step="correct",
                        changes=lambda row, status: {
                            "value": value, "numerator": numerator,
                            "denominator": denominator, "shared_at": now,
                            **_window(row, now)})
    _review(measurement, actor=actor, kind=MeasurementReview.Kind.CORRECTION, text=reason,
            value_before=before, value_after=measurement.value)
    tell(measurement, kind="kpi_review", party=_other_party(measurement), actor=actor,
         title=f"KPI value corrected after your dispute: {measurement}", body=reason)
    return measurement


@transaction.atomic
def kpi_measurement_withdraw_dispute(*, actor: User, measurement: KPIMeasurement, text: str
                                     ) -> KPIMeasurement:
    """The disputing party withdraws its dispute, in its words: the value stands."""
    return _reviewer_says(actor=actor, measurement=measurement, step="withdraw",
                          kind=MeasurementReview.Kind.WITHDRAWAL, text=text,
                          missing="Say why the dispute is withdrawn.",
                          title="Dispute withdrawn")


@transaction.atomic
def kpi_measurement_comment(*, actor: User, measurement: KPIMeasurement, text: str
                            ) -> MeasurementReview:
    """Either party comments on a value under review; the other party's leads are told."""
    text = _words(text, "text", "Write your comment.")
    measurement = locked(measurement, "partnership", "definition")
    require(actor, "metrics.kpimeasurement_comment", measurement)
    review = _review(measurement, actor=actor, kind=MeasurementReview.Kind.COMMENT, text=text)
    reporting = measurement.side_of(actor) == REPORTING
    tell(measurement, kind="kpi_review" if reporting else "kpi_disputed",
         party=_other_party(measurement) if reporting
         else measurement.definition.reporting_party,
         actor=actor, title=f"Comment on {measurement}", body=text)
    return review


@transaction.atomic
def kpi_measurement_attach(*, actor: User, measurement: KPIMeasurement, file
                           ) -> MeasurementEvidence:
    """The reporting party attaches evidence (PDF, XLSX or CSV) to a value until it is
    published; checked by its content and kept with its checksum."""
    measurement = locked(measurement, "partnership", "definition")
    require(actor, "metrics.kpimeasurement_attach", measurement)
    evidence = MeasurementEvidence(partnership=measurement.partnership, measurement=measurement,
                                   uploaded_by=actor)
    evidence.take(file)
    evidence.full_clean()
    evidence.save()
    return evidence


#: The steps by name, for the pages and the API (each takes its own words).
MEASUREMENT_STEPS = {"submit": kpi_measurement_submit, "share": kpi_measurement_share,
                     "accept": kpi_measurement_accept, "dispute": kpi_measurement_dispute,
                     "correct": kpi_measurement_correct,
                     "withdraw": kpi_measurement_withdraw_dispute}


# Run by partnership.signatures.services.sign, in the signer's transaction, once a lead has
# signed the publication (KPIMeasurement.SIGNATURES' `complete`).
def kpi_measurement_publish(*, actor: User, record: KPIMeasurement) -> KPIMeasurement:
    """The value is published: steering views read it; both parties' leads are told."""
    if record.status == KPIMeasurement.Status.PUBLISHED:
        return record
    now = timezone.now()
    with recording(reason=PUBLISHED_REASON):
        measurement = transition(record, KPIMeasurement.Status.PUBLISHED, clean=True,
                                 changes=lambda row, status: {"published_at": now})
    tell(measurement, kind="kpi_published", party=None, actor=actor,
         title=f"KPI value published: {measurement}")
    return measurement


def kpi_due_reminders_send(*, now: datetime.datetime | None = None,
                           partnerships: Batch = None) -> int:
    """Tell the reporting party's leads, once per KPI and period, that the value of the
    period just ended is past its due day and not submitted. The reminder row's unique key
    is claimed in the notification's savepoint, so a second run tells nobody twice."""
    today = (now or timezone.now()).astimezone(datetime.UTC).date()
    told = 0
    for definition in within(KPIDefinition.objects.all(), partnerships).filter(
            status=KPIDefinition.Status.AGREED, data_source=KPIDefinition.Source.ENTERED
    ).select_related("partnership").order_by("pk"):
        period = periods.previous_period(periods.period_start(today, definition.frequency),
                                         definition.frequency)
        due = periods.due_date(period, definition.frequency, definition.due_day)
        if today <= due or KPIMeasurement.objects.filter(
                partnership=definition.partnership, key=definition.key, period=period
        ).exclude(status=KPIMeasurement.Status.DRAFT).exists():
            continue
        with transaction.atomic():
            _, created = KPISubmissionReminder.objects.get_or_create(
                partnership=definition.partnership, key=definition.key, period=period)
            if created:
                tell(definition, kind="kpi_due", party=definition.reporting_party,
                     title=f"KPI value due: {definition.name}, "
                           f"{periods.label(period, definition.frequency)}",
                     body=f"It was due by {due:%d %b %Y}.")
                told += 1
    return told


# --- Reminders before a deadline (the jobs in metrics.measurements.tasks) -----------------

#: The reporting party's leads are reminded this many days before a value is due.
KPI_DUE_SOON_DAYS = 2
#: The reviewing party's leads are reminded when this little of a review window is left.
REVIEW_CLOSING_LEAD = datetime.timedelta(hours=48)


def kpi_due_soon_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                      user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """Each agreed KPI's period whose value is due by its due day and not submitted yet,
    of which the reporting party's leads (its writers where it seats none) are reminded
    within `ahead` from now (now: the job), of the KPIs `user` sees when given: from two
    days before that day in each lead's own zone until the day itself
    (kpi_due_reminders_send tells them once it has passed). One query selects the agreed
    KPIs, one the values already submitted, one the leads."""
    today = now.astimezone(datetime.UTC).date()
    definitions = list(scoped(KPIDefinition, user, partnerships).filter(
        status=KPIDefinition.Status.AGREED, data_source=KPIDefinition.Source.ENTERED
    ).select_related("partnership").order_by("pk"))
    candidates = []  # (definition, period, due) whose due day is near somewhere on Earth
    for definition in definitions:
        current = periods.period_start(today, definition.frequency)
        for period in (periods.previous_period(current, definition.frequency), current):
            due = periods.due_date(period, definition.frequency, definition.due_day)
            if -1 <= (due - today).days <= KPI_DUE_SOON_DAYS + 1 + ahead.days:
                candidates.append((definition, period, due))
    submitted = set(KPIMeasurement.objects.filter(
        partnership_id__in={definition.partnership_id for definition, _p, _d in candidates},
        key__in={definition.key for definition, _p, _d in candidates},
        period__in={period for _d, period, _due in candidates}).exclude(
        status=KPIMeasurement.Status.DRAFT).values_list("partnership_id", "key", "period"))
    found = seats({definition.partnership_id for definition, _p, _d in candidates},
                  Membership.WRITING_ROLES)

    def title(definition: KPIDefinition, period: datetime.date, due: datetime.date):
        return lambda person: (f"KPI value due {when_in_days(due, person, now)}: "
                               f"{definition.name}, "
                               f"{periods.label(period, definition.frequency)}")

    return [Due(record=definition, window=period, deadline=due, lead=KPI_DUE_SOON_DAYS,
                recipients=in_days(due, first_seated(
                    found, definition.partnership, definition.reporting_party,
                    {Membership.Role.LEAD}, Membership.WRITING_ROLES), now,
                    first=KPI_DUE_SOON_DAYS + ahead.days, last=0),
                title=title(definition, period, due), body=f"Submit it by {due:%A %d %b %Y}.")
            for definition, period, due in candidates
            if (definition.partnership_id, definition.key, period) not in submitted]


def kpi_due_soon_reminders_send(*, now: datetime.datetime | None = None,
                                partnerships: Batch = None) -> int:
    """Remind the reporting party's leads that a period's value is due and not submitted
    (kpi_due_soon_dues), once per KPI, period and lead."""
    return reminders_send(kind="kpi_value_due_soon",
                          dues=kpi_due_soon_dues(now=now or timezone.now(),
                                     partnerships=partnerships))


def kpi_review_closing_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                            user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """The values shared for review (not accepted yet) whose reviewing party's leads (its
    writers where it seats none) are reminded within `ahead` from now (now: the job) that
    the window to comment on or dispute them closes within two days, of those `user` sees
    when given. One query selects the values, one the leads."""
    measurements = list(scoped(KPIMeasurement, user, partnerships).filter(
        status=KPIMeasurement.Status.SHARED, accepted_at__isnull=True, review_until__gt=now,
        review_until__lte=now + REVIEW_CLOSING_LEAD + ahead).select_related(
        "partnership", "definition").order_by("review_until", "pk"))
    found = seats({measurement.partnership_id for measurement in measurements},
                  Membership.WRITING_ROLES)

    def title(measurement: KPIMeasurement):
        return lambda person: (f"Review window closes "
                               f"{at_local(measurement.review_until, person, now)}: "
                               f"{measurement}")

    return [Due(record=measurement, window=measurement.review_until, lead=REVIEW_CLOSING_LEAD,
                recipients=first_seated(found, measurement.partnership,
                                        _other_party(measurement), {Membership.Role.LEAD},
                                        Membership.WRITING_ROLES),
                title=title(measurement), when=measurement.review_until,
                body=f"Value {measurement.value.normalize():f} {measurement.definition.unit}: "
                     "comment on it, dispute it or accept it before the time shown; after it "
                     "the value may be published.")
            for measurement in measurements]


def kpi_review_closing_reminders_send(*, now: datetime.datetime | None = None,
                                      partnerships: Batch = None) -> int:
    """Remind the reviewing party's leads that a review window closes within two days
    (kpi_review_closing_dues): once per value, window and lead (a corrected value opens a
    new window, which reminds again)."""
    return reminders_send(kind="kpi_review_closing",
                          dues=kpi_review_closing_dues(now=now or timezone.now(),
                                     partnerships=partnerships))
