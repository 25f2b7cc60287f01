"""KPI definitions in the Django admin, read-only (an operator is of neither party)."""

from django.contrib import admin

from metrics.kpis.models import KPIDefinition
from portal.admin import ReadOnlyAdmin


@admin.register(KPIDefinition)
class KPIDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "partnership", "status", "frequency"]
    list_filter = ["status", "frequency"]
