"""Django admin of the communication plan: read-only for operators (portal.admin)."""

from django.contrib import admin

from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from portal.admin import ReadOnlyAdmin


@admin.register(PointOfContact)
class PointOfContactAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "party", "function", "primary", "backup"]
    list_filter = ["function", "party"]


@admin.register(CommunicationPlan)
class CommunicationPlanAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "updated_at"]


@admin.register(EscalationLevel)
class EscalationLevelAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "level", "name", "days_allowed"]

