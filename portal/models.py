"""Notifications: the in-app bell and the e-mails, and each person's choice per kind.

They live in `portal` because every app sends them (a priority change in `partnership`, a
request in `governance`). A notification belongs to one partnership and is seen through
`Notification.objects.visible_to(user)`: only its recipient, and only while the recipient
may still see that partnership (DESIGN §2).
"""

from django.apps import apps
from django.conf import settings
from django.db import models

from portal.validation import validate_date_in_range


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        if not user.is_authenticated:
            return self.none()
        partnerships = apps.get_model("partnership", "Partnership").objects.visible_to(user)
        return self.filter(recipient=user, partnership__in=partnerships)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Kind(models.TextChoices):
    """What a notification is about; people choose a delivery per kind."""

    MEETING_SCHEDULED = "meeting_scheduled", "A meeting I attend is scheduled or changed"
    MEETING_MINUTES = "meeting_minutes", "Minutes of a meeting I attended"
    ACTION_ASSIGNED = "action_assigned", "An action is assigned to me"
    ACTION_OVERDUE = "action_overdue", "An action I own is overdue"
    DECISION_RECORDED = "decision_recorded", "A decision is recorded"
    REQUEST_RECEIVED = "request_received", "A request is sent to my party"
    REQUEST_UPDATED = "request_updated", "A request I follow changes status"
    REQUEST_LATE = "request_late", "A request is not acknowledged in time"
    EMERGENCY_OVER_BUDGET = "emergency_over_budget", "An emergency request goes over budget"
    RISK_ASSIGNED = "risk_assigned", "A risk is assigned to me or due for review"
    NOTICE_POSTED = "notice_posted", "The other party posts a strategic notice"
    NOTICE_ACKNOWLEDGED = "notice_acknowledged", "My party's notice is acknowledged"
    RECOGNITION = "recognition", "Someone thanks me or my team"
    SURVEY_OPEN = "survey_open", "The quarterly feedback survey opens"
    PRIORITY_CHANGED = "priority_changed", "The sponsor changes its priorities"
    PARTNERSHIP_SETTINGS = "partnership_settings", \
        "The other party changes the partnership's agreed settings"
    ESCALATED = "escalated", "An overdue item reaches my escalation level"
    LINK_REMOVED = "link_removed", \
        "The other party stops sharing a record that my party's record referred to"
    COMMUNICATION_CHANGED = "communication_changed", \
        "The other party changes the escalation path or the communication plan"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "In the app and by e-mail right away"
    DAILY_DIGEST = "daily_digest", "In the app, and by e-mail in a daily digest"
    OFF = "off", "Not at all"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, help_text="Path of the record, inside the portal.")
    record_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="+")
    record_id = models.PositiveBigIntegerField(
        null=True, blank=True,
        help_text="The record it is about, so that hiding the record (making it internal) "
                  "takes its notifications back from the other party.")
    event_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the thing it is about happens (a meeting's start), if it has a time: "
                  "stored in UTC, shown to each recipient in their own zone.",
        validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_in_range])
    delivery = models.CharField(max_length=12, choices=Delivery.choices,
                                help_text="The recipient's choice when it was sent.")
    emailed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="Set once by the job that sends it (alone or "
                                                "in a digest), so it is never sent twice.",
                                      validators=[validate_date_in_range])
    email_skipped = models.BooleanField(
        default=False,
        help_text="Set with emailed_at when its e-mail was dropped, not sent: by its turn "
                  "the recipient was deactivated or had lost the seat, so it is never mailed "
                  "later (not even if the seat comes back).")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"]),
                   # The bell's list: one person's, newest first (Meta.ordering).
                   models.Index(fields=["recipient", "-created_at", "-id"],
                                name="notification_newest_first"),
                   models.Index(fields=["delivery", "emailed_at"]),
                   models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's delivery for one kind; no row means 'immediately'."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices,
                                default=Delivery.IMMEDIATELY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="notification_preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"
