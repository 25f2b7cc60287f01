"""The filter bar of request lists (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.requests.models import Request, status_rank, urgency_rank
from governance.requests.selectors import requests_awaiting, requests_due_soon, requests_overdue
from portal.filters import OrderingFilter, ScopedFilterSet
from portal.registries.coming_up import DAYS as COMING_UP_DAYS


class RequestFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Request.Status.choices,
                                         empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Request.Kind.choices, empty_label="Any kind")
    urgency = django_filters.ChoiceFilter(choices=Request.Urgency.choices,
                                          empty_label="Any urgency")
    direction = django_filters.ChoiceFilter(
        method="by_direction", label="Direction", empty_label="Both directions",
        choices=[("sent", "Sent by us"), ("received", "Sent to us")])
    late = django_filters.BooleanFilter(method="by_late", label="Late only")
    over_budget = django_filters.BooleanFilter(
        field_name="over_emergency_budget", label="Over emergency budget")
    show = django_filters.ChoiceFilter(
        method="by_cockpit_card", label="Show", empty_label="All",
        choices=[("awaiting", "Awaiting me"), ("overdue", "Overdue"),
                 ("due_soon", f"Due in {COMING_UP_DAYS} days")])
    ordering = OrderingFilter(
        fields=(("sent_at", "sent"), ("title", "title"), ("needed_by", "needed"),
                ("acknowledge_by", "acknowledge_by"), ("status_rank", "status"),
                ("urgency_rank", "urgency")),
    )

    class Meta:
        model = Request
        fields = ["q", "status", "kind", "urgency", "direction", "late", "over_budget"]

    def filter_queryset(self, queryset):
        """Urgency sorts by severity (normal, urgent, emergency) and status in the order of
        the workflow (sent … accepted, cancelled), not alphabetically."""
        return super().filter_queryset(queryset.annotate(
            urgency_rank=urgency_rank(), status_rank=status_rank()))

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_direction(self, queryset, name, value):
        """Sent by us: written by the viewer's organization (the requester's)."""
        org = getattr(getattr(self.request, "user", None), "organization_id", None)
        if value == "sent":
            return queryset.filter(author_organization_id=org)
        if value == "received":
            return queryset.exclude(author_organization_id=org)
        return queryset

    def by_cockpit_card(self, queryset, name, value):
        """What the partnership home's cards list, for the cards' links to this list."""
        if value == "awaiting":
            return requests_awaiting(queryset, user=self.request.user)
        if value == "overdue":
            return requests_overdue(queryset)
        return requests_due_soon(queryset) if value == "due_soon" else queryset

    def by_late(self, queryset, name, value):
        return queryset.late() if value else queryset
