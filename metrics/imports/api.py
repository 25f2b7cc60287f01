"""API resource of KPI imports: the reporting party POSTs a spreadsheet (multipart: file,
partnership) and is answered 202 Accepted with the import's URL; GET shows its status, its
progress (rows_done of rows_total), its errors by row and field, and once done the values
it entered. Scoped (DESIGN §2)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from metrics.imports import selectors, services
from metrics.imports.filters import KPIImportFilter
from metrics.imports.models import KPIImport
from partnership.models import Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class KPIImportSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    file = serializers.FileField(write_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = KPIImport
        fields = ["id", "url", "partnership", "file", "name", "size", "sha256", "status",
                  "rows_total", "rows_done", "percent", "errors", "values", "uploaded_by",
                  "created_at", "finished_at"]
        read_only_fields = ["name", "size", "sha256", "status", "rows_total", "rows_done",
                            "errors", "values", "created_at", "finished_at"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("kpiimport-detail",
                                                                  args=[obj.pk]))

    def create(self, validated_data):
        return services.kpi_import_create(actor=self.context["request"].user,
                                          partnership=validated_data["partnership"],
                                          file=validated_data["file"])


class KPIImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, ScopedViewSet):
    """Spreadsheet imports of KPI values (filter status). POST answers 202: the job runs
    after; poll the import's URL until its status is done or failed."""

    model = KPIImport
    selector = selectors.kpi_import_list
    serializer_class = KPIImportSerializer
    filterset_class = KPIImportFilter
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={202: KPIImportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kpi_import = serializer.save()
        data = self.get_serializer(self.read_again(kpi_import)).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


routes = [("kpi-imports", KPIImportViewSet, "kpiimport")]
