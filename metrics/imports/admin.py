"""KPI imports in the Django admin, read-only (the job writes them)."""

from django.contrib import admin

from metrics.imports.models import KPIImport
from portal.admin import ReadOnlyAdmin


@admin.register(KPIImport)
class KPIImportAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "uploaded_by", "status", "rows_done", "rows_total",
                    "created_at"]
    list_filter = ["status"]
    exclude = ["file"]  # stored files have no URL: the import's scoped page is their door
