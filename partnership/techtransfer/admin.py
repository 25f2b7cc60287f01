"""Django admin of tech transfers and their milestones: read-only for operators
(portal.admin)."""

from django.contrib import admin

from partnership.techtransfer.models import Milestone, TechTransfer
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    exclude = ["deliverables"]


@admin.register(TechTransfer)
class TechTransferAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "site", "partnership"]
    inlines = [MilestoneInline]

