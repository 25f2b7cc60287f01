"""Governance: how the two parties work together (DESIGN §3): action items, meetings,
decisions, formal requests, risks, notices, recognition and the feedback survey."""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.models import (
    Membership,
    Milestone,
    Organization,
    Partnership,
    Site,
)
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field
from portal.validation import moment_in_range, validate_date_in_range
from portal.workflow import Workflow


class ActionItem(SharedRecord):
    """Something one named person owes, by a date. The owning party is the owner's."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    WORKFLOW = Workflow({
        Status.OPEN: {Status.IN_PROGRESS: "Start", Status.DONE: "Mark done",
                      Status.CANCELLED: "Cancel"},
        Status.IN_PROGRESS: {Status.DONE: "Mark done", Status.CANCELLED: "Cancel"},
        Status.DONE: {Status.OPEN: "Reopen"},
        Status.CANCELLED: {Status.OPEN: "Reopen"},
    })
    CLOSED = (Status.DONE, Status.CANCELLED)

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="action_items")
    due_date = models.DateField(validators=[validate_date_in_range])
    priority = models.CharField(max_length=10, choices=Priority.choices,
                                default=Priority.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    meeting = models.ForeignKey("Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_items", help_text="Source: a meeting.")
    request = models.ForeignKey("Request", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_items", help_text="Source: a request.")
    decision = models.ForeignKey("Decision", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="action_items", help_text="Source: a decision.")
    search_document = search_document_field("title", "description")

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"]),
                   models.Index(fields=["owner", "status", "due_date"]),
                   GinIndex(fields=["search_document"], name="actionitem_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:actionitem_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.owner_id and self.partnership_id:
            self._check_owner()
        for name in ("meeting", "request", "decision"):
            source = getattr(self, name)
            if source is not None and self.partnership_id and \
                    source.partnership_id != self.partnership_id:
                raise ValidationError({name: "Choose a source of this partnership."})

    def _check_owner(self) -> None:
        """The owner moves the action along themselves (action_item_transition wants a
        writer), so viewers and steering members cannot own one; and only the authoring
        organization's people may own an internal action, since nobody else can see it."""
        seated = self.partnership.seated_people
        if not seated(roles=Membership.WRITING_ROLES).filter(pk=self.owner_id).exists():
            if not seated().filter(pk=self.owner_id).exists():
                raise ValidationError({"owner": "The owner must be a member of this "
                                                "partnership."})
            raise ValidationError({"owner": "The owner must be able to act on it: choose a "
                                            "lead, member or QA lead of this partnership "
                                            "(viewers and steering members only read)."})
        if self.is_internal and self.author_organization_id and \
                self.owner.organization_id != self.author_organization_id:
            raise ValidationError({"owner": "An internal action is owned by someone of your "
                                            "own organization (the other party cannot see "
                                            "it)."})

    @property
    def source(self):
        """Where the action came from (a meeting, request or decision), or None."""
        return self.meeting or self.request or self.decision

    @property
    def owning_party(self) -> str:
        return "sponsor" if self.owner.organization_id == self.partnership.sponsor_id \
            else "cdmo"

    def is_overdue(self, today=None) -> bool:
        return self.status not in self.CLOSED and \
            self.due_date < (today or timezone.localdate())


class Meeting(SharedRecord):
    """A meeting of the two parties. Stored in UTC; each viewer sees it in their own zone and
    at each party's main site. A recurring meeting is one row per occurrence, linked to the
    first one by `series`, so every occurrence gets its own attendees and minutes. Where a
    series ends is checked by services.meeting_occurrences, in the organizer's wall-clock
    date (the UTC date of an evening meeting west of UTC is already the next day)."""

    class Kind(models.TextChoices):
        WEEKLY_CHECK_IN = "weekly_check_in", "Weekly check-in"
        OPERATIONS_REVIEW = "operations_review", "Operations review"
        BUSINESS_REVIEW = "business_review", "Quarterly business review"
        STEERING_COMMITTEE = "steering_committee", "Steering committee"
        AUDIT_OPENING = "audit_opening", "Audit opening"
        AUDIT_CLOSING = "audit_closing", "Audit closing"

    class Recurrence(models.TextChoices):
        NONE = "none", "Does not repeat"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    WORKFLOW = Workflow({
        Status.SCHEDULED: {Status.HELD: "Mark held", Status.CANCELLED: "Cancel"},
        Status.HELD: {},
        Status.CANCELLED: {Status.SCHEDULED: "Reschedule"},
    })

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(help_text="In your time zone.",
                                     validators=[validate_date_in_range])
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text="From 5 minutes to 24 hours.")
    location = models.CharField(max_length=300, blank=True,
                                help_text="A room, or the video-call link.")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="meetings")
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.NONE)
    repeat_until = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    series = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="occurrences", editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                           help_text="Stable iCalendar UID, so calendars update, not duplicate.")
    sequence = models.PositiveIntegerField(default=0, editable=False,
                                           help_text="iCalendar SEQUENCE, bumped on change.")
    search_document = search_document_field("title", "agenda", "minutes", "location")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["partnership", "starts_at"]),
                   GinIndex(fields=["search_document"], name="meeting_search")]
        # The one time one party types that every viewer's page converts to their own zone
        # and adds the duration to: out of range, it would break both parties' meeting
        # pages, search and API lists, so the database refuses it whatever door it came by.
        constraints = [models.CheckConstraint(condition=moment_in_range("starts_at"),
                                              name="meeting_starts_at_in_range")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.partnership_id, self.pk])

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def has_started(self, now=None) -> bool:
        """Only a meeting that has started can be held and minuted."""
        return self.starts_at <= (now or timezone.now())


class CalendarFeed(models.Model):
    """A person's private calendar feed URL. The secret is in the URL because calendar apps
    cannot log in; replacing or revoking it makes the old URL answer 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Decision(SharedRecord):
    """What was decided, why, by whom, and in which meeting."""

    title = models.CharField(max_length=200)
    rationale = models.TextField(help_text="Why: the options weighed and the reason.")
    decided_on = models.DateField(validators=[validate_date_in_range])
    decided_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="decisions",
                                        help_text="The people who took the decision.")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="decisions")
    search_document = search_document_field("title", "rationale")

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "decided_on"]),
                   GinIndex(fields=["search_document"], name="decision_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.meeting is None or not self.partnership_id:
            return
        if self.meeting.partnership_id != self.partnership_id:
            raise ValidationError({"meeting": "Choose a meeting of this partnership."})


def _workflow_of_steps(steps: dict, statuses) -> Workflow:
    """The Workflow (status -> {next status: button}) of a table of named steps."""
    return Workflow({status: {target: label for sources, target, _side, label in steps.values()
                              if status in sources} for status in statuses})


class RequestQuerySet(SharedQuerySet):
    def late(self, now: datetime.datetime | None = None) -> "RequestQuerySet":
        """Requests waiting for acknowledgement past the agreed time: the rule of
        Request.is_acknowledgement_late, as a query (list filter, cockpit, late job)."""
        return self.filter(status=Request.Status.SENT, acknowledged_at__isnull=True,
                           acknowledge_by__lt=now or timezone.now())


class Request(SharedRecord):
    """A formal ask from one party to the other. The receiver must acknowledge it (accept with
    a committed date, or send back a question) within the partnership's agreed time."""

    class Kind(models.TextChoices):
        INFORMATION = "information", "Information"
        SAMPLE_PULL = "sample_pull", "Sample pull"
        TESTING = "testing", "Testing"
        DOCUMENT = "document", "Document"
        QUOTE = "quote", "Quote"
        CHANGE = "change", "Change"

    class Urgency(models.TextChoices):
        NORMAL = "normal", "Normal"
        URGENT = "urgent", "Urgent"
        EMERGENCY = "emergency", "Emergency"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        QUERIED = "queried", "Queried"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        FULFILLED = "fulfilled", "Fulfilled"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.SENT, Status.QUERIED, Status.ACKNOWLEDGED, Status.IN_PROGRESS,
            Status.FULFILLED)

    # The workflow, declared once: step -> (from statuses, to status, who takes it, button).
    # "requester" is the party that sent the request, "receiver" the other one. Answering a
    # query sends the request again, so the receiver's acknowledgement clock restarts then
    # (the receiver cannot acknowledge what it does not understand yet).
    STEPS = {
        "acknowledge": ((Status.SENT,), Status.ACKNOWLEDGED, "receiver", "Acknowledge"),
        "query": ((Status.SENT,), Status.QUERIED, "receiver", "Ask a question"),
        "answer": ((Status.QUERIED,), Status.SENT, "requester", "Answer the question"),
        "start": ((Status.ACKNOWLEDGED,), Status.IN_PROGRESS, "receiver", "Start work"),
        "fulfil": ((Status.ACKNOWLEDGED, Status.IN_PROGRESS), Status.FULFILLED, "receiver",
                   "Mark fulfilled"),
        "accept": ((Status.FULFILLED,), Status.ACCEPTED, "requester", "Accept"),
        "reopen": ((Status.FULFILLED,), Status.IN_PROGRESS, "requester", "Reopen"),
        "cancel": ((Status.SENT, Status.QUERIED, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
                   Status.CANCELLED, "requester", "Cancel request"),
    }
    WORKFLOW = _workflow_of_steps(STEPS, Status.values)
    #: Only the requester edits, and only before the receiver has committed to it.
    EDITABLE = (Status.SENT, Status.QUERIED)

    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    requested_by_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                          editable=False)
    needed_by = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="assigned_requests",
                                 help_text="Who answers for the receiving party.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(default=timezone.now, editable=False,
                                   validators=[validate_date_in_range])
    acknowledge_by = models.DateTimeField(
        editable=False, help_text="Sent time plus the agreed time to acknowledge.",
        validators=[validate_date_in_range])
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                           validators=[validate_date_in_range])
    committed_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    question = models.TextField(blank=True, help_text="The receiver's question, when queried.")
    answer = models.TextField(blank=True, help_text="The requester's answer to the question.")
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    fulfilment_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range])
    reopen_reason = models.TextField(blank=True)
    emergency_justification = models.TextField(
        blank=True, help_text="Required when the party's monthly emergency budget is spent.")
    over_emergency_budget = models.BooleanField(default=False, editable=False)
    relayed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="relays",
        editable=False,
        help_text="The request in another partnership of the same sponsor that this one "
                  "relays. Shown only to people who can see both.")
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="requests",
                                        help_text="Tech-transfer milestones waiting on it.")
    late_notified_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the receiving party's leads were told it is late; claimed by a "
                  "conditional UPDATE so the job tells them once per acknowledgement window.",
        validators=[validate_date_in_range])
    search_document = search_document_field("title", "description", "question", "answer",
                                            "fulfilment_note")

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "acknowledge_by"]),
                   models.Index(fields=["partnership", "urgency", "sent_at"]),
                   GinIndex(fields=["search_document"], name="request_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:request_detail", args=[self.partnership_id, self.pk])

    @property
    def receiving_party(self) -> str:
        return Partnership.other_party(self.requested_by_party)

    def is_acknowledgement_late(self, now=None) -> bool:
        """Sent and not yet acknowledged after the agreed time (RequestQuerySet.late). A
        queried request is not late: the receiver has answered with a question, and the
        clock restarts when the requester answers it."""
        return self.status == self.Status.SENT and self.acknowledged_at is None and \
            self.acknowledge_by < (now or timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def editable_by(self, user) -> bool:
        """Whether the user's party may still correct the request (writers only: views and
        services check the role)."""
        return self.side_of(user) == "requester" and self.status in self.EDITABLE

    def shows_justification_to(self, user, role: str | None) -> bool:
        """The written justification of an emergency is the sending party's, and goes to the
        steering committee once it is over budget; `role` is the user's in the partnership."""
        if not self.emergency_justification:
            return False
        return self.side_of(user) == "requester" or (
            self.over_emergency_budget and role == "steering")

    def side_of(self, user) -> str | None:
        """'requester' or 'receiver' for a person of one of the two parties, else None."""
        party = self.partnership.party_of(user)
        if party is None:
            return None
        return "requester" if party == self.requested_by_party else "receiver"

    def check_step(self, step: str, user) -> str:
        """The status `step` leads to, if `user`'s party may take it now; else a
        ValidationError, whichever door (page, API, admin) the step came through."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a request."})
        _sources, target, side, label = self.STEPS[step]
        self.WORKFLOW.check(self.status, target)
        if self.status not in self.STEPS[step][0]:
            raise ValidationError({"status": f"A request that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if self.side_of(user) != side:
            who = "the party that sent it" if side == "requester" else "the receiving party"
            raise ValidationError({"status": f"Only {who} may {label.lower()}."})
        return target

    def steps_for(self, user) -> dict[str, str]:
        """{step: button label} the user's party may take now (writers only: views check)."""
        side = self.side_of(user)
        return {step: label for step, (sources, _t, who, label) in self.STEPS.items()
                if self.status in sources and who == side}


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

    WORKFLOW = Workflow({Status.OPEN: {Status.CLOSED: "Close"},
                         Status.CLOSED: {Status.OPEN: "Reopen"}})
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
        indexes = [models.Index(fields=["partnership", "status"]),
                   GinIndex(fields=["search_document"], name="risk_search")]

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


class Notice(SharedRecord):
    """A strategic change one party posts (a site closure, a capability exit, a supply
    delay) and the other party must acknowledge."""

    class Kind(models.TextChoices):
        SITE_CLOSURE = "site_closure", "Site closure"
        CAPABILITY_EXIT = "capability_exit", "Capability exit"
        SUPPLY_DELAY = "supply_delay", "Supply delay"
        OTHER = "other", "Other strategic change"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    effective_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                           validators=[validate_date_in_range])
    search_document = search_document_field("title", "body")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [GinIndex(fields=["search_document"], name="notice_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:notice_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.site_id and self.author_organization_id and \
                self.site.organization_id != self.author_organization_id:
            raise ValidationError({"site": "Choose a site of your own organization."})

    @property
    def posting_party(self) -> str:
        """'sponsor' or 'cdmo': the party that posted it (its author organization's)."""
        return "sponsor" if self.author_organization_id == self.partnership.sponsor_id \
            else "cdmo"

    @property
    def receiving_party(self) -> str:
        return "cdmo" if self.posting_party == "sponsor" else "sponsor"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def may_acknowledge(self, user) -> bool:
        """Only the other party acknowledges (the poster's own side cannot), and only once."""
        return not self.is_acknowledged and user.organization_id is not None and \
            user.organization_id != self.author_organization_id and \
            self.partnership.party_of(user) == self.receiving_party


class Recognition(SharedRecord):
    """A thank-you from a person to people or a team of the other party."""

    message = models.TextField()
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="recognitions")
    team = models.CharField(max_length=200, blank=True,
                            help_text="A team of the other party, instead of or besides people.")
    # Searched by its team, a short label like a title (weight A), and its message.
    search_document = search_document_field("team", "message")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [GinIndex(fields=["search_document"], name="recognition_search")]

    def __str__(self) -> str:
        return self.message[:60]

    def get_absolute_url(self) -> str:
        return reverse("governance:recognition_list", args=[self.partnership_id])


class SurveyResponse(models.Model):
    """One person's quarterly rating of the other party. Never shown one by one: a party's
    results for a quarter (averages and comments) are published once the quarter has closed
    and at least MIN_FOR_DETAIL people answered, never before (governance.selectors)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(help_text="First day of the quarter rated.",
                               validators=[validate_date_in_range])
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    rated_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                   editable=False)
    communication = models.PositiveSmallIntegerField(validators=Risk.SCALE)
    responsiveness = models.PositiveSmallIntegerField(validators=Risk.SCALE)
    quality = models.PositiveSmallIntegerField(validators=Risk.SCALE)
    respect = models.PositiveSmallIntegerField(validators=Risk.SCALE)
    alignment = models.PositiveSmallIntegerField(validators=Risk.SCALE)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    DIMENSIONS = ("communication", "responsiveness", "quality", "respect", "alignment")
    MIN_FOR_DETAIL = 3

    class Meta:
        ordering = ["-quarter", "pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "quarter", "respondent"],
                                               name="survey_one_answer_per_quarter")]

    def __str__(self) -> str:
        return f"Survey {self.quarter:%Y-%m} by {self.respondent}"

    # How long after a quarter starts its survey invitations still go out (days).
    INVITATION_DAYS = 14

    @staticmethod
    def quarter_of(day: datetime.date) -> datetime.date:
        """First day of the calendar quarter `day` falls in."""
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

    @classmethod
    def current_quarter(cls) -> datetime.date:
        """Quarters are calendar quarters in UTC, the same for both parties' zones."""
        return cls.quarter_of(timezone.now().astimezone(datetime.UTC).date())

    @staticmethod
    def quarter_label(quarter: datetime.date) -> str:
        return f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"

    @staticmethod
    def previous_quarter(quarter: datetime.date) -> datetime.date:
        return SurveyResponse.quarter_of(quarter - datetime.timedelta(days=1))

    @staticmethod
    def quarter_end(quarter: datetime.date) -> datetime.date:
        """Last day of the quarter: the survey stays open, and its results unpublished,
        until then."""
        following = SurveyResponse.quarter_of(quarter + datetime.timedelta(days=92))
        return following - datetime.timedelta(days=1)


class SurveyInvitation(models.Model):
    """One 'the survey is open' notice per person, partnership and quarter: the unique key
    makes the daily job safe to run twice or to resume after being killed (DESIGN §4)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(validators=[validate_date_in_range])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "quarter", "user"],
                                               name="survey_one_invitation_per_quarter")]

    def __str__(self) -> str:
        return f"Survey {self.quarter:%Y-%m} invitation to {self.user}"


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


class ActionItemOverdueReminder(models.Model):
    """One 'your action is overdue' per action and due date: the job tells the owner once,
    and again only when a new due date passes too (DESIGN §4)."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "due_date"],
                                               name="action_one_overdue_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"Overdue reminder for {self.action} due {self.due_date}"


class RequestStep(PartnershipChild):
    """One step of a request's workflow (sent, acknowledged, queried …): who, when, and the
    words that came with it. The timeline of the request detail page."""

    PARENT = "request"
    INTERNAL_VIA = ("request",)
    MADE_BY = ("actor__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=12)
    status = models.CharField(max_length=12, choices=Request.Status.choices,
                              help_text="The status the step led to.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              null=True, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, validators=[validate_date_in_range])

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.step}"


class Escalation(PartnershipChild):
    """One step of an item up its partnership's escalation path (DESIGN §4): the level it
    reached, when, and the window it belongs to. Written only by
    services.escalations_advance; read on the item's page, in the API and in the admin.

    The level's number, name and days are copied from the path as it stood when the step
    was taken, so the history reads the same after the path is edited, and the wait before
    the next level is the one the people of this level were given.

    Two concrete models (one per kind of item) rather than one with two nullable foreign
    keys: `visible_to` follows INTERNAL_VIA with joins that drop rows whose parent is NULL,
    so a shared model with two optional parents would hide every row from everyone."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    level_name = models.CharField(max_length=100)
    days_allowed = models.PositiveSmallIntegerField(
        help_text="Days the item could wait at this level before moving up, as the path "
                  "said when it got there.")
    reached_at = models.DateTimeField(default=timezone.now, validators=[validate_date_in_range])

    objects = SharedQuerySet.as_manager()

    is_escalation = True  # tells a timeline's escalation steps from the request's own steps
    MADE_BY = ()  # the escalation job takes each step, on behalf of neither party

    class Meta:
        abstract = True
        ordering = ["reached_at", "level"]

    @property
    def at(self) -> datetime.datetime:
        """When the step happened, named like RequestStep.at so one timeline sorts both."""
        return self.reached_at

    @property
    def moves_up_at(self) -> datetime.datetime:
        return self.reached_at + datetime.timedelta(days=self.days_allowed)


class RequestEscalation(Escalation):
    """A request not acknowledged in time, one level up. Its window is the request's
    `acknowledge_by`: answering a query gives a new one, which escalates from level 1
    again; the unique key lets each step of a window happen once, however often (or
    however interrupted) the job runs."""

    PARENT = "request"
    INTERNAL_VIA = ("request",)

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="escalations")
    acknowledge_by = models.DateTimeField(help_text="The acknowledgement window escalated.",
                                          validators=[validate_date_in_range])

    class Meta(Escalation.Meta):
        constraints = [models.UniqueConstraint(
            fields=["request", "acknowledge_by", "level"],
            name="request_one_escalation_per_window_and_level")]

    def __str__(self) -> str:
        return f"{self.request}: level {self.level}"


class ActionItemEscalation(Escalation):
    """An action past its due date, one level up. Its window is the action's due date: a
    new due date that passes too escalates from level 1 again. An internal action's
    escalations are as internal as the action (INTERNAL_VIA)."""

    PARENT = "action"
    INTERNAL_VIA = ("action",)

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE,
                               related_name="escalations")
    due_date = models.DateField(help_text="The due date whose passing is escalated.",
                                validators=[validate_date_in_range])

    class Meta(Escalation.Meta):
        constraints = [models.UniqueConstraint(
            fields=["action", "due_date", "level"],
            name="action_one_escalation_per_due_date_and_level")]

    def __str__(self) -> str:
        return f"{self.action}: level {self.level}"
