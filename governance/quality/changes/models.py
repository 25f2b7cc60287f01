"""Change controls: a change the CDMO makes that touches the sponsor's product, classed by
the quality agreement in force as needing the sponsor's approval (decided under its QA
lead's e-signature) or notice only (acknowledged), then implemented and closed."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from governance.quality.agreement.models import ChangeClass, QualityAgreement
from governance.quality.places import site_and_program_errors
from governance.quality.qa import acts_for_quality, quality_signers
from partnership.models import Program, Site
from partnership.scoping import SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.validation import validate_date_in_range
from portal.workflow import Workflow

#: Who takes a step, in words, for the refusal.
WHO = {
    "cdmo": "the CDMO",
    "cdmo_qa": "the CDMO's QA lead (its lead, where it seats none)",
    "sponsor_qa": "the sponsor's QA lead (its lead, where it seats none)",
}

SIGNED_FIELDS = ("reference", "site", "program", "category", "title", "description",
                 "rationale", "impact_quality", "impact_validation", "impact_regulatory",
                 "proposed_on", "classification", "decision_conditions")
#: decision -> (complete service's suffix, label, meaning).
DECISION_WORDS = {
    "approved": ("approve", "Change approved",
                 "Approved: the sponsor approves this change as assessed"),
    "approved_with_conditions": ("approve_with_conditions", "Change approved with conditions",
                                 "Approved with conditions: the sponsor approves this change "
                                 "on the conditions stated"),
    "rejected": ("reject", "Change rejected",
                 "Rejected: the sponsor does not approve this change; it is not to be "
                 "implemented"),
}


def _workflow(steps: dict, decisions: dict, statuses, *, draft: str,
              submitted: dict[str, str]) -> Workflow:
    """The Workflow of the steps' table and the signed decisions: a draft is submitted to
    one of two statuses (its class decides which)."""
    return Workflow({status: {
        **{target: label for sources, target, _who, label in steps.values()
           if status in sources and target},
        **(submitted if status == draft else {}),
        **{target: event for event, (sources, target) in decisions.items()
           if status in sources}} for status in statuses})


class ChangeControlQuerySet(SharedQuerySet):
    def decision_overdue(self, today) -> "ChangeControlQuerySet":
        """Awaiting the sponsor's decision past the agreement's due date."""
        return self.filter(status=ChangeControl.Status.AWAITING_DECISION,
                           decision_due__lt=today)


class ChangeControl(SharedRecord):
    """One CDMO change control as the sponsor follows it. Both parties always see it (the
    CDMO raises it, the sponsor decides on it), so it is never internal."""

    class Category(models.TextChoices):
        """As the quality agreement's change terms (agreement.models.CHANGE_CATEGORIES)."""

        PROCESS = "process", "Process"
        EQUIPMENT = "equipment", "Equipment"
        SUPPLIER = "supplier", "Raw-material supplier"
        SITE = "site", "Site"
        SPECIFICATION = "specification", "Specification"
        METHOD = "method", "Analytical method"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_DECISION = "awaiting_decision", "Awaiting the sponsor's decision"
        AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement", "Awaiting acknowledgement"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        REJECTED = "rejected", "Rejected"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IMPLEMENTED = "implemented", "Implemented"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.DRAFT, Status.AWAITING_DECISION, Status.AWAITING_ACKNOWLEDGEMENT,
            Status.APPROVED, Status.APPROVED_WITH_CONDITIONS, Status.ACKNOWLEDGED,
            Status.IMPLEMENTED)
    #: Before the sponsor has decided or acknowledged: the CDMO may still withdraw it.
    PENDING = (Status.DRAFT, Status.AWAITING_DECISION, Status.AWAITING_ACKNOWLEDGEMENT)
    #: Implemented only from here: approved (with or without conditions) or acknowledged.
    CLEARED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS, Status.ACKNOWLEDGED)

    # The steps, declared once: step -> (from statuses, to status, who, button). A change
    # is submitted to one of two statuses, as its class says (ChangeControl.submit_target).
    STEPS = {
        "submit": ((Status.DRAFT,), None, "cdmo_qa", "Submit to the sponsor"),
        "acknowledge": ((Status.AWAITING_ACKNOWLEDGEMENT,), Status.ACKNOWLEDGED, "sponsor_qa",
                        "Acknowledge the change"),
        "implement": (CLEARED, Status.IMPLEMENTED, "cdmo", "Mark implemented"),
        "close": ((Status.IMPLEMENTED,), Status.CLOSED, "cdmo_qa", "Close the change control"),
        "withdraw": (PENDING, Status.WITHDRAWN, "cdmo_qa", "Withdraw the change"),
    }
    #: The sponsor's decisions are signed (SIGNATURES), never a button: event -> (from, to).
    DECISIONS = {
        "approved": ((Status.AWAITING_DECISION,), Status.APPROVED),
        "approved_with_conditions": ((Status.AWAITING_DECISION,),
                                     Status.APPROVED_WITH_CONDITIONS),
        "rejected": ((Status.AWAITING_DECISION,), Status.REJECTED),
    }
    WORKFLOW = _workflow(STEPS, DECISIONS, Status.values, draft=Status.DRAFT, submitted={
        Status.AWAITING_DECISION: "Submit for the sponsor's decision",
        Status.AWAITING_ACKNOWLEDGEMENT: "Submit for acknowledgement"})

    SIGNATURES = {event: Signed(
        label, meanings={"approval": meaning}, fields=SIGNED_FIELDS,
        parties=lambda change: ("sponsor",), roles=("lead", "qa_lead"),
        signers=lambda change: quality_signers(change.partnership, "sponsor"),
        ready=lambda change, event=event: change.decision_blocker(event),
        complete=f"governance.quality.changes.services.change_control_{service}")
        for event, (service, label, meaning) in DECISION_WORDS.items()}

    reference = models.CharField(max_length=40, help_text="The CDMO's change control number, "
                                                          "e.g. CC-2026-041.")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="change_controls",
                             help_text="The CDMO site the change is made at.")
    # Required when raised (form and API), but may be emptied, as a lot's program may be
    # (Batch.program): the sponsor may later make the program internal.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="change_controls")
    category = models.CharField(max_length=16, choices=Category.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What changes, from what to what.")
    rationale = models.TextField(help_text="Why the CDMO makes the change.")
    impact_quality = models.TextField("impact on product quality", blank=True)
    impact_validation = models.TextField("impact on validation", blank=True)
    impact_regulatory = models.TextField("regulatory filing impact", blank=True)
    proposed_on = models.DateField("proposed implementation date",
                                   validators=[validate_date_in_range])
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    classification = models.CharField(
        max_length=8, choices=ChangeClass.choices, blank=True, editable=False,
        help_text="From the quality agreement in force when submitted.")
    agreement = models.ForeignKey(QualityAgreement, on_delete=models.SET_NULL, null=True,
                                  blank=True, editable=False, related_name="+",
                                  help_text="The quality agreement in force when submitted.")
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False,
                                  validators=[validate_date_in_range])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, editable=False, related_name="+")
    decision_due = models.DateField("decision due", null=True, blank=True, editable=False,
                                    validators=[validate_date_in_range])
    decision_conditions = models.TextField("conditions of the approval", blank=True,
                                           editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, editable=False, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, editable=False,
                                  validators=[validate_date_in_range])
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, editable=False,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                  validators=[validate_date_in_range])
    implemented_on = models.DateField(null=True, blank=True, editable=False,
                                      validators=[validate_date_in_range])
    implemented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, editable=False,
                                       related_name="+")
    implementation_evidence = models.TextField(blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                  validators=[validate_date_in_range])
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, editable=False, related_name="+")
    withdrawn_reason = models.TextField(blank=True, editable=False)
    search_document = search_document_field("reference", "title", "description", "rationale")

    objects = ChangeControlQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"],
                                               name="changecontrol_unique_reference")]
        indexes = [models.Index(fields=["partnership", "created_at"]),
                   models.Index(fields=["partnership", "status", "created_at"]),
                   models.Index(fields=["partnership", "category", "created_at"]),
                   models.Index(fields=["partnership", "classification", "created_at"]),
                   models.Index(fields=["partnership", "site", "created_at"]),
                   models.Index(fields=["partnership", "reference"]),
                   models.Index(fields=["partnership", "proposed_on"]),
                   models.Index(fields=["partnership", "decision_due"]),
                   models.Index(fields=["partnership", "status", "decision_due"]),
                   models.Index(fields=["status", "decision_due"]),
                   GinIndex(fields=["search_document"], name="changecontrol_search"),
                   trigram_index("reference", "changecontrol_ref_trgm"),
                   trigram_index("title", "changecontrol_title_trgm")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:changecontrol_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = site_and_program_errors(self)
        if self.is_internal:
            errors["is_internal"] = "A change control is the CDMO's notice to the sponsor: " \
                                    "both parties see it."
        if self.status == self.Status.APPROVED_WITH_CONDITIONS and \
                not self.decision_conditions.strip():
            errors["decision_conditions"] = "State the conditions of the approval."
        if self.implemented_on and self.implemented_on > timezone.localdate():
            errors["implemented_on"] = "A change is marked implemented once it is: the date " \
                                       "is past."
        if errors:
            raise ValidationError(errors)

    # --- classification -------------------------------------------------------------------

    @property
    def needs_approval(self) -> bool:
        return self.classification != ChangeClass.NOTIFY

    def classify(self, agreement: QualityAgreement | None) -> None:
        """The class and decision due date under `agreement` (in force at submission); with
        none, the sponsor's approval is required (the safe side) within 30 days."""
        self.agreement = agreement
        self.classification = agreement.change_class(self.category) if agreement \
            else ChangeClass.APPROVAL
        if self.classification == ChangeClass.APPROVAL:
            days = agreement.change_decision_days if agreement else 30
            self.decision_due = timezone.localdate() + datetime.timedelta(days=days)
        else:
            self.decision_due = None

    def submit_target(self) -> str:
        return self.Status.AWAITING_DECISION if self.needs_approval else \
            self.Status.AWAITING_ACKNOWLEDGEMENT

    def classification_source(self, agreement_now: QualityAgreement | None = None) -> str:
        """Where the class came from, in words (or would come from, before submission)."""
        agreement = self.agreement if self.submitted_at else agreement_now
        category = self.get_category_display().lower()
        if agreement is None:
            return "No quality agreement was in force: the sponsor's approval is required " \
                   "(the safe side)." if self.submitted_at else \
                "No quality agreement is in force: on submission the sponsor's approval " \
                "will be required (the safe side)."
        classed = dict(ChangeClass.choices)[agreement.change_class(self.category)]
        tense = "classes" if self.submitted_at else "would class"
        return f"{agreement} {tense} a change of {category} as “{classed.lower()}”."

    @property
    def is_decision_overdue(self) -> bool:
        return self.status == self.Status.AWAITING_DECISION and self.decision_due is not None \
            and self.decision_due < timezone.localdate()

    # --- who takes which step -------------------------------------------------------------

    def who_of(self, user) -> set[str]:
        partnership = self.partnership
        party = partnership.party_of(user)
        who = {party} if party == "cdmo" else set()
        return who | {name for name, side in (("cdmo_qa", "cdmo"), ("sponsor_qa", "sponsor"))
                      if acts_for_quality(partnership, user, side)}

    def check_step(self, step: str, user) -> str:
        """The status a step leads to, if `user` may take it now; else a ValidationError,
        whichever door (page, API) it came through."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a change control."})
        sources, target, who, label = self.STEPS[step]
        if self.status not in sources:
            if step == "implement" and self.status == self.Status.AWAITING_DECISION:
                raise ValidationError({"status": "This change needs the sponsor's approval: "
                                                 "it is implemented only once the sponsor's "
                                                 "QA lead has signed an approval."})
            raise ValidationError({"status": f"A change control that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if who not in self.who_of(user):
            raise ValidationError({"status": f"Only {WHO[who]} may "
                                             f"{label[0].lower()}{label[1:]}."})
        return target or self.submit_target()

    def steps_for(self, user) -> dict[str, str]:
        who = self.who_of(user)
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who}

    def decision_blocker(self, event: str) -> str | None:
        """Why the change cannot take the decision `event` now, or None."""
        sources, _target = self.DECISIONS[event]
        if self.status not in sources:
            if self.status == self.Status.AWAITING_ACKNOWLEDGEMENT:
                return "A notify-only change is acknowledged, not decided."
            return f"A change control that is {self.get_status_display().lower()} awaits " \
                   "no decision."
        if event == "approved_with_conditions" and not self.decision_conditions.strip():
            return "State the conditions first, then sign the approval with conditions."
        return None

    def decisions_for(self, user) -> list[str]:
        """The decisions the user may sign now (the page's buttons)."""
        if self.status != self.Status.AWAITING_DECISION or \
                user.pk not in quality_signers(self.partnership, "sponsor"):
            return []
        return [event for event in self.DECISIONS if self.decision_blocker(event) is None]


class ChangeDecisionReminder(models.Model):
    """One 'a decision is overdue' per change control and due date: the job tells once."""

    change_control = models.ForeignKey(ChangeControl, on_delete=models.CASCADE,
                                       related_name="+")
    due_date = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["change_control", "due_date"],
            name="changecontrol_one_decision_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"Decision reminder for {self.change_control} due {self.due_date}"
