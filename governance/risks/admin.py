"""Django admin of the risk register, for operators: read-only."""

from django.contrib import admin

from governance.risks.models import Risk, RiskReviewReminder
from portal.admin import ReadOnlyAdmin


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "category", "likelihood", "impact", "owner",
                    "review_date", "status"]
    list_filter = ["status", "category"]
    list_select_related = ["owner", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
    filter_horizontal = ["milestones"]


@admin.register(RiskReviewReminder)
class RiskReviewReminderAdmin(ReadOnlyAdmin):
    list_display = ["risk", "review_date", "created_at"]
    list_select_related = ["risk"]
