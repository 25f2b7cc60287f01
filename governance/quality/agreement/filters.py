"""The filter bar of the quality agreements (page and API); kept in the URL."""

import django_filters

from governance.quality.agreement.models import QualityAgreement
from partnership.models import Contract
from portal.filters import ScopedFilterSet


class AgreementFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(field_name="contract__status",
                                         choices=Contract.Status.choices,
                                         empty_label="Any status", label="Contract status")

    class Meta:
        model = QualityAgreement
        fields = ["status"]
