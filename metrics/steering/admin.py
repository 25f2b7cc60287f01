"""Steering packs in the Django admin, read-only (the job makes them; people ask through
the page or the API)."""

from django.contrib import admin

from metrics.steering.models import SteeringPack
from portal.admin import ReadOnlyAdmin


@admin.register(SteeringPack)
class SteeringPackAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "period_start", "period_end", "requested_by", "status",
                    "generated_at"]
    list_filter = ["status"]
    # Not the file itself: files have no URL, only the scoped download view (portal.storage).
    fields = readonly_fields = ["partnership", "requested_by", "requested_at", "period_start",
                                "period_end", "meeting", "status", "generated_at", "error",
                                "name", "size", "content_type", "sha256"]
