"""Django admin of deviations and CAPAs, for operators: read-only."""

from django.contrib import admin

from governance.quality.deviations.models import Capa, Deviation
from portal.admin import ReadOnlyAdmin


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "site", "kind", "classification", "detected_at",
                    "sponsor_notified_at", "notify_by", "status"]
    list_filter = ["status", "kind", "classification"]
    list_select_related = ["site", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["reference", "title", "lot", "batch__lot_number"]


@admin.register(Capa)
class CapaAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title", "action_plan"]
