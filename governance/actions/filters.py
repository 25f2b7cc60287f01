"""The filter bar of action item lists (pages and API, django-filter); kept in the URL."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.meetings.models import Meeting
from portal.filters import OrderingFilter, ScopedFilterSet


def _meetings_with_actions(request):
    """The meetings an action list can be narrowed to: the caller's, and only those that
    produced actions (a list of every weekly check-in would be unusable)."""
    if request is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.visible_to(request.user).filter(
        pk__in=ActionItem.objects.visible_to(request.user).values("meeting_id"))
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        meetings = meetings.filter(partnership_id=partnership_pk)
    return meetings.distinct().order_by("-starts_at")


class MeetingChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({timezone.localtime(obj.starts_at):%d %b %Y})"


class MeetingChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingChoiceField


class ActionItemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices,
                                         empty_label="Any status")
    priority = django_filters.ChoiceFilter(choices=ActionItem.Priority.choices,
                                           empty_label="Any priority")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Overdue only")
    meeting = MeetingChoiceFilter(queryset=_meetings_with_actions, label="From meeting",
                                  empty_label="Any meeting")
    ordering = OrderingFilter(
        fields=(("due_date", "due"), ("title", "title"), ("priority", "priority"),
                ("status", "status")),
    )

    class Meta:
        model = ActionItem
        fields = ["q", "status", "priority", "overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(owner__last_name__icontains=value)
                               | Q(owner__first_name__icontains=value))

    def by_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue()
