"""Filter bars of the people and site pages and API (django-filter); kept in the URL."""

import django_filters
from django.db.models import Q

from partnership.parties.models import Membership, Organization, Site
from portal.filters import OrderingFilter, ScopedFilterSet


class MembershipFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices, empty_label="Any role")
    party = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, method="by_party", label="Party",
        empty_label="Both parties"
    )
    ordering = OrderingFilter(
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
    ordering = OrderingFilter(
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
