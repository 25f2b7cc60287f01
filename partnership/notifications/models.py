"""Notifications: the in-app bell and the e-mails, and each person's choice per kind.

Every app sends them (a priority change in `partnership`, a request in `governance`), so
they live in the base app. A notification belongs to one partnership and is seen through
`Notification.objects.visible_to(user)`: only its recipient, and only while the recipient
may still see that partnership (DESIGN §2). Its `kind` is a code that the sending app
registered in `portal.registries.notification_kinds`: a plain string, so a new kind needs
no migration.
"""

from django.conf import settings
from django.db import models

from portal.registries.notification_kinds import CODE_MAX_LENGTH
from portal.validation import validate_date_in_range


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        if not user.is_authenticated:
            return self.none()
        from partnership.models import Partnership  # the app's models import this module

        partnerships = Partnership.objects.visible_to(user)
        return self.filter(recipient=user, partnership__in=partnerships)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "In the app and by e-mail right away"
    DAILY_DIGEST = "daily_digest", "In the app, and by e-mail in a daily digest"
    OFF = "off", "Not at all"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    kind = models.CharField(max_length=CODE_MAX_LENGTH)
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
                   # The same in one partnership (the API's ?partnership=).
                   models.Index(fields=["recipient", "partnership", "-created_at", "-id"],
                                name="notification_in_partnership"),
                   models.Index(fields=["delivery", "emailed_at"]),
                   models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's delivery for one kind; no row means 'immediately'."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=CODE_MAX_LENGTH)
    delivery = models.CharField(max_length=12, choices=Delivery.choices,
                                default=Delivery.IMMEDIATELY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="notification_preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


class ReminderClaim(models.Model):
    """One reminder told to one person: of `kind`, about one record, for one window (the
    moment or date it is about: a meeting's start, a due date). The unique key makes each
    reminder happen once, whatever runs the sweep twice (beat restarted, two workers, a
    worker killed half-way): the claim is inserted in the notification's savepoint, and a
    moved deadline is a new window, so it reminds again."""

    kind = models.CharField(max_length=CODE_MAX_LENGTH)
    record_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                    related_name="+")
    record_id = models.PositiveBigIntegerField()
    window = models.CharField(max_length=40, help_text="The moment or date reminded of, "
                                                       "in ISO 8601 (UTC for a moment).")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["kind", "record_type", "record_id", "window", "recipient"],
            name="reminder_once_per_record_window_and_person")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_type_id}:{self.record_id} {self.window}"
