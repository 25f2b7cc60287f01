"""Django admin of the objectives and the priority history: read-only for operators
(portal.admin)."""

from django.contrib import admin

from partnership.objectives.models import Objective, PriorityChange
from portal.admin import ReadOnlyAdmin


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "status", "review_date"]
    list_filter = ["status"]



@admin.register(PriorityChange)
class PriorityChangeAdmin(ReadOnlyAdmin):
    """History is kept as written: operators read it, nobody edits it."""

    list_display = ["partnership", "changed_by", "changed_at"]
