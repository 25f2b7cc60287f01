"""What the partnership aims at: the sponsor's priority ranking with its history, and the
objectives both parties agreed with their reviews."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from partnership.parties.models import Partnership
from partnership.rules import FieldRules, OwnedBy
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range


class Priority(models.Model):
    """One line of the sponsor's current ranking of the work in a partnership."""

    #: A ranking longer than this ranks nothing (and its rank would outgrow the column).
    MAX_RANK = 50

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RANK)])
    title = models.CharField(max_length=200)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["partnership", "rank"],
                                               name="priority_unique_rank")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.title}"


class PriorityChange(models.Model):
    """History of the ranking: who changed it, when, why, and what it was before and after.
    The CDMO's members see the latest change announced on the partnership home."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"Priorities changed {self.changed_at:%Y-%m-%d} by {self.changed_by}"


class Objective(SharedRecord):
    """A goal both parties agreed for the partnership, reviewed in business reviews."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    title = models.CharField(max_length=200)
    measure_of_success = models.TextField(help_text="How both sides will know it is met.")
    sponsor_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    cdmo_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="CDMO owner")
    review_date = models.DateField(help_text="When it is next reviewed.",
                                   validators=[validate_date_in_range])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    search_document = search_document_field("title", "measure_of_success")

    #: Whoever creates an objective proposes an owner on each side; from then on each
    #: party names its own.
    FIELD_RULES = FieldRules(
        OwnedBy(("sponsor_owner",), party="sponsor", because="each party names its own owner"),
        OwnedBy(("cdmo_owner",), party="cdmo", because="each party names its own owner"),
    )

    class Meta:
        ordering = ["review_date", "title"]
        indexes = [GinIndex(fields=["search_document"], name="objective_search"),
                   trigram_index("title", "objective_title_trgm")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:objective_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if not self.partnership_id:
            return
        errors = {}
        if self.sponsor_owner_id and self.sponsor_owner.organization_id != \
                self.partnership.sponsor_id:
            errors["sponsor_owner"] = "Choose someone of the sponsor."
        if self.cdmo_owner_id and self.cdmo_owner.organization_id != self.partnership.cdmo_id:
            errors["cdmo_owner"] = "Choose someone of the CDMO."
        if errors:
            raise ValidationError(errors)


class ObjectiveReview(PartnershipChild):
    """One review of an objective (in a quarterly business review, say): the history."""

    PARENT = "objective"
    INTERNAL_VIA = ("objective",)
    MADE_BY = ("reviewed_by__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=10, choices=Objective.Status.choices)
    note = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.objective}: {self.get_status_display()}"
