"""Filter bars of meeting and decision lists (pages and API); kept in the URL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from governance.meetings.models import Decision, Meeting
from portal.filters import OrderingFilter, ScopedFilterSet


class MeetingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices,
                                         empty_label="Any status")
    when = django_filters.ChoiceFilter(
        method="by_when", label="When", empty_label="Past and upcoming",
        choices=[("upcoming", "Upcoming"), ("past", "Past")])
    ordering = OrderingFilter(
        fields=(("starts_at", "starts"), ("title", "title"), ("kind", "kind"),
                ("status", "status")),
    )

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "when"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(agenda__icontains=value)
                               | Q(minutes__icontains=value))

    def by_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if value == "past":
            return queryset.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
        return queryset


class DecisionFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label="Decided from",
        widget=forms.DateInput(attrs={"type": "date"}))
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label="Decided until",
        widget=forms.DateInput(attrs={"type": "date"}))
    where = django_filters.ChoiceFilter(
        method="by_where", label="Where", empty_label="In or outside meetings",
        choices=[("meeting", "Taken in a meeting"), ("outside", "Outside meetings")])
    ordering = OrderingFilter(
        fields=(("decided_on", "decided"), ("title", "title")),
    )

    class Meta:
        model = Decision
        fields = ["q", "decided_after", "decided_before", "where"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(rationale__icontains=value))

    def by_where(self, queryset, name, value):
        if value == "meeting":
            return queryset.filter(meeting__isnull=False)
        return queryset.filter(meeting__isnull=True) if value == "outside" else queryset
