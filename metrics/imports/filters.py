"""The filter bar of KPI imports (the imports page and the API); kept in the URL."""

import django_filters

from metrics.imports.models import KPIImport
from portal.filters import OrderingFilter, ScopedFilterSet


class KPIImportFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=KPIImport.Status.choices,
                                         empty_label="Any status")
    ordering = OrderingFilter(fields=(("created_at", "created"),
                                                     ("status", "status")))

    class Meta:
        model = KPIImport
        fields = ["status"]
