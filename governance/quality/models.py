"""The audit programme: audits of a CDMO site by the sponsor (planned, confirmed by the
CDMO's QA lead, conducted, reported under the lead auditor's e-signature, answered, closed)
and the findings each one raises, answered by the CDMO and accepted or sent back by the
sponsor."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.quality.places import site_and_program_errors
from partnership.models import Partnership, Site
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field
from partnership.signatures.declarations import Signed
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


def _workflow_of_steps(steps: dict, statuses) -> Workflow:
    """The Workflow (status -> {next status: button}) of a table of named steps."""
    return Workflow({status: {target: label for sources, target, _who, label in steps.values()
                              if status in sources} for status in statuses})


#: Who takes a step, in words, for the refusal.
WHO = {
    "cdmo_qa": "the CDMO's QA lead (its lead, where it has none)",
    "cdmo": "the CDMO's QA lead or the audit's host",
    "team": "the lead auditor or the audit team",
    "sponsor_qa": "the lead auditor or the sponsor's QA lead",
}


class Audit(SharedRecord):
    """An audit of one of the CDMO's sites by the sponsor: who audits, who hosts, what it
    covers, when, and where it stands. Both parties always see it (a CDMO hosts every
    audit of its sites), so it is never internal."""

    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", "Qualification"
        ROUTINE = "routine", "Routine GMP"
        FOR_CAUSE = "for_cause", "For-cause"
        REMOTE = "remote", "Remote / desk-based"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        IN_PROGRESS = "in_progress", "In progress"
        REPORT_ISSUED = "report_issued", "Report issued"
        RESPONSES_RECEIVED = "responses_received", "Responses received"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.PLANNED, Status.CONFIRMED, Status.IN_PROGRESS, Status.REPORT_ISSUED,
            Status.RESPONSES_RECEIVED)
    #: Dates and people are settled by the QA leads until the audit starts.
    EDITABLE = (Status.PLANNED, Status.CONFIRMED)
    #: Findings are raised and corrected while the audit runs; the report signs them.
    RAISING = (Status.IN_PROGRESS,)
    #: The CDMO answers findings, and the sponsor reviews the answers, once the report is out.
    ANSWERING = (Status.REPORT_ISSUED, Status.RESPONSES_RECEIVED)

    # The workflow, declared once: step -> (from statuses, to status, who takes it, button).
    # The report is issued by the lead auditor's signature (SIGNED_STEPS), not a button.
    STEPS = {
        "confirm": ((Status.PLANNED,), Status.CONFIRMED, "cdmo_qa", "Confirm the dates"),
        "start": ((Status.CONFIRMED,), Status.IN_PROGRESS, "team", "Start the audit"),
        "submit_responses": ((Status.REPORT_ISSUED,), Status.RESPONSES_RECEIVED, "cdmo",
                             "Submit the responses"),
        "close": ((Status.RESPONSES_RECEIVED,), Status.CLOSED, "sponsor_qa",
                  "Close the audit"),
    }
    SIGNED_STEPS = {Status.REPORT_ISSUED: "report_issued"}
    WORKFLOW = _workflow_of_steps({**STEPS, "issue_report": (
        (Status.IN_PROGRESS,), Status.REPORT_ISSUED, "lead_auditor", "Issue the report"),
        # Cancelled by a QA lead before it starts, with a reason (quality.sites.services).
        "cancel": (EDITABLE, Status.CANCELLED, "qa_lead", "Cancel the audit")},
        Status.values)

    #: The report is issued by the lead auditor's e-signature; it binds the audit's scope
    #: and the findings as raised (their answers come later and are not part of it).
    SIGNATURES = {
        "report_issued": Signed(
            "Audit report issued",
            meanings={"approval": "Approved: I issue this audit report as lead auditor",
                      "authorship": "Authored: the report states what the audit found"},
            fields=("site", "kind", "scope", "planned_start", "planned_end", "lead_auditor",
                    "report_summary"),
            children={"findings": ("number", "classification", "title", "requirement",
                                   "evidence", "response_due")},
            parties=lambda audit: ("sponsor",),
            roles=("lead", "member", "qa_lead"),
            signers=lambda audit: (audit.lead_auditor_id,),
            ready=lambda audit: audit.report_blocker(),
            complete="governance.quality.services.audit_report_issue"),
    }

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="audits",
                             help_text="The CDMO site audited.")
    kind = models.CharField("type", max_length=14, choices=Kind.choices)
    scope = models.TextField(help_text="Areas, processes and systems the audit covers.")
    planned_start = models.DateField(validators=[validate_date_in_range])
    planned_end = models.DateField(validators=[validate_date_in_range])
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="audits_led",
                                     help_text="Of the sponsor; signs the report.")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                  related_name="audits_on_team",
                                  help_text="Other auditors of the sponsor.")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="audits_hosted",
                             help_text="Of the CDMO: who receives the auditors.")
    agenda = models.TextField(blank=True)
    report_summary = models.TextField(
        blank=True, help_text="The lead auditor's conclusion, signed with the report.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    opening_meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True,
                                        blank=True, editable=False, related_name="+")
    closing_meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True,
                                        blank=True, editable=False, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, editable=False, related_name="+")
    report_issued_at = models.DateTimeField(null=True, blank=True, editable=False,
                                            validators=[validate_date_in_range])
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range])
    # --- Cancelled before it started (quality.sites.services.audit_cancel) ---
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    cancel_reason = models.TextField(blank=True, editable=False,
                                     help_text="Why the audit was cancelled.")
    search_document = search_document_field("scope", "agenda", "report_summary")

    class Meta:
        ordering = ["-planned_start", "-pk"]
        # Each sort of the programme (portal.filters.OrderingFilter: column, then id) in a
        # partnership and, by default, across them: tests/perf/test_indexes.py.
        indexes = [models.Index(fields=["partnership", "created_at"], name="audit_by_created"),
                   models.Index(fields=["partnership", "planned_start", "id"],
                                name="audit_by_start"),
                   models.Index(fields=["partnership", "kind", "id"], name="audit_by_kind"),
                   models.Index(fields=["partnership", "status", "id"], name="audit_by_status"),
                   models.Index(fields=["planned_start", "id"], name="audit_all_by_start"),
                   models.Index(fields=["partnership", "status", "planned_start"]),
                   models.Index(fields=["partnership", "kind", "planned_start"]),
                   models.Index(fields=["partnership", "site", "planned_start"]),
                   GinIndex(fields=["search_document"], name="audit_search")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} audit of {self.site.name}, " \
               f"{self.planned_start:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:audit_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "The audit cannot end before it starts."
        errors.update(site_and_program_errors(self))
        if self.is_internal:
            errors["is_internal"] = "An audit is hosted by the CDMO: both parties see it."
        people = self.partnership.seated_people if self.partnership_id else None
        if people and self.lead_auditor_id and not people(party="sponsor").filter(
                pk=self.lead_auditor_id).exists():
            errors["lead_auditor"] = "The lead auditor is someone of the sponsor with a " \
                                     "seat in this partnership."
        if people and self.host_id and not people(party="cdmo").filter(
                pk=self.host_id).exists():
            errors["host"] = "The host is someone of the CDMO with a seat in this partnership."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_on_team(self, user) -> bool:
        """The lead auditor or one of the team (the team is prefetched by the selector)."""
        return user.pk == self.lead_auditor_id or any(
            member.pk == user.pk for member in self.team.all())

    def who_of(self, user) -> set[str]:
        """The parts of the workflow (STEPS' `who`) the user plays in this audit."""
        party = self.partnership.party_of(user)
        role = self.partnership.role_of(user)
        who = set()
        if party == "cdmo" and (role == "qa_lead" or (
                role == "lead" and not self._cdmo_has_qa_lead(user))):
            who |= {"cdmo_qa", "cdmo"}
        if party == "cdmo" and user.pk == self.host_id:
            who.add("cdmo")
        if party == "sponsor" and self.is_on_team(user):
            who.add("team")
        if party == "sponsor" and (user.pk == self.lead_auditor_id or role == "qa_lead"):
            who.add("sponsor_qa")
        return who

    def _cdmo_has_qa_lead(self, user) -> bool:
        """Whether the CDMO has a QA lead seated here: where it has none, its leads act
        for it (confirm the dates, hand in the responses), or no audit of a partnership
        without one could ever be confirmed. Read once per request and partnership (kept
        on the user object, like Partnership.hold_role_of)."""
        known = user.__dict__.setdefault("_cdmo_qa_seated", {})
        if self.partnership_id not in known:
            known[self.partnership_id] = self.partnership.seated_people(
                party="cdmo", roles=["qa_lead"]).exists()
        return known[self.partnership_id]

    def check_step(self, step: str, user) -> str:
        """The status `step` leads to, if `user` may take it now; else a ValidationError,
        whichever door (page, API) the step came through."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of an audit."})
        sources, target, who, label = self.STEPS[step]
        if self.status not in sources:
            raise ValidationError({"status": f"An audit that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if who not in self.who_of(user):
            raise ValidationError({"status": f"Only {WHO[who]} may "
                                             f"{label[0].lower()}{label[1:]}."})
        blocker = self.step_blocker(step)
        if blocker:
            raise ValidationError({"status": blocker})
        return target

    def step_blocker(self, step: str) -> str | None:
        """Why a step the workflow allows cannot be taken yet (the findings' answers)."""
        findings = list(self.findings.all())
        if step == "submit_responses" and any(f.needs_response for f in findings):
            return "Every finding but the observations needs its response first."
        if step == "close" and any(f.needs_review for f in findings):
            return "The sponsor accepts every response (observations aside) before closing."
        return None

    def steps_for(self, user) -> dict[str, str]:
        """{step: button label} the user may take now (writers only: views check)."""
        who = self.who_of(user)
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who}

    def report_blocker(self) -> str | None:
        """Why the report cannot be signed now, or None."""
        if self.status != self.Status.IN_PROGRESS:
            return "The report is issued once the audit is in progress, by the lead auditor."
        if not self.report_summary.strip():
            return "Write the report's summary before signing it."
        return None


class FindingQuerySet(SharedQuerySet):
    def awaiting_response(self) -> "FindingQuerySet":
        return self.filter(status__in=Finding.ANSWERABLE).exclude(
            classification=Finding.Classification.OBSERVATION)


class Finding(PartnershipChild):
    """A finding of an audit: its class, the requirement it cites and the evidence, raised
    by the auditors; the CDMO's response by its due date; the sponsor's acceptance of it
    (or its sending back, with why)."""

    PARENT = "audit"
    INTERNAL_VIA = ("audit",)
    MADE_BY = ("raised_by__organization",)

    class Classification(models.TextChoices):
        CRITICAL = "critical", "Critical"
        MAJOR = "major", "Major"
        MINOR = "minor", "Minor"
        OBSERVATION = "observation", "Observation"

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting response"
        RESPONDED = "responded", "Responded"
        SENT_BACK = "sent_back", "Sent back"
        ACCEPTED = "accepted", "Accepted"

    ANSWERABLE = (Status.OPEN, Status.SENT_BACK)
    STEPS = {
        "respond": (ANSWERABLE, Status.RESPONDED, "cdmo", "Respond to the finding"),
        "accept": ((Status.RESPONDED,), Status.ACCEPTED, "sponsor_qa", "Accept the response"),
        "send_back": ((Status.RESPONDED,), Status.SENT_BACK, "sponsor_qa",
                      "Send the response back"),
    }
    WORKFLOW = _workflow_of_steps(STEPS, Status.values)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField(editable=False)
    classification = models.CharField(max_length=12, choices=Classification.choices)
    title = models.CharField(max_length=200)
    requirement = models.CharField(
        "requirement cited", max_length=300,
        help_text="The regulation, guideline or procedure not met (EU GMP Annex 1 §8.8, "
                  "21 CFR 211.192, the site's SOP …).")
    evidence = models.TextField(help_text="What the auditors saw, read or were told.")
    response_due = models.DateField(null=True, blank=True, validators=[validate_date_in_range],
                                    help_text="When the CDMO's response is due (none for "
                                              "an observation, if no answer is needed).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", editable=False)
    raised_at = models.DateTimeField(default=timezone.now, editable=False,
                                     validators=[validate_date_in_range])
    response = models.TextField(blank=True, help_text="The CDMO's response: cause, "
                                                      "correction and the CAPA it commits to.")
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+", editable=False)
    responded_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    review_note = models.TextField(blank=True, help_text="The sponsor's word on the response "
                                                         "(why it was sent back).")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range])

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "audit", "number"],
                                               name="finding_unique_number")]
        indexes = [models.Index(fields=["partnership", "status", "response_due"]),
                   # The API's default order across partnerships (in one, the unique key).
                   models.Index(fields=["audit", "number"], name="finding_all_by_audit")]

    def __str__(self) -> str:
        return f"Finding {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        # Its own page (with its discussion); the audit's page lists it at #finding-<number>.
        return reverse("governance:finding_detail",
                       args=[self.partnership_id, self.audit_id, self.pk])

    def clean(self) -> None:
        if self.classification and self.classification != self.Classification.OBSERVATION \
                and self.response_due is None:
            raise ValidationError({"response_due": "Give the CDMO a date to respond by."})

    @property
    def needs_response(self) -> bool:
        return self.classification != self.Classification.OBSERVATION and \
            self.status in self.ANSWERABLE

    @property
    def needs_review(self) -> bool:
        return self.classification != self.Classification.OBSERVATION and \
            self.status != self.Status.ACCEPTED

    def is_response_late(self, today=None) -> bool:
        return self.needs_response and self.response_due is not None and \
            self.response_due < (today or timezone.localdate())

    def check_step(self, step: str, user) -> str:
        """The status `step` leads to, if `user` may take it now (the audit must be answered:
        its report issued, not yet closed)."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a finding."})
        sources, target, who, label = self.STEPS[step]
        if self.audit.status not in Audit.ANSWERING:
            raise ValidationError({"status": "Findings are answered and reviewed once the "
                                             "report is issued, until the audit is closed."})
        if self.status not in sources:
            raise ValidationError({"status": f"A finding that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if who not in self.audit.who_of(user):
            raise ValidationError({"status": f"Only {WHO[who]} may "
                                             f"{label[0].lower()}{label[1:]}."})
        return target

    def steps_for(self, user, who: set[str]) -> dict[str, str]:
        if self.audit.status not in Audit.ANSWERING:
            return {}
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who}
