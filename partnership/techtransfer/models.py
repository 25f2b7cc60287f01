"""Tech transfers of a program into a CDMO site, tracked by their standard milestones."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.contracts.models import Program
from partnership.deliverables.models import Deliverable
from partnership.parties.models import Partnership, Site
from partnership.rules import FieldRules, OwnedBy
from partnership.scoping import PartnershipChild, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range


class TechTransfer(SharedRecord, PartnershipChild):
    """A program moving into a CDMO site, tracked by its standard milestones."""

    PARENT = "program"
    INTERNAL_VIA = ("program",)

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="transfers")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="transfers",
                             help_text="The receiving CDMO site.")
    title = models.CharField(max_length=200)
    search_document = search_document_field("title")

    class Meta:
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_document"], name="techtransfer_search"),
                   trigram_index("title", "techtransfer_title_trgm")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:techtransfer_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if not self.partnership_id:
            return
        errors = {}
        if self.program_id and self.program.partnership_id != self.partnership_id:
            errors["program"] = "Choose a program of this partnership."
        if self.site_id and self.site.organization_id != self.partnership.cdmo_id:
            errors["site"] = "Choose a site of this partnership's CDMO."
        if errors:
            raise ValidationError(errors)


class Milestone(PartnershipChild):
    PARENT = "tech_transfer"
    # As internal as its tech transfer, and so as the transfer's program (scoping._flags).
    INTERNAL_VIA = ("tech_transfer",)
    #: Made with its transfer; each party's owner makes it that party's too (its plan,
    #: its dates and notes are theirs to keep up).
    MADE_BY = ("sponsor_owner__organization", "cdmo_owner__organization")

    class Kind(models.TextChoices):
        TRANSFER_PACKAGE = "transfer_package", "Transfer package"
        GAP_ASSESSMENT = "gap_assessment", "Gap assessment"
        METHOD_TRANSFER = "method_transfer", "Analytical method transfer"
        ENGINEERING_RUN = "engineering_run", "Engineering run"
        PPQ = "ppq", "Process performance qualification batches"
        HANDOVER = "handover", "Handover"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    tech_transfer = models.ForeignKey(TechTransfer, on_delete=models.CASCADE,
                                      related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(editable=False)
    sponsor_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+", null=True, blank=True)
    cdmo_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name="CDMO owner")
    planned_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    actual_date = models.DateField(null=True, blank=True, help_text="When it was completed.",
                                   validators=[validate_date_in_range])
    deliverables = models.ManyToManyField(Deliverable, blank=True, related_name="milestones",
                                          help_text="Deliverables this milestone depends on.")
    note = models.TextField(blank=True)

    #: Each party names its own owner of a milestone.
    FIELD_RULES = FieldRules(
        OwnedBy(("sponsor_owner",), party="sponsor", because="each party names its own owner"),
        OwnedBy(("cdmo_owner",), party="cdmo", because="each party names its own owner"),
    )

    class Meta:
        ordering = ["tech_transfer", "position"]
        constraints = [models.UniqueConstraint(fields=["tech_transfer", "kind"],
                                               name="milestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.tech_transfer})"

    def get_absolute_url(self) -> str:
        return reverse("partnership:techtransfer_detail",
                       args=[self.partnership_id, self.tech_transfer_id]) + f"#milestone-{self.pk}"

    def slip_days(self, today=None) -> int | None:
        """Days late: actual after planned, or planned passed and not done yet."""
        if not self.planned_date:
            return None
        end = self.actual_date or max(today or timezone.localdate(), self.planned_date)
        return (end - self.planned_date).days
