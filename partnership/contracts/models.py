"""Programs and contracts: a sponsor's programs in a partnership, and the agreements
between the two parties with their negotiation rounds and documents."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.parties.models import Organization, Partnership, Site
from partnership.rules import FieldRules, OwnedBy
from partnership.scoping import PartnershipChild, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.files import StoredFile
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


class Program(SharedRecord):
    """A sponsor's product or project as it runs in one partnership.

    A program split across several CDMOs has one record per partnership with the same code,
    so nothing of one CDMO's work is stored where another CDMO can reach it.
    """

    class Modality(models.TextChoices):
        SMALL_MOLECULE = "small_molecule", "Small molecule"
        BIOLOGIC = "biologic", "Biologic (mAb, protein)"
        ADC = "adc", "Antibody–drug conjugate"
        CELL_GENE = "cell_gene", "Cell and gene therapy"
        VACCINE = "vaccine", "Vaccine"
        OLIGONUCLEOTIDE = "oligonucleotide", "Oligonucleotide / peptide"

    class Phase(models.TextChoices):
        PRECLINICAL = "preclinical", "Preclinical"
        PHASE_1 = "phase_1", "Phase 1"
        PHASE_2 = "phase_2", "Phase 2"
        PHASE_3 = "phase_3", "Phase 3"
        COMMERCIAL = "commercial", "Commercial"

    code = models.CharField(max_length=30,
                            help_text="The sponsor's own code for the program, as its "
                                      "documents give it.")
    name = models.CharField(max_length=200)
    modality = models.CharField(max_length=20, choices=Modality.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    description = models.TextField(blank=True)
    sites = models.ManyToManyField(Site, blank=True, related_name="programs",
                                   help_text="The CDMO sites where this program runs.")
    search_document = search_document_field("name", "code", "description")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="program_unique_code"),
        ]
        indexes = [models.Index(fields=["partnership", "phase"]),
                   GinIndex(fields=["search_document"], name="program_search"),
                   trigram_index("name", "program_name_trgm"),
                   trigram_index("code", "program_code_trgm")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:program_detail", args=[self.partnership_id, self.pk])


class Contract(SharedRecord):
    """An agreement between the two parties, in a tree (an SOW under its MSA, amendments
    under what they amend), run from first draft through negotiation to execution."""

    class Kind(models.TextChoices):
        MSA = "msa", "Master services agreement"
        SOW = "sow", "Statement of work"
        QUALITY_AGREEMENT = "quality_agreement", "Quality agreement"
        CHANGE_ORDER = "change_order", "Change order"
        NDA = "nda", "Non-disclosure agreement"
        AMENDMENT = "amendment", "Amendment"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NEGOTIATION = "negotiation", "In negotiation"
        EXECUTED = "executed", "Executed"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    WORKFLOW = Workflow({
        Status.DRAFT: {Status.NEGOTIATION: "Start negotiation"},
        Status.NEGOTIATION: {Status.EXECUTED: "Mark executed", Status.DRAFT: "Back to draft"},
        Status.EXECUTED: {Status.EXPIRED: "Mark expired",
                          Status.TERMINATED: "Terminate the contract"},
    })
    #: The steps taken only by signature: a contract is executed once both parties have
    #: signed it (SIGNATURES), never by one party's button.
    SIGNED_STEPS = {Status.EXECUTED: "executed"}
    SIGNATURES = {
        "executed": Signed(
            "Contract executed",
            meanings={"approval": "Approved: I execute this contract on behalf of my "
                                  "organization",
                      "responsibility": "Responsible: I am authorized to bind my "
                                        "organization to these terms"},
            fields=("kind", "reference", "title", "parent", "effective_date", "expiry_date",
                    "renewal_notice_days"),
            children={"documents": ("name", "size")},
            # An internal contract (a party's own agreement kept here) is signed by its party.
            parties=lambda contract: (contract.author_party,) if contract.is_internal
            else ("sponsor", "cdmo"),
            roles=("lead",),
            ready=lambda contract: contract.execution_blocker(),
            complete="partnership.contracts.services.contract_execute"),
    }
    #: An executed contract changes only with a reason (partnership.history.reasons).
    REASON_STATUSES = (Status.EXECUTED, Status.EXPIRED, Status.TERMINATED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=40, help_text="The contract number both sides use.")
    title = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        help_text="The agreement this one sits under (an SOW's MSA, what an amendment amends).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    expiry_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    # Longer than any notice clause (a year or two at most): a bigger number is a typo, and
    # past 999,999,999 days the renewal notice date cannot even be computed.
    MAX_RENEWAL_NOTICE_DAYS = 3 * 365
    renewal_notice_days = models.PositiveIntegerField(
        default=90, validators=[MaxValueValidator(MAX_RENEWAL_NOTICE_DAYS)],
        help_text="Days before expiry by which renewal must be raised: at most "
                  f"{MAX_RENEWAL_NOTICE_DAYS} (three years).",
    )
    search_document = search_document_field("title", "reference")

    class Meta:
        ordering = ["reference"]
        # Unique among the contracts one party can see, never against the other party's
        # internal ones: else "this reference already exists" would tell a party the numbers
        # of contracts it may not see (DESIGN §2). Both parties see every shared contract;
        # the party that wrote an internal one sees all its own. (That no contract a party
        # sees shares the reference of another it sees is the service's check.)
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], condition=Q(is_internal=False),
                name="contract_unique_shared_reference",
                violation_error_message="Another contract of this partnership has this "
                                        "reference."),
            models.UniqueConstraint(
                fields=["partnership", "author_organization", "reference"],
                condition=Q(is_internal=True), name="contract_unique_internal_reference",
                violation_error_message="Another contract of this partnership has this "
                                        "reference."),
        ]
        indexes = [models.Index(fields=["partnership", "status", "expiry_date"]),
                   GinIndex(fields=["search_document"], name="contract_search"),
                   trigram_index("reference", "contract_ref_trgm"),
                   trigram_index("title", "contract_title_trgm")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:contract_detail", args=[self.partnership_id, self.pk])

    def _sits_under_itself(self) -> bool:
        """Whether the chosen parent is this contract or one beneath it (a loop)."""
        seen, ancestor = set(), self.parent
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == self.pk:
                return True
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        return False

    def clean(self) -> None:
        errors = {}
        if self.parent_id and self.partnership_id and \
                self.parent.partnership_id != self.partnership_id:
            errors["parent"] = "The parent contract must belong to the same partnership."
        if self.parent_id and self.pk and self._sits_under_itself():
            errors["parent"] = "A contract cannot sit under itself or under one of the " \
                               "contracts beneath it."
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = "The expiry date is before the effective date."
        if self.kind in (self.Kind.SOW, self.Kind.AMENDMENT, self.Kind.CHANGE_ORDER) and \
                not self.parent_id:
            errors["parent"] = f"A {self.get_kind_display().lower()} sits under another contract."
        if self.status == self.Status.EXECUTED and not self.effective_date:
            errors["effective_date"] = "An executed contract needs its effective date."
        if errors:
            raise ValidationError(errors)

    def execution_blocker(self) -> str | None:
        """Why the contract cannot be signed for execution now, or None. It is signed in
        negotiation; once executed, again only when a change made with a reason left its
        signatures no longer valid for its content (both parties sign what it says now)."""
        if self.status == self.Status.EXECUTED:
            from partnership.signatures.services import is_complete

            if is_complete(self, "executed"):
                return "This contract is executed and signed by both parties for its " \
                       "current content."
        elif self.status != self.Status.NEGOTIATION:
            return "A contract is signed for execution while it is in negotiation."
        if not self.effective_date:
            return "Give the contract its effective date before signing it: an executed " \
                   "contract needs one."
        return None

    @property
    def takes_rounds(self) -> bool:
        """Negotiation rounds are recorded while the contract is in negotiation."""
        return self.status == self.Status.NEGOTIATION

    @property
    def renewal_notice_date(self):
        if not self.expiry_date:
            return None
        return self.expiry_date - datetime.timedelta(days=self.renewal_notice_days)

    def in_notice_period(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.status == self.Status.EXECUTED and self.expiry_date is not None
                and self.renewal_notice_date <= today <= self.expiry_date)


class NegotiationRound(PartnershipChild):
    """One exchange of a contract draft: who sent it, when, and when the other side answered."""

    PARENT = "contract"
    INTERNAL_VIA = ("contract",)
    MADE_BY = ("sent_by",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(editable=False)
    sent_by = models.CharField("sent by", max_length=10, choices=Organization.Kind.choices)
    sent_on = models.DateField(validators=[validate_date_in_range])
    answered_on = models.DateField(null=True, blank=True,
                                   help_text="When the other party sent its answer.",
                                   validators=[validate_date_in_range])
    summary = models.TextField(help_text="What changed in this draft.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    #: Each party dates its own part of a round: the turnaround computed from the dates is
    #: held against the party that answered (the early warnings of DESIGN §3).
    FIELD_RULES = FieldRules(
        OwnedBy(("sent_on", "summary"), party=lambda round_: round_.sent_by,
                because="the party that sent a draft dates and describes it"),
        OwnedBy(("answered_on",), party=lambda round_: round_.answered_by,
                because="the party that answered dates its own answer"),
    )

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="round_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.contract.reference}"

    def clean(self) -> None:
        if self.answered_on and self.sent_on and self.answered_on < self.sent_on:
            raise ValidationError({"answered_on": "The answer cannot come before the draft."})

    @property
    def answered_by(self) -> str:
        return "cdmo" if self.sent_by == "sponsor" else "sponsor"

    @property
    def turnaround_days(self) -> int | None:
        return (self.answered_on - self.sent_on).days if self.answered_on else None


def contract_document_path(document, filename: str) -> str:
    return f"contracts/{document.partnership_id}/{document.contract_id}/{filename}"


class ContractDocument(PartnershipChild, StoredFile):
    """A file attached to a contract: checked by its content, kept with its SHA-256 in private
    storage (portal.files), served only by a scoped view."""

    PARENT = "contract"
    INTERNAL_VIA = ("contract",)
    MADE_BY = ("uploaded_by__organization",)

    ALLOWED_KINDS = ("pdf", "doc", "docx", "xls", "xlsx")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=contract_document_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:contractdocument_download",
                       args=[self.partnership_id, self.pk])
