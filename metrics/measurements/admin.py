"""KPI values and their review threads in the Django admin, read-only."""

from django.contrib import admin

from metrics.measurements.models import KPIMeasurement, MeasurementReview
from portal.admin import ReadOnlyAdmin


@admin.register(KPIMeasurement)
class KPIMeasurementAdmin(ReadOnlyAdmin):
    list_display = ["key", "period", "value", "partnership", "status"]
    list_filter = ["status"]


@admin.register(MeasurementReview)
class MeasurementReviewAdmin(ReadOnlyAdmin):
    list_display = ["measurement", "kind", "party", "created_at"]
