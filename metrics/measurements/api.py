"""API resource of KPI values: the reporting party enters one (POST) and changes it before
sharing (PATCH), POSTs submit/ and share/; the other party accept/ {text}, dispute/
{text} within the review window; the reporting party answers a dispute with correct/
{value, numerator, denominator, reason}, the disputing party with withdraw/ {text}; either
party comment/ {text}; the reporting party attaches a file with evidence/ (multipart:
file); a lead publishes with sign/. Scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from governance.quality.api import StepMixin
from metrics.computed.selectors import sources_of
from metrics.kpis.models import KPIDefinition
from metrics.measurements import selectors, services
from metrics.measurements.filters import KPIMeasurementFilter
from metrics.measurements.models import KPIMeasurement, MeasurementReview
from partnership.permissions import require_person
from partnership.scoping_views import WRITE, ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class ReviewSerializer(ScopedModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = MeasurementReview
        fields = ["kind", "text", "author", "party", "value_before", "value_after",
                  "created_at"]
        read_only_fields = fields


class KPIMeasurementSerializer(ScopedModelSerializer):
    """One period's value. `steps` are the steps the caller may take now; `reviews` the
    review thread (on a value's own read; empty in the list)."""

    definition = ScopedRelatedField(KPIDefinition)
    rag = serializers.CharField(read_only=True, allow_null=True)
    steps = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    signatures = SignaturesField()

    class Meta:
        model = KPIMeasurement
        fields = ["id", "partnership", "definition", "key", "period", "value", "numerator",
                  "denominator", "comment", "status", "rag", "shared_at", "review_until",
                  "accepted_at", "accepted_by", "published_at", "steps", "reviews",
                  "evidence", "sources", "signatures", "author_organization", "created_at",
                  "updated_at"]
        read_only_fields = ["partnership", "key", "status", "shared_at", "review_until",
                            "accepted_at", "accepted_by", "published_at",
                            "author_organization", "created_at", "updated_at"]
        validators = []  # the service names the period already entered, by its field
        # A percentage's or a ratio's value left out is worked out by the service.
        extra_kwargs = {"value": {"required": False, "allow_null": True}}

    def _listing(self) -> bool:
        view = self.context.get("view")
        return view is not None and getattr(view, "action", None) == "list"

    def get_steps(self, obj) -> list[str]:
        return list(obj.steps_for(self.context["request"].user))

    def get_reviews(self, obj) -> list[dict]:
        if self._listing():
            return []
        return ReviewSerializer(selectors.review_thread(
            user=self.context["request"].user, measurement=obj), many=True).data

    def get_evidence(self, obj) -> list[dict]:
        """The files attached (name, size, checksum, the scoped download URL)."""
        if self._listing():
            return []
        request = self.context["request"]
        return [{"name": file.name, "size": file.size, "sha256": file.sha256,
                 "url": request.build_absolute_uri(file.get_absolute_url())}
                for file in selectors.evidence_list(user=request.user).filter(measurement=obj)]

    def get_sources(self, obj) -> dict | None:
        """A computed value's source records the caller may see (on a value's own read)."""
        if self._listing() or obj.definition.data_source != KPIDefinition.Source.COMPUTED:
            return None
        return sources_of(self.context["request"], obj)

    def create(self, validated_data):
        return services.kpi_measurement_create(actor=self.context["request"].user,
                                               **validated_data)

    def update(self, instance, validated_data):
        for name in ("definition", "period"):
            validated_data.pop(name, None)  # a value keeps its KPI and period
        return services.kpi_measurement_update(actor=self.context["request"].user,
                                               measurement=instance, **validated_data)


def _comment(*, actor, measurement: KPIMeasurement, text: str) -> KPIMeasurement:
    """The comment's service, answering with the value commented on (what the API shows)."""
    services.kpi_measurement_comment(actor=actor, measurement=measurement, text=text)
    return measurement


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class OptionalTextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)


class CorrectSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    numerator = serializers.DecimalField(max_digits=14, decimal_places=4, required=False,
                                         allow_null=True)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=4, required=False,
                                           allow_null=True)
    reason = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class KPIMeasurementViewSet(SignActionMixin, StepMixin, mixins.ListModelMixin,
                            mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            mixins.UpdateModelMixin, ScopedViewSet):
    """KPI values (filters status, period_from, period_to, key; ordering period, status). A
    step by the wrong party or from the wrong status answers 400."""

    model = KPIMeasurement
    selector = selectors.kpi_measurement_list
    serializer_class = KPIMeasurementSerializer
    filterset_class = KPIMeasurementFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def page_rows(self, queryset, bottom: int, top: int):
        """In the default order (newest period first), the page's rows read partnership by
        partnership (selectors.newest_first); any other sort as every list reads it."""
        if tuple(queryset.query.order_by) in ((), ("-period", "-pk")):
            rows = selectors.newest_first(user=self.request.user, rows=queryset,
                                          bottom=bottom, top=top)
            if rows is not None:
                return rows
        return queryset[bottom:top]

    def _do(self, request, service, rule="metrics.kpimeasurement_step", body_class=None):
        return self._step(request, rule, service, "measurement", body_class)

    @extend_schema(request=None, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._do(request, services.kpi_measurement_submit)

    @extend_schema(request=None, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._do(request, services.kpi_measurement_share)

    @extend_schema(request=OptionalTextSerializer, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._do(request, services.kpi_measurement_accept,
                        body_class=OptionalTextSerializer)

    @extend_schema(request=TextSerializer, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        return self._do(request, services.kpi_measurement_dispute, body_class=TextSerializer)

    @extend_schema(request=CorrectSerializer, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        return self._do(request, services.kpi_measurement_correct,
                        body_class=CorrectSerializer)

    @extend_schema(request=TextSerializer, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._do(request, services.kpi_measurement_withdraw_dispute,
                        body_class=TextSerializer)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: KPIMeasurementSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """The reporting party attaches a file (PDF, XLSX or CSV, judged by its content)
        until the value is published: 201 with the value and its files."""
        measurement = self.get_object()
        # The person first (a read-only seat, whatever the body), then the body, then the
        # service (which party, which state), as every step of a value.
        require_person(request.user, WRITE, measurement.partnership)
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.kpi_measurement_attach(actor=request.user, measurement=measurement,
                                        file=body.validated_data["file"])
        return Response(self.get_serializer(self.read_again(measurement)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=TextSerializer, responses=KPIMeasurementSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        return self._do(request, _comment, rule="metrics.kpimeasurement_comment",
                        body_class=TextSerializer)


routes = [("kpi-measurements", KPIMeasurementViewSet, "kpimeasurement")]
