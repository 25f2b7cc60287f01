"""Django admin of quality oversight, for operators: read-only (the quality agreement,
deviations and CAPAs have theirs in their packages, imported here)."""

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


from governance.quality.agreement import admin as _agreement_admin  # noqa: E402,F401
from governance.quality.deviations import admin as _deviations_admin  # noqa: E402,F401
