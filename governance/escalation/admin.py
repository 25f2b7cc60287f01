"""Django admin of escalation steps (the job's record, and its unique keys): read-only."""

from django.contrib import admin

from governance.escalation.models import ActionItemEscalation, CapaEscalation, RequestEscalation
from portal.admin import ReadOnlyAdmin


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


@admin.register(CapaEscalation)
class CapaEscalationAdmin(ReadOnlyAdmin):
    list_display = ["capa", "partnership", "level", "level_name", "reached_at", "due_date"]
    list_filter = ["level"]
    list_select_related = ["capa", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "reached_at"
