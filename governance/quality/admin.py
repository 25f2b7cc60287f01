"""Django admin of quality oversight, for operators: read-only (the quality agreement,
deviations and CAPAs have theirs in their packages, imported here)."""

from django.contrib import admin

from governance.quality.models import Audit, Finding
from governance.quality.sites.models import (
    AuditProgramme,
    Inspection,
    SiteQualification,
    Subcontractor,
)
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


# --- Sites as the sponsor's QA sees them ---------------------------------------------------


@admin.register(SiteQualification)
class SiteQualificationAdmin(ReadOnlyAdmin):
    list_display = ["site", "partnership", "status", "status_changed_at"]
    list_filter = ["status"]
    list_select_related = ["site", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["site__name", "conditions"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "qualification", "outcome", "observation_count",
                    "certificate_expiry"]
    list_filter = ["authority", "outcome"]
    list_select_related = ["qualification__site"]
    search_fields = ["authority_name", "summary", "certificate_number"]


@admin.register(Subcontractor)
class SubcontractorAdmin(ReadOnlyAdmin):
    list_display = ["name", "qualification", "activity", "status", "permission_date"]
    list_filter = ["status"]
    list_select_related = ["qualification__site"]
    search_fields = ["name", "activity", "location"]


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "reaudit_months", "reaudit_months_after_critical",
                    "updated_at"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
# Batches and their disposition: their own read-only admin, loaded with the topic's.
import governance.quality.batches.admin  # noqa: E402, F401
from governance.quality.agreement import admin as _agreement_admin  # noqa: E402,F401
from governance.quality.changes import admin as _changes_admin  # noqa: E402,F401
from governance.quality.deviations import admin as _deviations_admin  # noqa: E402,F401
