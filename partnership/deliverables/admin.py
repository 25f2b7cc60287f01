"""Django admin of deliverables and their reviews: read-only for operators (portal.admin)."""

from django.contrib import admin

from partnership.deliverables.models import AcceptanceCriterion, Deliverable, DeliverableReview
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


class AcceptanceCriterionInline(ReadOnlyInline):
    model = AcceptanceCriterion


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["title", "sow", "status", "due_date", "rejection_count"]
    list_filter = ["status", "responsible_party"]
    search_fields = ["title"]
    inlines = [AcceptanceCriterionInline]


@admin.register(DeliverableReview)
class DeliverableReviewAdmin(ReadOnlyAdmin):
    list_display = ["deliverable", "decision", "reviewed_by", "reviewed_at"]
    list_filter = ["decision"]

