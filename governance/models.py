"""Governance: how the two parties work together (DESIGN §3): action items, meetings,
decisions, formal requests, risks, notices, recognition and the feedback survey."""

import datetime
import uuid

from django.conf import settings
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
    SharedQuerySet,
    SharedRecord,
    Site,
)
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
    due_date = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices,
                                default=Priority.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    meeting = models.ForeignKey("Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_items", help_text="Source: a meeting.")
    request = models.ForeignKey("Request", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_items", help_text="Source: a request.")
    decision = models.ForeignKey("Decision", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="action_items", help_text="Source: a decision.")

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"]),
                   models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:actionitem_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.owner_id and self.partnership_id and not Membership.objects.filter(
                partnership_id=self.partnership_id, user_id=self.owner_id).exists():
            raise ValidationError({"owner": "The owner must be a member of this partnership."})

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
    first one by `series`, so every occurrence gets its own attendees and minutes."""

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
    starts_at = models.DateTimeField(help_text="In your time zone.")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True,
                                help_text="A room, or the video-call link.")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="meetings")
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.NONE)
    repeat_until = models.DateField(null=True, blank=True)
    series = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="occurrences", editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                           help_text="Stable iCalendar UID, so calendars update, not duplicate.")
    sequence = models.PositiveIntegerField(default=0, editable=False,
                                           help_text="iCalendar SEQUENCE, bumped on change.")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["partnership", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.recurrence != self.Recurrence.NONE and self.repeat_until and self.starts_at \
                and self.repeat_until < self.starts_at.date():
            raise ValidationError({"repeat_until": "The series cannot end before it starts."})

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


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
    decided_on = models.DateField()
    decided_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="decisions",
                                        help_text="The people who took the decision.")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="decisions")

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "decided_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.partnership_id, self.pk])


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

    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    requested_by_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                          editable=False)
    needed_by = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="assigned_requests",
                                 help_text="Who answers for the receiving party.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(default=timezone.now, editable=False)
    acknowledge_by = models.DateTimeField(
        editable=False, help_text="Sent time plus the agreed time to acknowledge.")
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    committed_date = models.DateField(null=True, blank=True)
    question = models.TextField(blank=True, help_text="The receiver's question, when queried.")
    answer = models.TextField(blank=True, help_text="The requester's answer to the question.")
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False)
    fulfilment_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
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

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "acknowledge_by"]),
                   models.Index(fields=["partnership", "urgency", "sent_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:request_detail", args=[self.partnership_id, self.pk])

    @property
    def receiving_party(self) -> str:
        return "cdmo" if self.requested_by_party == "sponsor" else "sponsor"

    def is_acknowledgement_late(self, now=None) -> bool:
        return self.status in (self.Status.SENT, self.Status.QUERIED) and \
            self.acknowledged_at is None and (now or timezone.now()) > self.acknowledge_by


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
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="risks",
                                        help_text="Tech-transfer milestones this risk threatens.")

    class Meta:
        ordering = ["-likelihood", "-impact", "pk"]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_detail", args=[self.partnership_id, self.pk])

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


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
    effective_date = models.DateField(null=True, blank=True)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:notice_detail", args=[self.partnership_id, self.pk])


class Recognition(SharedRecord):
    """A thank-you from a person to people or a team of the other party."""

    message = models.TextField()
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="recognitions")
    team = models.CharField(max_length=200, blank=True,
                            help_text="A team of the other party, instead of or besides people.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message[:60]


class SurveyResponse(models.Model):
    """One person's quarterly rating of the other party. Never shown one by one: results are
    averages per party and quarter, comments only once at least three people answered."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(help_text="First day of the quarter rated.")
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
