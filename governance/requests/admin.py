"""Django admin of formal requests and their timelines, for operators: read-only."""

from django.contrib import admin

from governance.requests.models import Request, RequestStep
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


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
