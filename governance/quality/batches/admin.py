"""Django admin of batches, for operators: read-only (their certificates are files, served
only by the scoped download view, so they have no admin list of their own)."""

from django.contrib import admin

from governance.quality.batches.models import Batch
from portal.admin import ReadOnlyAdmin


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "program", "stage", "site", "manufactured_on",
                    "status"]
    list_filter = ["status", "stage"]
    list_select_related = ["program", "site", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["lot_number"]
