"""The filter bar of the change control list (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.quality.agreement.models import ChangeClass
from governance.quality.changes.models import ChangeControl
from governance.quality.filters import _audit_sites
from portal.filters import OrderingFilter, ScopedFilterSet


class ChangeControlFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ChangeControl.Status.choices,
                                         empty_label="Any status")
    category = django_filters.ChoiceFilter(choices=ChangeControl.Category.choices,
                                           empty_label="Any category")
    classification = django_filters.ChoiceFilter(choices=ChangeClass.choices,
                                                 empty_label="Any class")
    site = django_filters.ModelChoiceFilter(queryset=_audit_sites, empty_label="Any site")
    ordering = OrderingFilter(
        fields=(("created_at", "raised"), ("reference", "reference"),
                ("proposed_on", "proposed"), ("decision_due", "due"), ("status", "status")),
    )

    class Meta:
        model = ChangeControl
        fields = ["q", "status", "category", "classification", "site"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value)
                               | Q(description__icontains=value))
