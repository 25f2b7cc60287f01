"""The risk register (likelihood × impact on a 5 × 5 grid) and the reminder that a risk's
review date has come (told once per date)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from partnership.models import Milestone
from partnership.scoping import SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


class Risk(SharedRecord):
    """An entry of the risk register, scored likelihood × impact on a 5 × 5 grid."""

    class Category(models.TextChoices):
        CAPACITY = "capacity", "Capacity"
        SUPPLY = "supply", "Supply"
        QUALITY = "quality", "Quality"
        REGULATORY = "regulatory", "Regulatory"
        STRATEGIC = "strategic", "Strategic"
        FINANCIAL = "financial", "Financial"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    WORKFLOW = Workflow({Status.OPEN: {Status.CLOSED: "Close the risk"},
                         Status.CLOSED: {Status.OPEN: "Reopen the risk"}})
    OPEN = (Status.OPEN,)  # SharedQuerySet.open()
    SCALE = [MinValueValidator(1), MaxValueValidator(5)]

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=12, choices=Category.choices)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE,
                                                  help_text="1 rare – 5 almost certain.")
    impact = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 minor – 5 severe.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="risks")
    mitigation = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="risks",
                                        help_text="Tech-transfer milestones this risk threatens.")
    search_document = search_document_field("title", "description", "mitigation")

    class Meta:
        ordering = ["-likelihood", "-impact", "pk"]
        # Each sort of the register (portal.filters.OrderingFilter: column, then id) in a
        # partnership: tests/perf/test_indexes.py. The score is likelihood × impact.
        indexes = [models.Index(fields=["partnership", "created_at"], name="risk_by_created"),
                   models.Index(fields=["partnership", "status", "id"], name="risk_by_status"),
                   models.Index(fields=["partnership", "title", "id"], name="risk_by_title"),
                   models.Index(fields=["partnership", "category", "id"], name="risk_by_category"),
                   models.Index(fields=["partnership", "review_date", "id"],
                                name="risk_by_review"),
                   models.Index(F("partnership"), F("likelihood") * F("impact"), F("id"),
                                name="risk_by_score"),
                   models.Index(F("partnership"), (F("likelihood") * F("impact")).desc(),
                                F("impact").desc(), F("id"), name="risk_by_score_default"),
                   models.Index((F("likelihood") * F("impact")).desc(), F("impact").desc(),
                                F("id"), name="risk_all_by_score"),
                   GinIndex(fields=["search_document"], name="risk_search"),
                   trigram_index("title", "risk_title_trgm")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if not (self.owner_id and self.partnership_id):
            return
        # Any seat: a steering member may own a strategic risk that others mitigate.
        if not self.partnership.seated_people().filter(pk=self.owner_id).exists():
            raise ValidationError({"owner": "The owner must be a member of this partnership."})
        if self.is_internal and self.author_organization_id and \
                self.owner.organization_id != self.author_organization_id:
            raise ValidationError({"owner": "An internal risk is owned by someone of your own "
                                            "organization (the other party cannot see it)."})

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    # Bands of the score (likelihood × impact) for the badge and the heat map: 1–4 low
    # (green), 5–9 medium (amber), 10–16 high (orange), 20–25 critical (red). No product of
    # two numbers from 1 to 5 falls between 17 and 19, so the bands leave no gap.
    BANDS = (("low", "Low", 4), ("medium", "Medium", 9), ("high", "High", 16),
             ("critical", "Critical", 25))

    @classmethod
    def band_of(cls, score: int) -> tuple[str, str]:
        """(code, label) of the band a score falls in."""
        for code, label, upper in cls.BANDS:
            if score <= upper:
                return code, label
        return cls.BANDS[-1][:2]

    @classmethod
    def band_ranges(cls) -> list[tuple[str, str, int, int]]:
        """(code, label, lowest, highest score) of each band, for the heat map's legend;
        the lowest and highest are scores two numbers from 1 to 5 can actually make."""
        scores = sorted({likelihood * impact for likelihood in range(1, 6)
                         for impact in range(1, 6)})
        ranges, below = [], 0
        for code, label, upper in cls.BANDS:
            inside = [score for score in scores if below < score <= upper]
            ranges.append((code, label, inside[0], inside[-1]))
            below = upper
        return ranges

    @property
    def band(self) -> str:
        return self.band_of(self.score)[0]

    @property
    def band_label(self) -> str:
        return self.band_of(self.score)[1]

    def is_review_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.review_date is not None and \
            self.review_date < (today or timezone.localdate())


class RiskReviewReminder(models.Model):
    """One reminder per risk and review date, so the daily job reminds the owner once."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="+")
    review_date = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["risk", "review_date"],
                                               name="risk_one_reminder_per_review_date")]

    def __str__(self) -> str:
        return f"Review reminder for {self.risk} on {self.review_date}"
