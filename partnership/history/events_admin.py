"""The audit trail in the Django admin, for operators: django-pghistory's events admin
(PGHISTORY_ADMIN_CLASS), with who and why beside each change."""

from django.contrib import admin
from django.http import HttpResponseBadRequest
from pghistory.admin import EventsAdmin


class TrailEventsAdmin(EventsAdmin):
    """No facet counts (its change list cannot count them), and a filter that names no
    tracked model or record (`?obj=`, `?event_model=`) is a 400, not a 500."""

    show_facets = admin.ShowFacets.NEVER

    def get_list_display(self, request):
        return ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "pgh_label", "who",
                "reason", "pgh_diff"]

    @admin.display(description="who · door")
    def who(self, event):
        context = event.pgh_context or {}
        return f"user {context.get('user') or '—'} · {context.get('door') or 'database'}"

    @admin.display(description="reason")
    def reason(self, event):
        return (event.pgh_context or {}).get("reason") or "—"

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (LookupError, ValueError, AttributeError):
            return HttpResponseBadRequest("That filter names no tracked model or record.")
