"""Deliverables an SOW promises, their acceptance criteria agreed up front, and the
receiving party's reviews against them."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.contracts.models import Contract
from partnership.parties.models import Organization, Partnership
from partnership.rules import FieldRules, FixedOnce, OwnedBy
from partnership.scoping import PartnershipChild, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


class Deliverable(SharedRecord, PartnershipChild):
    """Something an SOW promises, with acceptance criteria agreed before work starts (fitness
    for use, not only release specifications) and a decision against them on receipt."""

    PARENT = "sow"
    INTERNAL_VIA = ("sow",)

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned: agreeing criteria"
        IN_PROGRESS = "in_progress", "In progress"
        DELIVERED = "delivered", "Delivered: awaiting review"
        ACCEPTED = "accepted", "Accepted"

    WORKFLOW = Workflow({
        Status.PLANNED: {Status.IN_PROGRESS: "Criteria agreed: start work"},
        Status.IN_PROGRESS: {Status.DELIVERED: "Mark delivered"},
        # delivered → accepted, or back to in progress, only through a review
    })
    #: An accepted deliverable changes only with a reason (partnership.history.reasons).
    REASON_STATUSES = (Status.ACCEPTED,)
    #: The SOW a deliverable is owed under and the party that delivers it (the other party
    #: reviews it) are the word of the party that wrote the deliverable: otherwise the other
    #: party could take the work over (or hand it back) while criteria are being agreed, and
    #: lock that in by starting it. Once work has started they stay as agreed, for both:
    #: otherwise the party that delivers could make itself the reviewer and accept its own
    #: work. (Who starts the work, and who states the criteria: services.)
    FIELD_RULES = FieldRules(
        FixedOnce(("sow", "responsible_party"),
                  statuses=(Status.IN_PROGRESS, Status.DELIVERED, Status.ACCEPTED),
                  because="work has started, and it decides who delivers and who reviews"),
        OwnedBy(("sow", "responsible_party"), party=lambda deliverable: deliverable.author_party,
                because="the party that wrote the deliverable says under which SOW it is "
                        "owed and who delivers it"),
    )

    #: The receiving party's accepting review is signed (deliverable_review); a deliverable
    #: changed after acceptance may be signed again, for its new content.
    SIGNATURES = {
        "accepted": Signed(
            "Deliverable accepted",
            meanings={"approval": "Accepted: fit for its intended use against the agreed "
                                  "criteria",
                      "review": "Reviewed: each criterion checked against the delivery"},
            fields=("sow", "title", "description", "due_date", "responsible_party"),
            children={"criteria": ("text",)},
            parties=lambda deliverable: (deliverable.receiving_party,),
            ready=lambda deliverable: None if deliverable.status == "accepted" else
            "A deliverable is signed when the receiving party accepts it in its review."),
    }

    sow = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="deliverables",
                            verbose_name="SOW", limit_choices_to={"kind": Contract.Kind.SOW})
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField(validators=[validate_date_in_range])
    responsible_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                         default=Organization.Kind.CDMO)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    criteria_agreed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                              validators=[validate_date_in_range])
    rejection_count = models.PositiveIntegerField(default=0, editable=False)
    search_document = search_document_field("title", "description")

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"]),
                   GinIndex(fields=["search_document"], name="deliverable_search"),
                   trigram_index("title", "deliverable_title_trgm")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:deliverable_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.sow_id and self.partnership_id and (
                self.sow.partnership_id != self.partnership_id or
                self.sow.kind != Contract.Kind.SOW):
            raise ValidationError({"sow": "Choose a statement of work of this partnership."})

    @property
    def receiving_party(self) -> str:
        return "sponsor" if self.responsible_party == "cdmo" else "cdmo"

    @property
    def criteria_open(self) -> bool:
        """Criteria are stated while the deliverable is planned: starting the work agrees
        to them, and they stay as agreed."""
        return self.status == self.Status.PLANNED

    @property
    def awaiting_review(self) -> bool:
        return self.status == self.Status.DELIVERED

    @property
    def accepted_first_time(self) -> bool | None:
        if self.status != self.Status.ACCEPTED:
            return None
        return self.rejection_count == 0

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and \
            self.due_date < today


class AcceptanceCriterion(PartnershipChild):
    PARENT = "deliverable"
    INTERNAL_VIA = ("deliverable",)
    MADE_BY = ("created_by__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE,
                                    related_name="criteria")
    text = models.CharField("criterion", max_length=300,
                            help_text="What the receiving party will check, e.g. "
                                      "“purity ≥ 98 % by HPLC, usable for the tox study”.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "acceptance criteria"

    def __str__(self) -> str:
        return self.text


class DeliverableReview(PartnershipChild):
    """The receiving party's decision on a delivery, criterion by criterion."""

    PARENT = "deliverable"
    INTERNAL_VIA = ("deliverable",)
    MADE_BY = ("reviewed_by__organization",)

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE,
                                    related_name="reviews")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.deliverable}"


class CriterionResult(models.Model):
    review = models.ForeignKey(DeliverableReview, on_delete=models.CASCADE,
                               related_name="results")
    criterion = models.ForeignKey(AcceptanceCriterion, on_delete=models.PROTECT,
                                  related_name="results")
    met = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"],
                                               name="result_unique_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {'met' if self.met else 'not met'}"
