"""API action of computed KPIs: POST /api/v1/kpi-definitions/{id}/compute/ {period?} (the
last ended period by default) computes the value of an agreed computed KPI as a draft of
the reporting party and answers it (201); a submitted value is never overwritten (400)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from metrics.computed import services
from metrics.measurements.api import KPIMeasurementSerializer
from partnership.permissions import require_person
from portal.validation import validate_date_in_range


class ComputeSerializer(serializers.Serializer):
    period = serializers.DateField(required=False, validators=[validate_date_in_range],
                                   help_text="The first day of an ended period; the last "
                                             "ended one by default.")


class ComputeActionMixin:
    """The compute/ action of the KPI definitions' viewset."""

    @extend_schema(request=ComputeSerializer, responses={201: KPIMeasurementSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        definition = self.get_object()
        body = ComputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # a malformed body is refused as such, first
        require_person(request.user, "metrics.kpidefinition_compute", definition)
        period = body.validated_data.get("period") or services.last_ended_period(definition)
        measurement = services.kpi_value_compute(actor=request.user, definition=definition,
                                                 period=period)
        return Response(KPIMeasurementSerializer(measurement,
                                                 context=self.get_serializer_context()).data,
                        status=201)
