"""Filter bars of the governance pages and API (django-filter); kept in the URL."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from governance.models import ActionItem


class ActionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices,
                                         empty_label="Any status")
    priority = django_filters.ChoiceFilter(choices=ActionItem.Priority.choices,
                                           empty_label="Any priority")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Overdue only",
                                           widget=django_filters.widgets.BooleanWidget())
    ordering = django_filters.OrderingFilter(
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
        return queryset.filter(due_date__lt=timezone.localdate()).exclude(
            status__in=ActionItem.CLOSED)
