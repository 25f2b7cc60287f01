"""The filter bar of KPI values (the definition page and the API); kept in the URL."""

import django_filters

from metrics.measurements.models import KPIMeasurement
from portal.filters import OrderingFilter, ScopedFilterSet
from portal.validation import validate_date_in_range


class KPIMeasurementFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=KPIMeasurement.Status.choices,
                                         empty_label="Any status")
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte",
                                            label="From period",
                                            validators=[validate_date_in_range])
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte",
                                          label="To period", validators=[validate_date_in_range])
    key = django_filters.CharFilter(label="KPI key")
    ordering = OrderingFilter(fields=(("period", "period"), ("status", "status")))

    class Meta:
        model = KPIMeasurement
        fields = ["status", "period_from", "period_to", "key"]


class OneKPIValuesFilter(KPIMeasurementFilter):
    """The filter bar of one KPI's page: its values are all of that KPI, so no KPI filter."""


del OneKPIValuesFilter.base_filters["key"]
