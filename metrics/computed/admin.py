"""Computed values' source links and the nightly job's claims in the Django admin,
read-only (an operator reads why a period has no value in a claim's outcome)."""

from django.contrib import admin

from metrics.computed.models import KPIComputation, MeasurementSource
from portal.admin import ReadOnlyAdmin


@admin.register(MeasurementSource)
class MeasurementSourceAdmin(ReadOnlyAdmin):
    list_display = ["measurement", "content_type", "object_id", "counted_as"]


@admin.register(KPIComputation)
class KPIComputationAdmin(ReadOnlyAdmin):
    list_display = ["key", "period", "partnership", "outcome", "created_at"]
    list_filter = ["key"]
