"""Django admin of meetings, decisions and calendar feeds, for operators."""

from django.contrib import admin

from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


class MinutesVersionInline(ReadOnlyInline):
    model = MinutesVersion


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "kind", "starts_at", "status", "recurrence"]
    list_filter = ["kind", "status", "recurrence"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title", "agenda"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "series"]
    inlines = [MinutesVersionInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "decided_on", "meeting"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo", "meeting"]
    search_fields = ["title", "rationale"]
    date_hierarchy = "decided_on"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Operators may revoke a feed (delete it); the secret itself is never shown."""

    list_display = ["user", "created_at"]
    exclude = ["secret"]
    readonly_fields = ["user", "created_at"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False
