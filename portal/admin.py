"""Django admin plumbing every app uses (read-only admins), and the bell's admin: operators
look at what was sent and when, and at people's choices."""

from django.contrib import admin

from portal.models import Notification, NotificationPreference


class NoWrites:
    """No add, change or delete, for every user (superusers included)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Operators read here. Every record of a partnership is written only through its
    service, which checks seats, roles, workflows and which party may change which field
    (an operator is of neither party), and tells the people concerned; nor is it deleted
    here: they are GMP records. The jobs' reminder and invitation rows are their unique
    keys: one edited or deleted by hand would make a job remind someone twice.
    tests/portal/test_admin.py fails on an editable admin of a partnership's record."""


class ReadOnlyInline(NoWrites, admin.TabularInline):
    """The rows of a record shown on its admin page, read-only like it."""

    extra = 0


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Notifications are records of what happened: read-only."""

    list_display = ["title", "recipient", "partnership", "kind", "delivery", "created_at",
                    "read_at", "emailed_at"]
    list_filter = ["kind", "delivery", "email_skipped", "partnership"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
