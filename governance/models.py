"""Governance: how the two parties work together (DESIGN §3). Action items so far; meetings,
decisions, requests, quality oversight and risks come with issue 4."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.models import Membership, SharedRecord
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
