"""Django admin of signatures: read-only, like every record (a signature is never changed)."""

from django.contrib import admin

from partnership.signatures.models import Signature
from portal.admin import ReadOnlyAdmin


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["printed_name", "organization_name", "event", "meaning", "content_type",
                    "object_id", "partnership", "signed_at"]
    list_filter = ["event", "party", "content_type"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo", "content_type"]
    search_fields = ["printed_name", "organization_name"]
    date_hierarchy = "signed_at"
