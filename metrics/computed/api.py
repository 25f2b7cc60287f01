"""API action of computed KPIs: POST /api/v1/kpi-definitions/{id}/compute/ {period?} (the
last ended period by default) computes the value of an agreed computed KPI as a draft of
the reporting party and answers it (201); a submitted value is never overwritten (400).
Also `sources_of`, the records a value was computed from as the caller may see them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from metrics.computed import selectors, services
from partnership.permissions import require_person


class ComputeSerializer(serializers.Serializer):
    period = serializers.DateField(required=False,
                                   help_text="The first day of an ended period; the last "
                                             "ended one by default.")


def sources_of(request, measurement) -> dict:
    """The sources the caller may see (kind, how it counted, URL) and how many are not."""
    listed = selectors.measurement_sources(user=request.user, measurement=measurement)
    return {"total": listed["total"], "hidden": listed["hidden"],
            "records": [{"kind": source.kind, "counted_as": source.counted_as,
                         "name": str(source.record),
                         "url": request.build_absolute_uri(source.url) if source.url else None}
                        for source in listed["sources"] if source.record is not None]}


class ComputeActionMixin:
    """The compute/ action of the KPI definitions' viewset."""

    @extend_schema(request=ComputeSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        from metrics.measurements.api import KPIMeasurementSerializer

        definition = self.get_object()
        require_person(request.user, "metrics.kpidefinition_compute", definition)
        body = ComputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = body.validated_data.get("period") or services.last_ended_period(definition)
        measurement = services.kpi_value_compute(actor=request.user, definition=definition,
                                                 period=period)
        return Response(KPIMeasurementSerializer(measurement,
                                                 context=self.get_serializer_context()).data,
                        status=201)
