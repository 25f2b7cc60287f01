"""Meetings of the two parties (one row per occurrence of a series), the decisions taken in
and outside them, and each person's private calendar feed."""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.scoping import PartnershipChild, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.validation import moment_in_range, validate_date_in_range
from portal.workflow import Workflow
from portal.zones import zoned_label


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
        Status.SCHEDULED: {Status.HELD: "Mark held", Status.CANCELLED: "Cancel meeting"},
        Status.HELD: {},
        Status.CANCELLED: {Status.SCHEDULED: "Reschedule"},
    })

    #: Minutes are approved by the signature of a writer of either party (of the party that
    #: wrote an internal meeting); once approved, a correction is a new version with a
    #: reason (MinutesVersion), which the minutes then need approving again.
    SIGNATURES = {
        "minutes_approved": Signed(
            "Minutes approved",
            meanings={"approval": "Approved: the minutes are a true record of the meeting",
                      "review": "Reviewed: I have read the minutes and have no objection"},
            fields=("title", "kind", "starts_at", "duration_minutes", "minutes"),
            parties=lambda meeting: (meeting.author_party,) if meeting.is_internal
            else ("sponsor", "cdmo"),
            all_parties=False,
            ready=lambda meeting: meeting.minutes_blocker()),
    }

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
        # Each sort of the list (portal.filters.OrderingFilter: column, then id) in a
        # partnership and, by default, across them: tests/perf/test_indexes.py.
        indexes = [models.Index(fields=["partnership", "created_at"], name="meeting_by_created"),
                   models.Index(fields=["partnership", "starts_at", "id"],
                                name="meeting_by_start"),
                   models.Index(fields=["partnership", "title", "id"], name="meeting_by_title"),
                   models.Index(fields=["partnership", "kind", "id"], name="meeting_by_kind"),
                   models.Index(fields=["partnership", "status", "id"], name="meeting_by_status"),
                   models.Index(fields=["starts_at", "id"], name="meeting_all_by_start"),
                   GinIndex(fields=["search_document"], name="meeting_search"),
                   trigram_index("title", "meeting_title_trgm")]
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

    def not_started_error(self, field: str) -> ValidationError:
        """What refuses to hold or minute a meeting before it has started."""
        return ValidationError({field: f"The meeting starts {zoned_label(self.starts_at)}: "
                                       "it is marked held and minuted once it has started."})

    def minutes_blocker(self) -> str | None:
        """Why the minutes cannot be approved now, or None."""
        if self.status != self.Status.HELD or not self.minutes.strip():
            return "Minutes are approved once the meeting is held and minuted."
        return None

    def next_statuses(self) -> dict[str, str]:
        """The steps its workflow offers now ({status: button label}): held only once it
        has started (services.meeting_transition refuses it before)."""
        started = self.has_started()
        return {status: label for status, label in self.WORKFLOW.next_statuses(self.status).items()
                if started or status != self.Status.HELD}


class MinutesVersion(PartnershipChild):
    """One version of a meeting's minutes, kept: each text recorded, and after approval
    each correction with its reason (Meeting.minutes holds the latest)."""

    PARENT = "meeting"
    INTERNAL_VIA = ("meeting",)
    MADE_BY = ("created_by__organization",)

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="minutes_versions")
    number = models.PositiveIntegerField(editable=False)
    text = models.TextField()
    reason = models.TextField(blank=True, help_text="Why approved minutes were corrected.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"],
                                               name="minutes_version_unique_number")]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}, version {self.number}"


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
        indexes = [models.Index(fields=["partnership", "created_at"], name="decision_by_created"),
                   models.Index(fields=["partnership", "decided_on"]),
                   GinIndex(fields=["search_document"], name="decision_search"),
                   trigram_index("title", "decision_title_trgm")]

    def __str__(self) -> str:
        return self.title

    def needs_reason_for_change(self) -> bool:
        """A decision, once logged, is the record of what was decided: rewriting it needs a
        reason, kept in its history (partnership.history.reasons)."""
        return True

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.meeting is None or not self.partnership_id:
            return
        if self.meeting.partnership_id != self.partnership_id:
            raise ValidationError({"meeting": "Choose a meeting of this partnership."})
