"""How the two parties talk: points of contact per function, the communication plan and the
escalation path its jobs follow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from partnership.parties.models import Organization, Partnership
from partnership.scoping import SharedQuerySet


class Function(models.TextChoices):
    PROJECT = "project", "Project management"
    QUALITY = "quality", "Quality"
    SUPPLY = "supply", "Supply chain"
    FINANCE = "finance", "Finance"
    TECHNICAL = "technical", "Technical / MSAT"
    REGULATORY = "regulatory", "Regulatory"


class PointOfContact(models.Model):
    """Who to call for a function on one side of the partnership, and who stands in."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    party = models.CharField(max_length=10, choices=Organization.Kind.choices)
    function = models.CharField(max_length=12, choices=Function.choices)
    primary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["function", "-party"]
        constraints = [models.UniqueConstraint(fields=["partnership", "party", "function"],
                                               name="contact_unique_function")]

    def __str__(self) -> str:
        return f"{self.get_function_display()} ({self.party}): {self.primary}"

    def clean(self) -> None:
        if not self.partnership_id:
            return
        seated = set(self.partnership.seated_people(party=self.party).filter(
            pk__in=[self.primary_id, self.backup_id]).values_list("pk", flat=True))
        errors = {}
        if self.primary_id and self.primary_id not in seated:
            errors["primary"] = "Choose a member of this partnership from that party."
        if self.backup_id and self.backup_id not in seated:
            errors["backup"] = "Choose a member of this partnership from that party."
        if self.backup_id and self.backup_id == self.primary_id:
            errors["backup"] = "The backup must be someone else."
        if errors:
            raise ValidationError(errors)


class CommunicationPlan(models.Model):
    """Ground rules and meeting cadence both parties agreed; one per partnership."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="communication_plan")
    ground_rules = models.TextField(blank=True, help_text="How the two teams work together.")
    meeting_cadence = models.TextField(blank=True,
                                       help_text="Which meetings, how often, who attends.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership"]

    def __str__(self) -> str:
        return f"Communication plan of {self.partnership}"


class EscalationLevel(models.Model):
    """One step of the escalation path: who handles an item there and how long it may wait
    before it moves up (used by the escalation jobs)."""

    # A path is a few levels up to the steering committee, and an item that may wait more
    # than a quarter at one level is not being escalated: the same bounds on every door.
    MAX_LEVEL = 9
    MAX_DAYS_ALLOWED = 90

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)])
    name = models.CharField(max_length=100, help_text="e.g. Project leads, Functional heads.")
    days_allowed = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_ALLOWED)],
        help_text="Days an item may wait at this level before it moves up.")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["partnership", "level"],
                                               name="escalation_unique_level")]

    def __str__(self) -> str:
        return f"Level {self.level}: {self.name}"
