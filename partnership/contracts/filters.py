"""Filter bars of the program and contract pages and API (django-filter); kept in the URL."""

import django_filters
from django.db.models import Q

from partnership.contracts.models import Contract, Program
from portal.filters import OrderingFilter, ScopedFilterSet


class ProgramFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    phase = django_filters.ChoiceFilter(choices=Program.Phase.choices, empty_label="Any phase")
    modality = django_filters.ChoiceFilter(
        choices=Program.Modality.choices, empty_label="Any modality"
    )
    ordering = OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("phase", "phase")),
    )

    class Meta:
        model = Program
        fields = ["q", "phase", "modality"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ContractFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Contract.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices,
                                         empty_label="Any status")
    ordering = OrderingFilter(
        fields=(("reference", "reference"), ("title", "title"), ("status", "status"),
                ("expiry_date", "expiry")),
    )

    class Meta:
        model = Contract
        fields = ["q", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))
