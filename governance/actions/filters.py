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


def _period(text: str):
    """The first and the day after the last day that `text` names, as the walk typed them:
    a year (2025), a month (2025-03, Mar 2025, March 2025), a day (2025-03-05, 5 Mar 2025 —
    the options' own format); None for anything else."""
    for fmt, unit in (("%Y-%m-%d", "day"), ("%d %b %Y", "day"), ("%d %B %Y", "day"),
                      ("%Y-%m", "month"), ("%b %Y", "month"), ("%B %Y", "month"),
                      ("%Y", "year")):
        try:
            start = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 1000 <= start.year < 9999:
            return None
        if unit == "day":
            return start, start + datetime.timedelta(days=1)
        if unit == "month":
            return start, (start + datetime.timedelta(days=32)).replace(day=1)
        return start, start.replace(year=start.year + 1)
    return None


def meeting_matches(meetings, text: str):
    """`meetings` whose title holds `text`, or held in the day, month or year it names
    (2026-03-05, 5 Mar 2026, 2026-03, Mar 2026, 2026: a meeting of last year is found by
    typing its year or month, as its option shows the date)."""
    text = " ".join(text.split())[:200]
    if not text:
        return meetings
    condition = Q(title__icontains=text)
    period = _period(text)
    if period is not None:
        zone = timezone.get_current_timezone()
        start, end = (datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
                      for day in period)
        condition |= Q(starts_at__gte=start, starts_at__lt=end)
    return meetings.filter(condition)


def meeting_label(meeting) -> str:
    return f"{meeting.title} ({timezone.localtime(meeting.starts_at):%d %b %Y})"


class MeetingChoiceField(BoundedChoiceField):
    limit = MEETING_CHOICES
    search_hint = "Title, year, month or day"
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
