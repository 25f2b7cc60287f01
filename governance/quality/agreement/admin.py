"""Django admin of the quality agreements, for operators: read-only."""

from django.contrib import admin

from governance.quality.agreement.models import QualityAgreement, Responsibility
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


class ResponsibilityInline(ReadOnlyInline):
    model = Responsibility
    fields = ["position", "activity", "sponsor", "cdmo"]


@admin.register(QualityAgreement)
class QualityAgreementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "contract", "critical_notice_hours",
                    "major_notice_days", "minor_notice_days", "closure_needs_sponsor_approval"]
    list_select_related = ["contract", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["contract__reference", "contract__title"]
    inlines = [ResponsibilityInline]
