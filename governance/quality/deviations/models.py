"""Deviations and CAPAs (DESIGN §3; 21 CFR 211.192, EU GMP Chapter 1.4(xiv), ICH Q10 §3.2.2)."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from governance.quality.agreement.models import QualityAgreement
from governance.quality.batches.models import Batch
from governance.quality.models import Finding, _workflow_of_steps
from governance.quality.places import site_and_program_errors
from governance.quality.qa import acts_for_quality, quality_signers
from partnership.models import Site
from partnership.scoping import SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.validation import validate_date_in_range

#: Who takes a step, in words, for the refusal.
WHO = {
    "cdmo": "the CDMO's people (a lead, member or QA lead)",
    "cdmo_qa": "the CDMO's QA lead (its lead, where it has none)",
    "sponsor_qa": "the sponsor's QA lead (its lead, where it has none)",
    "owner": "the CAPA's owner or their party's QA lead",
}


def _refusal(record, step: str, steps: dict, who: set[str], noun: str) -> str:
    """The status `step` leads to for someone playing `who`, or a ValidationError."""
    if step not in steps:
        raise ValidationError({"status": f"“{step}” is not a step of a {noun}."})
    sources, target, side, label = steps[step]
    if record.status not in sources:
        raise ValidationError({"status": f"A {noun} that is "
                                         f"{record.get_status_display().lower()} cannot take "
                                         f"the step “{label}”."})
    if side not in who:
        raise ValidationError({"status": f"Only {WHO[side]} may {label[0].lower()}{label[1:]}."})
    blocker = record.step_blocker(step)
    if blocker:
        raise ValidationError({"status": blocker})
    return target


class Classification(models.TextChoices):
    CRITICAL = "critical", "Critical"
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


class DeviationQuerySet(SharedQuerySet):
    def unnotified(self) -> "DeviationQuerySet":
        return self.filter(sponsor_notified_at__isnull=True)


#: A notice this much before the report is one the CDMO stated, not one the portal sent.
NOTICE_STATED_MARGIN = datetime.timedelta(minutes=5)


class Deviation(SharedRecord):
    """A departure from an approved procedure or specification at a CDMO site (or an
    out-of-specification / out-of-trend result, or a complaint), reported by the CDMO.

    Until the sponsor is notified the record is the CDMO's own (internal) and the quality
    agreement's clock runs, visible to the CDMO; notifying shares it with the sponsor. The
    deadline is fixed when it is reported, from the agreement then in force."""

    class Kind(models.TextChoices):
        DEVIATION = "deviation", "Deviation"
        OOS = "oos", "Out of specification (OOS)"
        OOT = "oot", "Out of trend (OOT)"
        COMPLAINT = "complaint", "Complaint"

    Classification = Classification

    class Status(models.TextChoices):
        OPEN = "open", "Reported"
        INVESTIGATING = "investigating", "Under investigation"
        CLOSURE_REQUESTED = "closure_requested", "Closure awaiting sponsor approval"
        CLOSED = "closed", "Closed"

    OPEN = (Status.OPEN, Status.INVESTIGATING, Status.CLOSURE_REQUESTED)
    STEPS = {
        "investigate": ((Status.OPEN,), Status.INVESTIGATING, "cdmo", "Start the investigation"),
        "request_closure": ((Status.INVESTIGATING,), Status.CLOSURE_REQUESTED, "cdmo_qa",
                            "Ask the sponsor to approve closure"),
        "close": ((Status.INVESTIGATING,), Status.CLOSED, "cdmo_qa", "Close the deviation"),
        "approve_closure": ((Status.CLOSURE_REQUESTED,), Status.CLOSED, "sponsor_qa",
                            "Approve the closure"),
        "send_back": ((Status.CLOSURE_REQUESTED,), Status.INVESTIGATING, "sponsor_qa",
                      "Send the closure back"),
    }
    WORKFLOW = _workflow_of_steps(STEPS, Status.values)

    reference = models.CharField(max_length=40, help_text="The CDMO's number (DEV-2291 …).")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="deviations")
    # The lot as a record of this partnership (its page lists the deviation, and a linked
    # deviation not closed holds its release), or, for a lot the portal does not record (a
    # supplier's lot, one made before the portal, a culture still running), its number.
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True,
                              db_index=False, related_name="deviations",
                              verbose_name="batch / lot",
                              help_text="The lot recorded in the portal, if it is.")
    lot = models.CharField("other lot", max_length=100, blank=True,
                           help_text="A lot not recorded as a batch here (a supplier's lot, "
                                     "a culture still running …).")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    classification = models.CharField(max_length=10, choices=Classification.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What happened, where, and what was done at once.")
    detected_at = models.DateTimeField(validators=[validate_date_in_range])
    sponsor_notified_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_date_in_range],
        help_text="When the sponsor was told (blank until then).")
    agreement = models.ForeignKey(QualityAgreement, on_delete=models.SET_NULL, null=True,
                                  blank=True, editable=False, related_name="+",
                                  help_text="The quality agreement in force when reported.")
    notify_by = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range],
                                     help_text="When the agreement's notice period ends.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    investigation = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    product_impact = models.TextField(blank=True)
    review_note = models.TextField(blank=True, help_text="The sponsor's word on the closure.")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range])
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, editable=False, related_name="+")
    search_document = search_document_field("reference", "title", "description", "lot")

    objects = DeviationQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"],
                                               name="deviation_unique_reference")]
        # Each sort of the list (portal.filters.OrderingFilter: column, then id) in a
        # partnership and, by default, across them: tests/perf/test_indexes.py.
        indexes = [models.Index(fields=["partnership", "created_at"], name="deviation_by_created"),
                   models.Index(fields=["partnership", "detected_at", "id"],
                                name="deviation_by_detected"),
                   models.Index(fields=["partnership", "reference", "id"],
                                name="deviation_by_reference"),
                   models.Index(fields=["partnership", "classification", "id"],
                                name="deviation_by_class"),
                   models.Index(fields=["partnership", "status", "id"],
                                name="deviation_by_status"),
                   models.Index(fields=["detected_at", "id"], name="deviation_all_by_detected"),
                   models.Index(fields=["partnership", "status", "detected_at"]),
                   models.Index(fields=["partnership", "kind", "detected_at"]),
                   models.Index(fields=["partnership", "classification", "detected_at"]),
                   # the batch filter, a lot's page and the PROTECT check on a lot
                   models.Index(fields=["batch", "detected_at"]),
                   # The QA desk: the deviations whose notification clock runs.
                   models.Index(fields=["partnership", "notify_by"],
                                condition=models.Q(sponsor_notified_at__isnull=True),
                                name="deviation_clock_running"),
                   GinIndex(fields=["search_document"], name="deviation_search"),
                   trigram_index("reference", "deviation_ref_trgm"),
                   trigram_index("title", "deviation_title_trgm")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:deviation_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = site_and_program_errors(self)
        if self.batch_id and self.partnership_id and \
                self.batch.partnership_id != self.partnership_id:
            errors["batch"] = "Choose a lot recorded in this partnership."
        if self.detected_at and self.sponsor_notified_at and \
                self.sponsor_notified_at < self.detected_at:
            errors["sponsor_notified_at"] = "The sponsor cannot be told before detection."
        elif self.sponsor_notified_at and self.sponsor_notified_at > timezone.now() + \
                datetime.timedelta(minutes=5):
            # A notice not given yet would count as given (and in time, or late) already.
            errors["sponsor_notified_at"] = "The sponsor is not told in the future."
        if self.detected_at and self.detected_at > timezone.now() + datetime.timedelta(
                minutes=5):
            errors["detected_at"] = "Detection is not in the future."
        if self.sponsor_notified_at and self.is_internal:
            errors["is_internal"] = "A deviation the sponsor was told of is shared with it."
        if errors:
            raise ValidationError(errors)

    def set_deadline(self, agreement: QualityAgreement | None) -> None:
        """The notice period of the agreement in force, from detection (none without one)."""
        self.agreement = agreement
        self.notify_by = (self.detected_at + agreement.notice_period(self.classification)
                          if agreement is not None and self.detected_at else None)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def notified_in_time(self) -> bool | None:
        """True / False once notified (None without a deadline or before notifying)."""
        if self.notify_by is None or self.sponsor_notified_at is None:
            return None
        return self.sponsor_notified_at <= self.notify_by

    @property
    def notice_stated_earlier(self) -> bool:
        """Whether the notice predates the report: the CDMO stated, when reporting, that
        the sponsor was told before (by telephone, e-mail). The portal cannot witness it,
        so the pages say so beside the verdict, with when it was reported."""
        return self.sponsor_notified_at is not None and self.created_at is not None and \
            self.sponsor_notified_at < self.created_at - NOTICE_STATED_MARGIN

    def is_notice_overdue(self, now=None) -> bool:
        return self.sponsor_notified_at is None and self.notify_by is not None and \
            self.notify_by < (now or timezone.now())

    @property
    def closure_needs_approval(self) -> bool:
        return self.agreement is None or self.agreement.closure_needs_sponsor_approval

    def who_of(self, user) -> set[str]:
        partnership = self.partnership
        party = partnership.party_of(user)
        who = set()
        if party == "cdmo":
            who.add("cdmo")
            if acts_for_quality(partnership, user, "cdmo"):
                who.add("cdmo_qa")
        if party == "sponsor" and acts_for_quality(partnership, user, "sponsor"):
            who.add("sponsor_qa")
        return who

    def step_blocker(self, step: str) -> str | None:
        if step in ("request_closure", "close"):
            if self.sponsor_notified_at is None:
                return "Notify the sponsor before closing the deviation."
            if not (self.root_cause.strip() and self.product_impact.strip()):
                return "Record the root cause and the product impact first."
            if step == "close" and self.closure_needs_approval:
                return "The quality agreement has the sponsor's QA lead approve the closure."
            if step == "request_closure" and not self.closure_needs_approval:
                return "The quality agreement lets the CDMO close it without approval."
        return None

    def check_step(self, step: str, user) -> str:
        return _refusal(self, step, self.STEPS, self.who_of(user), "deviation")

    def steps_for(self, user) -> dict[str, str]:
        who = self.who_of(user)
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who and not (
                    step in ("close", "request_closure") and
                    (step == "close") == self.closure_needs_approval)}


class CapaQuerySet(SharedQuerySet):
    def overdue(self, today=None) -> "CapaQuerySet":
        return self.filter(status__in=Capa.ACTIVE, due_date__lt=today or timezone.localdate())


class Capa(SharedRecord):
    """A corrective and preventive action, from an audit finding or a deviation (a complaint
    is a deviation of that type): root cause, plan, owner, due date; implemented by its
    owner's party, and closed only when the sponsor's QA lead verifies its effectiveness
    with an e-signature (ICH Q10 §3.2.2)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented, effectiveness check due"
        VERIFIED = "verified", "Effectiveness verified (closed)"

    OPEN = (Status.OPEN, Status.IN_PROGRESS, Status.IMPLEMENTED)
    #: Still being worked on: what is late once its due date passes.
    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)
    STEPS = {
        "start": ((Status.OPEN,), Status.IN_PROGRESS, "owner", "Start the CAPA"),
        "implement": ((Status.IN_PROGRESS,), Status.IMPLEMENTED, "owner",
                      "Mark the CAPA implemented"),
        "reopen": ((Status.IMPLEMENTED,), Status.IN_PROGRESS, "sponsor_qa",
                   "Not effective: reopen"),
    }
    SIGNED_STEPS = {Status.VERIFIED: "effectiveness_verified"}
    WORKFLOW = _workflow_of_steps({**STEPS, "verify": (
        (Status.IMPLEMENTED,), Status.VERIFIED, "sponsor_qa", "Verify effectiveness")},
        Status.values)

    #: Only the sponsor's QA lead (its lead where it seats none) verifies effectiveness; the
    #: signature binds the CAPA as implemented and the evidence of its effect.
    SIGNATURES = {
        "effectiveness_verified": Signed(
            "CAPA effectiveness verified",
            meanings={"approval": "Approved: I verify that this CAPA is effective",
                      "review": "Reviewed: the evidence shows the cause no longer recurs"},
            fields=("number", "title", "root_cause", "action_plan", "owner", "due_date",
                    "effectiveness_evidence"),
            parties=lambda capa: ("sponsor",),
            roles=("lead", "qa_lead"),
            signers=lambda capa: quality_signers(capa.partnership, "sponsor"),
            ready=lambda capa: capa.verify_blocker(),
            complete="governance.quality.deviations.services.capa_verify"),
    }

    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="capas", help_text="The audit finding it answers.")
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="capas",
                                  help_text="The deviation or complaint it answers.")
    root_cause = models.TextField()
    action_plan = models.TextField(help_text="Corrections, corrective and preventive actions, "
                                             "with their dates.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="capas_owned")
    due_date = models.DateField(validators=[validate_date_in_range])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    effectiveness_evidence = models.TextField(
        blank=True, help_text="What shows the action worked (trend, re-audit, checks), "
                              "written when it is implemented.")
    review_note = models.TextField(blank=True, help_text="Why the sponsor reopened it.")
    implemented_at = models.DateTimeField(null=True, blank=True, editable=False,
                                          validators=[validate_date_in_range])
    verified_at = models.DateTimeField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range])
    search_document = search_document_field("title", "root_cause", "action_plan")

    objects = CapaQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = "CAPA"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="capa_unique_number"),
            models.CheckConstraint(
                condition=models.Q(finding__isnull=True) ^ models.Q(deviation__isnull=True),
                name="capa_one_source"),
        ]
        indexes = [models.Index(fields=["partnership", "created_at"], name="capa_by_created"),
                   models.Index(fields=["partnership", "status", "due_date"]),
                   # Each sort of the list (portal.filters.OrderingFilter: column, then
                   # id) in a partnership and, by default, across them: tests/perf.
                   models.Index(fields=["partnership", "due_date", "id"], name="capa_by_due"),
                   models.Index(fields=["partnership", "number", "id"], name="capa_by_number"),
                   models.Index(fields=["partnership", "status", "id"], name="capa_by_status"),
                   models.Index(fields=["number"], name="capa_all_by_number"),
                   # The QA desk: open CAPAs by age.
                   models.Index(fields=["partnership", "status", "created_at"]),
                   GinIndex(fields=["search_document"], name="capa_search"),
                   trigram_index("title", "capa_title_trgm")]

    def __str__(self) -> str:
        return f"CAPA-{self.number:04d} {self.title}"

    @property
    def reference(self) -> str:
        return f"CAPA-{self.number:04d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:capa_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if bool(self.finding_id) == bool(self.deviation_id):
            errors["deviation"] = "A CAPA answers one audit finding or one deviation."
        for name in ("finding", "deviation"):
            source = getattr(self, name) if getattr(self, f"{name}_id") else None
            if source is not None and self.partnership_id and \
                    source.partnership_id != self.partnership_id:
                errors[name] = "Choose one of this partnership's."
        if self.is_internal:
            errors["is_internal"] = "A CAPA is followed by both parties: it is never internal."
        people = self.partnership.seated_people if self.partnership_id else None
        if people and self.owner_id and not people(roles=("lead", "member", "qa_lead")).filter(
                pk=self.owner_id).exists():
            errors["owner"] = "The owner is someone with a seat in this partnership who can " \
                              "act on it (a lead, member or QA lead)."
        if errors:
            raise ValidationError(errors)

    @property
    def source(self):
        return self.finding if self.finding_id else self.deviation

    @property
    def owning_party(self) -> str:
        return "sponsor" if self.owner.organization_id == self.partnership.sponsor_id \
            else "cdmo"

    def is_overdue(self, today=None) -> bool:
        return self.status in self.ACTIVE and self.due_date < (today or timezone.localdate())

    def who_of(self, user) -> set[str]:
        partnership = self.partnership
        who = set()
        if user.pk == self.owner_id or acts_for_quality(partnership, user, self.owning_party):
            who.add("owner")
        if acts_for_quality(partnership, user, "sponsor"):
            who.add("sponsor_qa")
        return who

    def step_blocker(self, step: str) -> str | None:
        return None  # implementing takes its evidence with it (capa_implement)

    def verify_blocker(self) -> str | None:
        if self.status != self.Status.IMPLEMENTED:
            return "Effectiveness is verified once the CAPA is implemented."
        return None

    def check_step(self, step: str, user) -> str:
        return _refusal(self, step, self.STEPS, self.who_of(user), "CAPA")

    def steps_for(self, user) -> dict[str, str]:
        who = self.who_of(user)
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who}


class CapaOverdueReminder(models.Model):
    """One 'this CAPA is overdue' per CAPA and due date: the job tells once (DESIGN §4)."""

    capa = models.ForeignKey(Capa, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["capa", "due_date"],
                                               name="capa_one_overdue_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"Overdue reminder for {self.capa} due {self.due_date}"
