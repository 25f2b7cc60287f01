"""The relationship itself: strategic notices one party posts for the other to acknowledge,
thank-yous, and the quarterly feedback survey with its invitations."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from governance.risks.models import Risk
from partnership.models import Organization, Partnership, Site
from partnership.scoping import SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range


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
        indexes = [models.Index(fields=["partnership", "created_at"], name="notice_by_created"),
                   GinIndex(fields=["search_document"], name="notice_search"),
                   trigram_index("title", "notice_title_trgm")]

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
        """Only the other party acknowledges, and only once (governance.notice_acknowledge)."""
        return self.acknowledged_at is not None


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
        indexes = [models.Index(fields=["partnership", "created_at"],
                                name="recognition_by_created"),
                   GinIndex(fields=["search_document"], name="recognition_search")]

    def __str__(self) -> str:
        return self.message[:60]

    def get_absolute_url(self) -> str:
        return reverse("governance:recognition_list", args=[self.partnership_id])


class SurveyResponseQuerySet(SharedQuerySet):
    def visible_to(self, user) -> "SurveyResponseQuerySet":
        """Only the user's own answers, whatever the door (page, API, admin, a later
        feature): another person's answer is never read back one by one. The survey's
        results come from everyone's answers through `for_aggregates`."""
        if not user.is_authenticated:
            return self.none()
        return super().visible_to(user).filter(respondent=user)

    def for_aggregates(self, user) -> "SurveyResponseQuerySet":
        """Every answer in the user's partnerships, whoever gave it: only for figures that
        name no respondent and show no one answer (selectors.survey_answer_pool, read by
        selectors.survey_results alone)."""
        return super().visible_to(user)


class SurveyResponse(models.Model):
    """One person's quarterly rating of the other party. Never shown one by one: a party's
    results for a quarter (averages and comments) are published once the quarter has closed
    and at least MIN_FOR_DETAIL people answered, never before
    (governance.relationship.selectors.survey_results)."""

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

    objects = SurveyResponseQuerySet.as_manager()

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
