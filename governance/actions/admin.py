"""Django admin of action items, for operators: read-only."""

from django.contrib import admin

from governance.actions.models import ActionItem, ActionItemOverdueReminder
from portal.admin import ReadOnlyAdmin


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "owner", "due_date", "priority", "status"]
    list_filter = ["status", "priority"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]


@admin.register(ActionItemOverdueReminder)
class ActionItemOverdueReminderAdmin(ReadOnlyAdmin):
    list_display = ["action", "due_date", "created_at"]
    list_select_related = ["action"]
