"""The filter bar of KPI definitions (page and API); kept in the URL."""

import django_filters

from metrics.kpis.models import KPIDefinition
from portal.filters import OrderingFilter, ScopedFilterSet


class KPIDefinitionFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=KPIDefinition.Status.choices,
                                         empty_label="Any status")
    frequency = django_filters.ChoiceFilter(choices=KPIDefinition.Frequency.choices,
                                            empty_label="Any frequency")
    ordering = OrderingFilter(fields=(("name", "name"), ("status", "status")))

    class Meta:
        model = KPIDefinition
        fields = ["status", "frequency"]
