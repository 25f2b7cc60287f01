"""Django admin of change controls, for operators: read-only (every change goes through the
services and their audit trail)."""

from django.contrib import admin

from governance.quality.changes.models import ChangeControl
from portal.admin import ReadOnlyAdmin


@admin.register(ChangeControl)
class ChangeControlAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "partnership", "category", "classification",
                    "site", "status", "decision_due"]
    list_filter = ["status", "category", "classification"]
    list_select_related = ["site", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["reference", "title"]
