"""Filter bars of the partnership pages and API (django-filter); kept in the URL."""

import django_filters
from django.db.models import Q

from partnership.models import Contract, Deliverable, Membership, Organization, Program, Site
from portal.filters import ScopedFilterSet


class ProgramFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    phase = django_filters.ChoiceFilter(choices=Program.Phase.choices, empty_label="Any phase")
    modality = django_filters.ChoiceFilter(
        choices=Program.Modality.choices, empty_label="Any modality"
    )
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("phase", "phase")),
    )

    class Meta:
        model = Program
        fields = ["q", "phase", "modality"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class MembershipFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices, empty_label="Any role")
    party = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, method="by_party", label="Party",
        empty_label="Both parties"
    )
    ordering = django_filters.OrderingFilter(
        fields=(("user__last_name", "name"), ("role", "role"), ("user__organization__name",
                                                                  "organization")),
    )

    class Meta:
        model = Membership
        fields = ["q", "role", "party"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__first_name__icontains=value) | Q(user__last_name__icontains=value)
            | Q(user__email__icontains=value) | Q(user__job_title__icontains=value)
        )

    def by_party(self, queryset, name, value):
        return queryset.filter(user__organization__kind=value)


class SiteFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), empty_label="Any organization"
    )
    capability = django_filters.ChoiceFilter(
        choices=Site.Capability.choices, method="by_capability", label="Capability",
        empty_label="Any capability",
    )
    status = django_filters.ChoiceFilter(choices=Site.Status.choices, empty_label="Any status")
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("organization__name", "organization")),
    )

    class Meta:
        model = Site
        fields = ["q", "organization", "capability", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(country__icontains=value)
        )

    def by_capability(self, queryset, name, value):
        return queryset.filter(capabilities__contains=[value])


class ContractFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Contract.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices,
                                         empty_label="Any status")
    ordering = django_filters.OrderingFilter(
        fields=(("reference", "reference"), ("title", "title"), ("status", "status"),
                ("expiry_date", "expiry")),
    )

    class Meta:
        model = Contract
        fields = ["q", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))


class DeliverableFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Deliverable.Status.choices,
                                         empty_label="Any status")
    responsible_party = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label="Responsible", empty_label="Either party")
    ordering = django_filters.OrderingFilter(
        fields=(("due_date", "due"), ("title", "title"), ("status", "status")),
    )

    class Meta:
        model = Deliverable
        fields = ["q", "status", "responsible_party"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(sow__reference__icontains=value))
