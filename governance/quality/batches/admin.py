"""Django admin of batches, for operators: read-only."""

from django.contrib import admin

from governance.quality.batches.models import Batch, CertificateOfAnalysis
from portal.admin import ReadOnlyAdmin


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "program", "stage", "site", "manufactured_on",
                    "status"]
    list_filter = ["status", "stage"]
    list_select_related = ["program", "site", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["lot_number"]


@admin.register(CertificateOfAnalysis)
class CertificateOfAnalysisAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "batch", "size", "uploaded_at"]
    list_select_related = ["batch"]
    search_fields = ["name", "batch__lot_number"]
