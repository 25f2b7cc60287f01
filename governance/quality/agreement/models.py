"""The quality agreement of a contract and its responsibility matrix (DESIGN §3; FDA
Quality Agreements guidance 2016, EU GMP Chapter 7)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from partnership.models import Contract, Partnership
from partnership.scoping import PartnershipChild, SharedQuerySet

#: The activities a new matrix starts with (ICH Q10 §2.7, EU GMP Chapter 7): each a row the
#: QA leads fill in; rows may be added.
STANDARD_ACTIVITIES = (
    "Supplier qualification and raw material testing",
    "Master batch record approval",
    "Batch record review",
    "Batch release / disposition",
    "Stability programme",
    "Complaints",
    "Deviation investigation",
    "OOS / OOT investigation",
    "Change control",
    "Subcontracting",
    "Regulatory inspections",
    "Recalls",
    "Annual product quality review",
)


class Part(models.TextChoices):
    """What a party does on an activity (RACI-like)."""

    NONE = "", "—"
    RESPONSIBLE = "responsible", "Responsible"
    APPROVES = "approves", "Approves"
    CONSULTED = "consulted", "Consulted"
    INFORMED = "informed", "Informed"


class ChangeClass(models.TextChoices):
    """How the agreement classes a CDMO change of one category (change control)."""

    APPROVAL = "approval", "Sponsor approval required"
    NOTIFY = "notify", "Notify only"


#: The categories of a CDMO change, each with the agreement's field that classes it and the
#: default of a new agreement: like-for-like equipment is notified, the rest approved.
CHANGE_CATEGORIES = (
    ("process", "Process", ChangeClass.APPROVAL),
    ("equipment", "Equipment", ChangeClass.NOTIFY),
    ("supplier", "Raw-material supplier", ChangeClass.APPROVAL),
    ("site", "Site", ChangeClass.APPROVAL),
    ("specification", "Specification", ChangeClass.APPROVAL),
    ("method", "Analytical method", ChangeClass.APPROVAL),
)
#: The agreement's fields that class changes, beside the notification deadlines.
CHANGE_TERMS = [f"change_{code}" for code, _label, _default in CHANGE_CATEGORIES]


def _change_field(label: str, default: str) -> models.CharField:
    return models.CharField(f"change of {label.lower()}", max_length=8,
                            choices=ChangeClass.choices, default=default)


class QualityAgreementQuerySet(SharedQuerySet):
    def in_force(self, partnership: Partnership | int) -> "QualityAgreement | None":
        """The agreement deviations are held to now: that of the executed, shared quality
        agreement (or amendment) of the partnership that took effect last."""
        return self.filter(partnership=partnership, contract__status=Contract.Status.EXECUTED,
                           contract__is_internal=False).select_related("contract").order_by(
            models.F("contract__effective_date").desc(nulls_last=True), "-pk").first()


class QualityAgreement(PartnershipChild):
    """The quality terms of one quality agreement contract (or of an amendment of one):
    notification deadlines, closure approval and the responsibility matrix (its rows).
    Edited by either party's QA lead while the contract is a draft or in negotiation; once
    executed it holds, and a change is an amendment with its own matrix."""

    PARENT = "contract"
    INTERNAL_VIA = ("contract",)
    MADE_BY = ()  # both parties' QA leads write it together

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    contract = models.OneToOneField(Contract, on_delete=models.PROTECT,
                                    related_name="quality_agreement",
                                    help_text="The quality agreement (or its amendment).")
    critical_notice_hours = models.PositiveSmallIntegerField(
        "critical: notify within (hours)", default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Hours from detection by which the CDMO tells the sponsor of a critical "
                  "deviation.")
    major_notice_days = models.PositiveSmallIntegerField(
        "major: notify within (days)", default=3,
        validators=[MinValueValidator(1), MaxValueValidator(90)])
    minor_notice_days = models.PositiveSmallIntegerField(
        "minor: notify within (days)", default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)])
    closure_needs_sponsor_approval = models.BooleanField(
        "deviation closure needs the sponsor QA lead's approval", default=True)
    # Change control: how each category of CDMO change is classed, and how long the sponsor
    # has to decide on one that needs its approval.
    change_process = _change_field("process", ChangeClass.APPROVAL)
    change_equipment = _change_field("equipment (like for like)", ChangeClass.NOTIFY)
    change_supplier = _change_field("raw-material supplier", ChangeClass.APPROVAL)
    change_site = _change_field("site", ChangeClass.APPROVAL)
    change_specification = _change_field("specification", ChangeClass.APPROVAL)
    change_method = _change_field("analytical method", ChangeClass.APPROVAL)
    change_decision_days = models.PositiveSmallIntegerField(
        "change decision within (days)", default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="Days from submission the sponsor has to decide on a change that needs "
                  "its approval.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QualityAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Quality agreement {self.contract.reference}"

    def get_absolute_url(self) -> str:
        return reverse("governance:qualityagreement_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        contract = self.contract if self.contract_id else None
        if contract is None:
            return
        kind = Contract.Kind
        if contract.kind != kind.QUALITY_AGREEMENT and not (
                contract.kind == kind.AMENDMENT and contract.parent_id is not None
                and contract.parent.kind == kind.QUALITY_AGREEMENT):
            raise ValidationError({"contract": "Choose a quality agreement, or an amendment "
                                               "of one."})
        if contract.is_internal:
            raise ValidationError({"contract": "A quality agreement binds both parties: "
                                               "choose a contract both see."})

    @property
    def is_editable(self) -> bool:
        return self.contract.status in (Contract.Status.DRAFT, Contract.Status.NEGOTIATION)

    def notice_period(self, classification: str) -> datetime.timedelta:
        """How long the CDMO has to tell the sponsor of a deviation of `classification`."""
        if classification == "critical":
            return datetime.timedelta(hours=self.critical_notice_hours)
        if classification == "major":
            return datetime.timedelta(days=self.major_notice_days)
        return datetime.timedelta(days=self.minor_notice_days)

    def change_class(self, category: str) -> str:
        """How this agreement classes a change of `category` (approval / notify)."""
        return getattr(self, f"change_{category}", ChangeClass.APPROVAL) or ChangeClass.APPROVAL

    def change_terms(self) -> list[tuple[str, str]]:
        """(category label, class label) per category, for the agreement's page."""
        return [(label, getattr(self, f"get_change_{code}_display")())
                for code, label, _default in CHANGE_CATEGORIES]

    def notice_words(self, classification: str) -> str:
        if classification == "critical":
            return f"{self.critical_notice_hours} hours"
        days = self.major_notice_days if classification == "major" else self.minor_notice_days
        return f"{days} day{'s' if days != 1 else ''}"


class Responsibility(PartnershipChild):
    """One row of the matrix: an activity and what each party does on it."""

    PARENT = "agreement"
    INTERNAL_VIA = ("agreement",)
    MADE_BY = ()

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(QualityAgreement, on_delete=models.CASCADE,
                                  related_name="responsibilities")
    position = models.PositiveSmallIntegerField(default=0)
    activity = models.CharField(max_length=120)
    sponsor = models.CharField("sponsor", max_length=12, choices=Part.choices, blank=True)
    cdmo = models.CharField("CDMO", max_length=12, choices=Part.choices, blank=True)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name_plural = "responsibilities"
        constraints = [models.UniqueConstraint(fields=["agreement", "activity"],
                                               name="responsibility_unique_activity")]

    def __str__(self) -> str:
        return self.activity

    @property
    def is_gap(self) -> bool:
        """No one is responsible for the activity."""
        return Part.RESPONSIBLE not in (self.sponsor, self.cdmo)

    @property
    def is_overlap(self) -> bool:
        """Both parties are responsible: who does it is not clear."""
        return self.sponsor == self.cdmo == Part.RESPONSIBLE
