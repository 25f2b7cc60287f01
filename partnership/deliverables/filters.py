"""Filter bar of the deliverable pages and API (django-filter); kept in the URL."""

import django_filters
from django.db.models import Q

from partnership.deliverables.models import Deliverable
from partnership.parties.models import Organization
from portal.filters import OrderingFilter, ScopedFilterSet


class DeliverableFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Deliverable.Status.choices,
                                         empty_label="Any status")
    responsible_party = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label="Responsible", empty_label="Either party")
    ordering = OrderingFilter(
        fields=(("due_date", "due"), ("title", "title"), ("status", "status")),
    )

    class Meta:
        model = Deliverable
        fields = ["q", "status", "responsible_party"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(sow__reference__icontains=value))
