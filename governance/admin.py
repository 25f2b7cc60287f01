"""Django admin for operators."""

from django.contrib import admin

from governance.models import (
    ActionItem,
    ActionItemEscalation,
    ActionItemOverdueReminder,
    CalendarFeed,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestEscalation,
    RequestStep,
    Risk,
    RiskReviewReminder,
    SurveyInvitation,
    SurveyResponse,
)
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "owner", "due_date", "priority", "status"]
    list_filter = ["status", "priority"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]


# --- Meetings, calendar feeds and decisions ---------------------------

@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "kind", "starts_at", "status", "recurrence"]
    list_filter = ["kind", "status", "recurrence"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title", "agenda"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "series"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "decided_on", "meeting"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo", "meeting"]
    search_fields = ["title", "rationale"]
    date_hierarchy = "decided_on"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Operators may revoke a feed (delete it); the secret itself is never shown."""

    list_display = ["user", "created_at"]
    exclude = ["secret"]
    readonly_fields = ["user", "created_at"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False


# --- Formal requests ------------------------------------------------------

class RequestStepInline(ReadOnlyInline):
    """The timeline as it happened: operators read it, nobody rewrites it."""

    model = RequestStep
    fields = ["at", "step", "status", "actor", "note"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "requested_by_party", "kind", "urgency", "status",
                    "sent_at", "acknowledge_by", "over_emergency_budget"]
    list_filter = ["status", "kind", "urgency", "over_emergency_budget"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
    readonly_fields = ["requested_by_party", "status", "sent_at", "acknowledge_by",
                       "acknowledged_at", "fulfilled_at", "closed_at", "over_emergency_budget",
                       "relayed_from", "late_notified_at"]
    raw_id_fields = ["assignee", "milestones"]
    inlines = [RequestStepInline]


# --- Risks, notices, recognition and the feedback survey ----------------------------------

@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "category", "likelihood", "impact", "owner",
                    "review_date", "status"]
    list_filter = ["status", "category"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
    filter_horizontal = ["milestones"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "kind", "author_organization", "created_at",
                    "acknowledged_at"]
    list_filter = ["kind"]
    list_select_related = ["author_organization", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
    readonly_fields = ["acknowledged_by", "acknowledged_at"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "author_organization", "team", "created_at"]
    list_select_related = ["author_organization", "partnership__sponsor", "partnership__cdmo"]
    filter_horizontal = ["recipients"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Answers come only from the people themselves, through the survey."""

    list_display = ["partnership", "quarter", "rated_party", "submitted_at"]
    list_filter = ["quarter", "rated_party"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "quarter", "user", "created_at"]
    list_filter = ["quarter"]
    list_select_related = ["user", "partnership__sponsor", "partnership__cdmo"]


@admin.register(RiskReviewReminder)
class RiskReviewReminderAdmin(ReadOnlyAdmin):
    list_display = ["risk", "review_date", "created_at"]
    list_select_related = ["risk"]


@admin.register(ActionItemOverdueReminder)
class ActionItemOverdueReminderAdmin(ReadOnlyAdmin):
    list_display = ["action", "due_date", "created_at"]
    list_select_related = ["action"]


# --- Escalation steps (DESIGN §4): the job's record, and its unique keys -------------------

@admin.register(RequestEscalation)
class RequestEscalationAdmin(ReadOnlyAdmin):
    list_display = ["request", "partnership", "level", "level_name", "reached_at",
                    "acknowledge_by"]
    list_filter = ["level"]
    list_select_related = ["request", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "reached_at"


@admin.register(ActionItemEscalation)
class ActionItemEscalationAdmin(ReadOnlyAdmin):
    list_display = ["action", "partnership", "level", "level_name", "reached_at", "due_date"]
    list_filter = ["level"]
    list_select_related = ["action", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "reached_at"
