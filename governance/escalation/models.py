"""Escalation steps: a late request or an overdue action one level up its partnership's
escalation path, recorded once per item, window and level."""

import datetime

from django.db import models
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.quality.deviations.models import Capa
from governance.requests.models import Request
from partnership.models import Partnership
from partnership.scoping import PartnershipChild, SharedQuerySet
from portal.validation import validate_date_in_range


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


class CapaEscalation(Escalation):
    """A CAPA past its due date (still open or in progress), one level up. Its window is
    the CAPA's due date, as for an action: a new due date escalates from level 1 again."""

    PARENT = "capa"
    INTERNAL_VIA = ("capa",)

    capa = models.ForeignKey(Capa, on_delete=models.CASCADE, related_name="escalations")
    due_date = models.DateField(help_text="The due date whose passing is escalated.",
                                validators=[validate_date_in_range])

    class Meta(Escalation.Meta):
        constraints = [models.UniqueConstraint(
            fields=["capa", "due_date", "level"],
            name="capa_one_escalation_per_due_date_and_level")]

    def __str__(self) -> str:
        return f"{self.capa}: level {self.level}"
