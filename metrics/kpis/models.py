"""KPI definitions: one version of one series (`key`) of a partnership. A draft is submitted
for sign-off, agreed once a lead of each party has e-signed it, and stays in force until a
newer version of the same key is agreed (then superseded) or it is retired. Measurements
stay tied to the version they were taken under."""

import decimal

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from partnership.scoping import SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.workflow import Workflow

#: What a sign-off is bound to: every term both parties agreed.
SIGNED_FIELDS = ("key", "version", "name", "formula", "unit", "direction", "target",
                 "amber_threshold", "red_threshold", "frequency", "data_source",
                 "reporting_party", "review_window_days", "due_day")
#: The terms a draft's author may change (and a revision copies).
TERMS = SIGNED_FIELDS[2:]
#: Units of a duration or a number of things: their values are never negative.
NEVER_NEGATIVE_UNITS = {"day", "days", "hour", "hours", "week", "weeks", "month", "months",
                        "count", "number", "batches", "lots"}


class RAG(models.TextChoices):
    """Red / amber / green of a value against its definition's thresholds."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


def rag_of(value: decimal.Decimal | None, direction: str, amber: decimal.Decimal,
           red: decimal.Decimal) -> str | None:
    """Red, amber or green for `value` against thresholds `amber` and `red` in `direction`
    (None without a value): worse than the red threshold is red, worse than the amber one
    amber, else green. A function, so that reads of plain columns judge values as
    KPIDefinition.rag does."""
    if value is None:
        return None
    worse = (lambda a, b: a < b) if direction == "higher" else (lambda a, b: a > b)
    if worse(value, red):
        return RAG.RED
    if worse(value, amber):
        return RAG.AMBER
    return RAG.GREEN


class KPIDefinitionQuerySet(SharedQuerySet):
    def in_force(self) -> "KPIDefinitionQuerySet":
        return self.filter(status=KPIDefinition.Status.AGREED)


class KPIDefinition(SharedRecord):
    """One version of a KPI both parties agree on. Both parties always see it: it is never
    internal."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered by the reporting party"
        COMPUTED = "computed", "Computed from the portal's records"

    class Party(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        CDMO = "cdmo", "CDMO"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGNOFF = "awaiting_signoff", "Awaiting sign-off"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"
        RETIRED = "retired", "Retired"

    #: Steps by a button: step -> (from statuses, to status, label). Agreed is signed.
    STEPS = {
        "submit": ((Status.DRAFT,), Status.AWAITING_SIGNOFF, "Submit for sign-off"),
        "reopen": ((Status.AWAITING_SIGNOFF,), Status.DRAFT, "Back to draft"),
        "retire": ((Status.DRAFT, Status.AWAITING_SIGNOFF, Status.AGREED), Status.RETIRED,
                   "Retire the KPI"),
    }
    WORKFLOW = Workflow({
        Status.DRAFT: {Status.AWAITING_SIGNOFF: "Submit for sign-off",
                       Status.RETIRED: "Retire"},
        Status.AWAITING_SIGNOFF: {Status.DRAFT: "Back to draft", Status.AGREED: "Agreed",
                                  Status.RETIRED: "Retire"},
        Status.AGREED: {Status.SUPERSEDED: "Superseded", Status.RETIRED: "Retire"},
    })
    SIGNATURES = {"agreed": Signed(
        "KPI definition agreed",
        meanings={"approval": "Approved: my party agrees to measure this KPI as defined",
                  "responsibility": "Responsible: I agree these terms for my organization"},
        fields=SIGNED_FIELDS, parties=lambda definition: ("sponsor", "cdmo"),
        roles=("lead",), ready=lambda definition: definition.signoff_blocker(),
        complete="metrics.kpis.services.kpi_definition_agree")}
    #: Once agreed (or past it) a definition changes only with a reason.
    REASON_STATUSES = (Status.AGREED, Status.SUPERSEDED, Status.RETIRED)

    key = models.SlugField(max_length=60, help_text="The series this version belongs to: "
                                                    "stays the same across versions.")
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    name = models.CharField(max_length=120)
    formula = models.TextField("formula in words",
                               help_text="How the value is worked out, e.g. batches "
                                         "delivered by the agreed date ÷ batches due × 100.")
    unit = models.CharField(max_length=30, help_text="%, days, count, per audit …")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    amber_threshold = models.DecimalField(
        max_digits=12, decimal_places=2,
        help_text="A value worse than this is amber (between the target and red).")
    red_threshold = models.DecimalField(max_digits=12, decimal_places=2,
                                        help_text="A value worse than this is red.")
    frequency = models.CharField(max_length=9, choices=Frequency.choices,
                                 default=Frequency.MONTHLY)
    data_source = models.CharField("data source", max_length=8, choices=Source.choices,
                                   default=Source.ENTERED)
    reporting_party = models.CharField(max_length=7, choices=Party.choices,
                                       help_text="The party that enters the values.")
    review_window_days = models.PositiveSmallIntegerField(
        "review window (days)", default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long the other party has to comment on or dispute a value.")
    due_day = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Values are due by this day of the following period.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   editable=False, related_name="revisions")
    search_document = search_document_field("name", "formula", "unit")

    objects = KPIDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key", "version"],
                                    name="kpidefinition_unique_version"),
            # One version in force per series, and one open revision at a time.
            models.UniqueConstraint(fields=["partnership", "key"],
                                    condition=Q(status="agreed"),
                                    name="kpidefinition_one_agreed_per_key"),
            models.UniqueConstraint(fields=["partnership", "key"],
                                    condition=Q(status__in=("draft", "awaiting_signoff")),
                                    name="kpidefinition_one_open_version_per_key"),
        ]
        indexes = [models.Index(fields=["partnership", "created_at"],
                                name="kpidefinition_by_created"),
                   models.Index(fields=["partnership", "status", "name"]),
                   models.Index(fields=["partnership", "name"]),
                   models.Index(fields=["partnership", "frequency", "name"]),
                   GinIndex(fields=["search_document"], name="kpidefinition_search"),
                   trigram_index("name", "kpidefinition_name_trgm")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("metrics:kpidefinition_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.is_internal:
            errors["is_internal"] = "A KPI definition is agreed by both parties: both see it."
        thresholds = (self.target, self.amber_threshold, self.red_threshold)
        if None not in thresholds and self.direction:
            target, amber, red = thresholds
            if self.direction == self.Direction.HIGHER and not red < amber <= target:
                errors["amber_threshold"] = "Higher is better: the red threshold is below " \
                                            "the amber one, and amber at most the target."
            if self.direction == self.Direction.LOWER and not red > amber >= target:
                errors["amber_threshold"] = "Lower is better: the red threshold is above " \
                                            "the amber one, and amber at least the target."
        if errors:
            raise ValidationError(errors)

    def rag(self, value: decimal.Decimal | None) -> str | None:
        return rag_of(value, self.direction, self.amber_threshold, self.red_threshold)

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def is_ratio(self) -> bool:
        """A value counted per something ("per audit"): numerator ÷ denominator."""
        unit = self.unit.strip().lower()
        return unit == "ratio" or unit.startswith("per ")

    @property
    def ratio_factor(self) -> decimal.Decimal | None:
        """What numerator ÷ denominator is multiplied by to give the value: 100 for a
        percentage, 1 for a ratio, None for a unit whose value is not that quotient."""
        if self.is_percentage:
            return decimal.Decimal(100)
        return decimal.Decimal(1) if self.is_ratio else None

    @property
    def is_never_negative(self) -> bool:
        """A percentage, a ratio, a duration or a count is never below zero."""
        return self.ratio_factor is not None or \
            self.unit.strip().lower() in NEVER_NEGATIVE_UNITS

    def signoff_blocker(self) -> str | None:
        if self.status != self.Status.AWAITING_SIGNOFF:
            return "A definition is signed off once submitted for sign-off: this one is " \
                   f"{self.get_status_display().lower()}."
        return None

    def check_step(self, step: str) -> str:
        """The status `step` leads to from here; a ValidationError otherwise."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a KPI definition."})
        sources, target, label = self.STEPS[step]
        if self.status not in sources:
            raise ValidationError({"status": f"A definition that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        return target

    def steps_now(self) -> dict[str, str]:
        return {step: label for step, (sources, _t, label) in self.STEPS.items()
                if self.status in sources}
