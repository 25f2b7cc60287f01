"""Django admin for operators."""

from django.contrib import admin

from governance.models import ActionItem


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "owner", "due_date", "priority", "status"]
    list_filter = ["status", "priority"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
