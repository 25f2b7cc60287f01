"""The bell's admin: operators look at what was sent and when, and at people's choices."""

from django import forms
from django.contrib import admin
from django.db.models import BLANK_CHOICE_DASH

from partnership.notifications.models import (
    Notification,
    NotificationPreference,
    ReminderClaim,
)
from portal.admin import ReadOnlyAdmin
from portal.registries import notification_kinds


class KindFilter(admin.SimpleListFilter):
    """Filter by kind, by the labels people read on their settings page."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return notification_kinds.choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.display(description="kind", ordering="kind")
def kind_label(obj) -> str:
    return dict(notification_kinds.choices()).get(obj.kind, obj.kind)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Notifications are records of what happened: read-only."""

    list_display = ["title", "recipient", "partnership", kind_label, "delivery", "created_at",
                    "read_at", "emailed_at"]
    list_filter = [KindFilter, "delivery", "email_skipped", "partnership"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient", "partnership__sponsor", "partnership__cdmo"]
    date_hierarchy = "created_at"


class NotificationPreferenceForm(forms.ModelForm):
    kind = forms.ChoiceField(
        choices=lambda: [*BLANK_CHOICE_DASH, *notification_kinds.choices()])

    class Meta:
        model = NotificationPreference
        fields = ["user", "kind", "delivery"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    form = NotificationPreferenceForm
    list_display = ["user", kind_label, "delivery"]
    list_filter = [KindFilter, "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(ReadOnlyAdmin):
    """The reminders told, one per record, window and person: read-only."""

    list_display = [kind_label, "record_type", "record_id", "window", "recipient", "created_at"]
    list_filter = [KindFilter]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient", "record_type"]
