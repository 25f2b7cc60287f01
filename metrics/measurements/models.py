"""KPI measurements and their review thread. A value moves draft → submitted → shared for
review → published; while shared the other party may comment, dispute (the value is kept
from publication until the dispute is resolved) or accept early. Published values are the
only ones steering views read."""

import datetime
import decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from metrics import periods
from metrics.kpis.models import KPIDefinition
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.signatures.declarations import Signed
from portal.files import StoredFile
from portal.validation import validate_date_in_range
from portal.workflow import Workflow

#: Who takes a step: the party that reports the KPI, or the other one.
REPORTING, REVIEWING = "reporting", "reviewing"
HUNDRED = decimal.Decimal(100)
#: How close value and numerator ÷ denominator × 100 must be (the value is rounded).
TOLERANCE = decimal.Decimal("0.01")
#: The value's stored precision (its field's decimal places).
STORED = decimal.Decimal("0.0001")


def value_from(definition: KPIDefinition | None, numerator, denominator
               ) -> decimal.Decimal | None:
    """The value a percentage or a ratio has from its numerator and denominator (rounded as
    the value is stored); None when the KPI's value is no such quotient or a term is
    missing or unusable."""
    factor = definition.ratio_factor if definition is not None else None
    if factor is None or numerator is None or not denominator or denominator < 0:
        return None
    return (numerator / denominator * factor).quantize(STORED)


def value_errors(definition: KPIDefinition | None, value, numerator, denominator
                 ) -> dict[str, str]:
    """The rules every door's value obeys (the pages, the API, the spreadsheet import all
    reach them through KPIMeasurement.clean): numerator and denominator together, a
    quotient that matches the value, a percentage within 0–100 and no negative duration
    or count."""
    if (numerator is None) != (denominator is None):
        return {"denominator": "Give both the numerator and the denominator, or neither."}
    if denominator is not None and denominator <= 0:
        return {"denominator": "The denominator is a count above zero."}
    if numerator is not None and numerator < 0:
        return {"numerator": "The numerator cannot be negative."}
    if definition is None:
        return {}
    if definition.is_percentage and numerator is not None and numerator > denominator:
        return {"numerator": "A percentage's numerator is at most its denominator "
                             "(at most 100 %)."}
    if value is None:
        return {}
    expected = value_from(definition, numerator, denominator)
    if expected is not None and abs(expected - value) > TOLERANCE:
        times = " × 100" if definition.is_percentage else ""
        return {"value": f"Numerator ÷ denominator{times} = {expected.quantize(TOLERANCE)}, "
                         f"not {value.normalize():f}: correct the numbers, or leave the value "
                         "blank to have it worked out."}
    if definition.is_percentage and not 0 <= value <= HUNDRED:
        return {"value": "A percentage is between 0 and 100."}
    if definition.is_never_negative and value < 0:
        return {"value": f"A value in {definition.unit.strip()} cannot be negative."}
    return {}


class KPIMeasurementQuerySet(SharedQuerySet):
    def visible_to(self, user) -> "KPIMeasurementQuerySet":
        """The shared rule (DESIGN §2), less two kinds of value: the other party's before it
        is shared for review (a draft or a submitted value is its reporting party's own
        work), and, in a partnership where the user sits on the steering committee, every
        value not yet published (only published values reach the committee, DESIGN §3)."""
        seen = super().visible_to(user)
        if not user.is_authenticated:
            return seen
        from partnership.models import Membership

        Status = KPIMeasurement.Status
        steering = Membership.objects.filter(user=user, role=Membership.Role.STEERING)
        return seen.filter(
            ~Q(status__in=KPIMeasurement.OWN_STATUSES)
            | Q(author_organization_id=user.organization_id)).exclude(
            Q(partnership__in=steering.values("partnership_id"))
            & ~Q(status=Status.PUBLISHED))

    def published(self) -> "KPIMeasurementQuerySet":
        return self.filter(status=KPIMeasurement.Status.PUBLISHED)


class OfVisibleMeasurementQuerySet(SharedQuerySet):
    """A value's review thread, evidence and sources: seen with the value only."""

    def visible_to(self, user) -> "OfVisibleMeasurementQuerySet":
        return super().visible_to(user).filter(
            measurement__in=KPIMeasurement.objects.visible_to(user).values("pk"))


class KPIMeasurement(SharedRecord, PartnershipChild):
    """One period's value of a KPI, under the definition version in force when it was
    entered. Both parties see the same numbers: never internal (and seen exactly where its
    definition is)."""

    PARENT = "definition"
    INTERNAL_VIA = ("definition",)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SHARED = "shared", "Shared for review"
        DISPUTED = "disputed", "Disputed"
        PUBLISHED = "published", "Published"

    #: The statuses in which a value is its reporting party's own work: the other party
    #: neither reads it (visible_to) nor, once shared, its History from then
    #: (partnership.history.sharing).
    OWN_STATUSES = (Status.DRAFT, Status.SUBMITTED)

    #: step -> (from statuses, to status, who, button label); publishing is signed.
    STEPS = {
        "submit": ((Status.DRAFT,), Status.SUBMITTED, REPORTING, "Submit the value"),
        "share": ((Status.SUBMITTED,), Status.SHARED, REPORTING, "Share for review"),
        "accept": ((Status.SHARED,), Status.SHARED, REVIEWING, "Accept the value"),
        "dispute": ((Status.SHARED,), Status.DISPUTED, REVIEWING, "Dispute the value"),
        "correct": ((Status.DISPUTED,), Status.SHARED, REPORTING, "Correct the value"),
        "withdraw": ((Status.DISPUTED,), Status.SHARED, REVIEWING, "Withdraw the dispute"),
    }
    WORKFLOW = Workflow({
        Status.DRAFT: {Status.SUBMITTED: "Submit"},
        Status.SUBMITTED: {Status.SHARED: "Share for review", Status.DRAFT: "Back to draft"},
        Status.SHARED: {Status.SHARED: "Accept", Status.DISPUTED: "Dispute",
                        Status.PUBLISHED: "Published"},
        Status.DISPUTED: {Status.SHARED: "Resolved"},
    })
    SIGNATURES = {"published": Signed(
        "KPI value published",
        meanings={"approval": "Approved: this value is published to the steering committee"},
        fields=("definition", "period", "value", "numerator", "denominator"),
        children={"evidence": ("name", "sha256")},
        parties=lambda measurement: ("sponsor", "cdmo"), all_parties=False, roles=("lead",),
        ready=lambda measurement: measurement.publish_blocker(),
        complete="metrics.measurements.services.kpi_measurement_publish")}
    REASON_STATUSES = (Status.PUBLISHED,)

    definition = models.ForeignKey(KPIDefinition, on_delete=models.PROTECT,
                                   related_name="measurements")
    #: The definition's series, copied: one value per period whatever the version.
    key = models.SlugField(max_length=60, editable=False)
    period = models.DateField(validators=[validate_date_in_range],
                              help_text="The first day of the month or quarter.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    comment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range])
    review_until = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range])
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, editable=False, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])

    objects = KPIMeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key", "period"],
                                               name="kpimeasurement_one_per_period")]
        indexes = [models.Index(fields=["partnership", "created_at"],
                                name="kpimeasurement_by_created"),
                   models.Index(fields=["definition", "period"]),
                   models.Index(fields=["definition", "status", "period"]),
                   models.Index(fields=["partnership", "status", "period"]),
                   models.Index(fields=["partnership", "key", "status", "period"]),
                   # Each sort of the API's list (portal.filters.OrderingFilter: column,
                   # then id) in a partnership and, by default, across them: tests/perf.
                   models.Index(fields=["partnership", "period", "id"],
                                name="kpimeasurement_by_period"),
                   models.Index(fields=["partnership", "status", "id"],
                                name="kpimeasurement_by_status"),
                   models.Index(fields=["period", "id"], name="kpimeasurement_all_by_period")]

    def __str__(self) -> str:
        return f"{self.definition.name} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("metrics:kpimeasurement_detail", args=[self.partnership_id, self.pk])

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.definition.frequency)

    @property
    def rag(self) -> str | None:
        return self.definition.rag(self.value)

    def clean(self) -> None:
        errors = {}
        definition = self.definition if self.definition_id else None
        if self.is_internal:
            errors["is_internal"] = "Both parties see the same numbers: a value is never " \
                                    "internal."
        if definition is not None and self.period and \
                not periods.is_period_start(self.period, definition.frequency):
            errors["period"] = "Give the first day of the " + (
                "month." if definition.frequency == periods.MONTHLY else "quarter.")
        elif definition is not None and self.period and periods.next_period(
                self.period, definition.frequency) > timezone.localdate():
            errors["period"] = "A value is entered once its period has ended."
        errors.update(value_errors(definition, self.value, self.numerator, self.denominator))
        if errors:
            raise ValidationError(errors)

    # --- who takes which step -------------------------------------------------------------

    def side_of(self, user) -> str | None:
        party = self.partnership.party_of(user)
        if party is None:
            return None
        return REPORTING if party == self.definition.reporting_party else REVIEWING

    def check_step(self, step: str, user) -> str:
        """The status `step` leads to, if `user` may take it now; else a ValidationError."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a KPI value."})
        sources, target, who, label = self.STEPS[step]
        if self.status not in sources:
            raise ValidationError({"status": f"A value that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if self.side_of(user) != who:
            party = "reporting party" if who == REPORTING else "party reviewing the value"
            raise ValidationError({"status": f"Only the {party} may "
                                             f"{label[0].lower()}{label[1:]}."})
        if step in ("accept", "dispute") and not self.in_review_window():
            raise ValidationError({"status": "The review window has ended: the value may be "
                                             "published."})
        if step == "accept" and self.accepted_at:
            raise ValidationError({"status": "The value is already accepted."})
        return target

    def steps_for(self, user) -> dict[str, str]:
        steps = {}
        for step, (_sources, _target, _who, label) in self.STEPS.items():
            try:
                self.check_step(step, user)
            except ValidationError:
                continue
            steps[step] = label
        return steps

    def in_review_window(self, now: datetime.datetime | None = None) -> bool:
        return self.review_until is not None and (now or timezone.now()) < self.review_until

    def publish_blocker(self, now: datetime.datetime | None = None) -> str | None:
        """Why the value cannot be published now, or None."""
        if self.status == self.Status.DISPUTED:
            return "The value is disputed: it is published once the dispute is resolved."
        if self.status != self.Status.SHARED:
            return "A value is published once shared for review; this one is " \
                   f"{self.get_status_display().lower()}."
        if self.in_review_window(now) and not self.accepted_at:
            return "The other party may still comment or dispute until " \
                   f"{timezone.localtime(self.review_until):%d %b %Y %H:%M %Z}, unless it " \
                   "accepts the value earlier."
        return None


class MeasurementReview(PartnershipChild):
    """One entry of a value's review thread: a comment, a dispute, its resolution (a
    correction by the reporting party, a withdrawal by the disputing party) or the
    other party's acceptance — each party's own words, kept for both to read."""

    PARENT = "measurement"
    INTERNAL_VIA = ("measurement",)
    objects = OfVisibleMeasurementQuerySet.as_manager()
    MADE_BY = ("author__organization",)

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        DISPUTE = "dispute", "Dispute"
        CORRECTION = "correction", "Correction"
        WITHDRAWAL = "withdrawal", "Dispute withdrawn"
        ACCEPTANCE = "acceptance", "Accepted"

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    measurement = models.ForeignKey(KPIMeasurement, on_delete=models.CASCADE,
                                    related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    party = models.CharField(max_length=7, choices=KPIDefinition.Party.choices)
    #: A correction's values before and after, in words.
    value_before = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_after = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["measurement", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author}"


def evidence_path(evidence, filename: str) -> str:
    return f"kpi-evidence/{evidence.partnership_id}/{evidence.measurement_id}/{filename}"


class MeasurementEvidence(PartnershipChild, StoredFile):
    """A file the reporting party attaches to a value (the delivery log, the batch list it
    counted): checked by its content, kept with its SHA-256 in private storage, served only
    by a scoped view; the publication signs the names and checksums of all of them."""

    PARENT = "measurement"
    INTERNAL_VIA = ("measurement",)
    objects = OfVisibleMeasurementQuerySet.as_manager()
    MADE_BY = ("uploaded_by__organization",)
    ALLOWED_KINDS = ("pdf", "xlsx", "csv")

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    measurement = models.ForeignKey(KPIMeasurement, on_delete=models.CASCADE,
                                    related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "measurement evidence"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("metrics:kpievidence_download",
                       args=[self.partnership_id, self.measurement_id, self.pk])


class KPISubmissionReminder(models.Model):
    """One 'a value is due' per definition series and period: the daily job tells once."""

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    key = models.SlugField(max_length=60)
    period = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["partnership", "key", "period"],
            name="kpi_one_submission_reminder_per_period")]

    def __str__(self) -> str:
        return f"Reminder {self.key} {self.period}"
