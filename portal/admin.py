"""Django admin for the bell: operators look at what was sent and when, and at people's
choices. Notifications are read-only here: they are records of what happened."""

from django.contrib import admin

from portal.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "partnership", "kind", "delivery", "created_at",
                    "read_at", "emailed_at"]
    list_filter = ["kind", "delivery", "email_skipped", "partnership"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
