"""The API door to a KPI series: GET /api/v1/kpi-definitions/{id}/series/ gives the
published values of the definition's series (every version of its key, oldest first) as
JSON, `?format=csv` or `?format=xlsx` (or the Accept header) as the same file the
definition's page downloads. Scoped like the definition: a foreign id answers 404."""

import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from metrics.scorecard import export, selectors


class _FileRenderer(BaseRenderer):
    """Chooses the file format; the action writes the file itself. What reaches `render`
    is an error (404, 401 …): said in JSON, whichever file was asked for."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data).encode()


class CSVRenderer(_FileRenderer):
    media_type, format, charset = "text/csv", "csv", "utf-8"


class XLSXRenderer(_FileRenderer):
    media_type, format, charset = export.FORMATS["xlsx"], "xlsx", None
    render_style = "binary"


class SeriesPointSerializer(serializers.Serializer):
    """One published value of the series (read only: the series is written value by value
    through /api/v1/kpi-measurements/)."""

    id = serializers.IntegerField(source="pk", read_only=True)
    key = serializers.CharField(read_only=True)
    period = serializers.DateField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    version = serializers.IntegerField(source="definition.version", read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True)
    numerator = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True,
                                         allow_null=True)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True,
                                           allow_null=True)
    rag = serializers.CharField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True)


class SeriesActionMixin:
    """Adds `series` to the KPI definitions' viewset."""

    @extend_schema(
        parameters=[OpenApiParameter("format", enum=["json", "csv", "xlsx"], required=False)],
        responses={(200, "application/json"): SeriesPointSerializer(many=True),
                   (200, "text/csv"): bytes, (200, export.FORMATS["xlsx"]): bytes})
    @action(detail=True, methods=["get"], pagination_class=None,
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer])
    def series(self, request, pk=None):
        """The published values of the definition's series; as CSV or XLSX on request."""
        definition = self.get_object()
        values = list(selectors.series(user=request.user, definition=definition))
        extension = request.accepted_renderer.format
        if extension not in export.FORMATS:
            return Response(SeriesPointSerializer(values, many=True).data)
        body = export.as_csv(definition, values) if extension == "csv" \
            else export.as_xlsx(definition, values)
        response = HttpResponse(body, content_type=export.FORMATS[extension])
        response["Content-Disposition"] = \
            f'attachment; filename="{export.filename(definition, extension)}"'
        return response
