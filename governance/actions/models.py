"""Action items: something one named person owes, by a date, and the reminder that it is
overdue (told once per due date)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.models import Membership
from partnership.scoping import SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


class ActionItemQuerySet(SharedQuerySet):
    def overdue(self, today=None) -> "ActionItemQuerySet":
        """Open actions past their due date: the rule of ActionItem.is_overdue, as a query
        (the list's filter, the load across partnerships)."""
        return self.filter(due_date__lt=today or timezone.localdate()).exclude(
            status__in=ActionItem.CLOSED)


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
        Status.OPEN: {Status.IN_PROGRESS: "Start the action", Status.DONE: "Mark done",
                      Status.CANCELLED: "Cancel the action"},
        Status.IN_PROGRESS: {Status.DONE: "Mark done", Status.CANCELLED: "Cancel the action"},
        Status.DONE: {Status.OPEN: "Reopen the action"},
        Status.CANCELLED: {Status.OPEN: "Reopen the action"},
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

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        # Each sort of the list (portal.filters.OrderingFilter: column, then id), within
        # a partnership (the page, ?partnership= in the API) and across them (the API's
        # default order): tests/perf/test_indexes.py.
        indexes = [models.Index(fields=["partnership", "created_at"], name="action_by_created"),
                   models.Index(fields=["partnership", "status", "due_date"]),
                   # The open ones by due date, of a partnership (the home's Overdue and
                   # Awaiting me, Coming up) and of an owner (My work): read in order and
                   # stopped at the LIMIT, not sorted from a partnership's 14,000.
                   models.Index(fields=["partnership", "due_date", "id"], name="action_open_by_due",
                                condition=~models.Q(status__in=("done", "cancelled"))),
                   models.Index(fields=["owner", "due_date", "id"], name="action_open_by_owner",
                                condition=~models.Q(status__in=("done", "cancelled"))),
                   models.Index(fields=["owner", "status", "due_date"]),
                   models.Index(fields=["partnership", "due_date", "id"], name="action_by_due"),
                   models.Index(fields=["partnership", "title", "id"], name="action_by_title"),
                   models.Index(fields=["partnership", "priority", "id"],
                                name="action_by_priority"),
                   models.Index(fields=["partnership", "status", "id"], name="action_by_status"),
                   models.Index(fields=["due_date", "id"], name="action_all_by_due"),
                   GinIndex(fields=["search_document"], name="actionitem_search"),
                   trigram_index("title", "actionitem_title_trgm")]

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
