"""Django admin of the audit programme, for operators: read-only."""

from django.contrib import admin

from governance.quality.models import Audit, Finding
from portal.admin import ReadOnlyAdmin


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "site", "kind", "planned_start", "planned_end",
                    "lead_auditor", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["site", "lead_auditor", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["scope", "site__name"]
    filter_horizontal = ["team"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "audit", "classification", "response_due", "status"]
    list_filter = ["classification", "status"]
    list_select_related = ["audit__site"]
    search_fields = ["title", "requirement"]


# Batches and their disposition: their own read-only admin, loaded with the topic's.
import governance.quality.batches.admin  # noqa: E402, F401
