"""The filter bar of action item lists (pages and API, django-filter); kept in the URL."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.meetings.models import Meeting
from portal.filters import BoundedChoiceField, OrderingFilter, ScopedFilterSet

MEETING_CHOICES = 20  # the meetings the filter's select offers at once (type-ahead: more)


def _meetings_with_actions(request):
    """The meetings an action list can be narrowed to: the caller's, of the partnership in
    the URL, and only those that produced actions the caller sees (a list of every weekly
    check-in would be unusable), the latest first. The filter accepts any of them; its
    select shows only the chosen one and the MEETING_CHOICES latest (BoundedChoiceField), and
    its search box finds the others."""
    if request is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.visible_to(request.user).filter(Exists(
        ActionItem.objects.visible_to(request.user).filter(meeting_id=OuterRef("pk"))))
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        meetings = meetings.filter(partnership_id=partnership_pk)
    return meetings.order_by("-starts_at", "-pk")


def meeting_matches(meetings, text: str):
    """`meetings` whose title holds `text`, or held on the day it names (2026-03-05)."""
    text = text.strip()[:200]
    if not text:
        return meetings
    condition = Q(title__icontains=text)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        condition |= Q(starts_at__date=day)
    return meetings.filter(condition)


def meeting_label(meeting) -> str:
    return f"{meeting.title} ({timezone.localtime(meeting.starts_at):%d %b %Y})"


class MeetingChoiceField(BoundedChoiceField):
    limit = MEETING_CHOICES
    search = staticmethod(meeting_matches)

    def label_from_instance(self, obj):
        return meeting_label(obj)


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
