"""API resource of KPI definitions: a lead drafts one (POST) and corrects it while a draft
(PATCH), POSTs submit/, reopen/ or retire/ ({reason} once signed or agreed) and revise/
(version n+1 as a draft); the leads of both parties sign it off with sign/; the reporting
party computes a computed KPI's value with compute/ (metrics.computed.api). Scoped (DESIGN
§2)."""

from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.quality.api import StepMixin
from metrics.computed.api import ComputeActionMixin
from metrics.kpis import selectors, services
from metrics.kpis.filters import KPIDefinitionFilter
from metrics.kpis.models import KPIDefinition
from metrics.scorecard.api import SeriesActionMixin
from partnership.models import Partnership
from partnership.permissions import can, require_person
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class KPIDefinitionSerializer(ScopedModelSerializer):
    """One version of a KPI. `steps` are the steps the caller may take now."""

    partnership = ScopedRelatedField(Partnership)
    key = serializers.SlugField(max_length=60, required=False)
    steps = serializers.SerializerMethodField()
    signatures = SignaturesField()

    class Meta:
        model = KPIDefinition
        fields = ["id", "partnership", "key", "version", "name", "formula", "unit",
                  "direction", "target", "amber_threshold", "red_threshold", "frequency",
                  "data_source", "reporting_party", "review_window_days", "due_day",
                  "status", "supersedes", "steps", "signatures", "author_organization",
                  "created_at", "updated_at"]
        read_only_fields = ["version", "status", "supersedes", "author_organization",
                            "created_at", "updated_at"]
        validators = []  # the service names the key already taken, by its field

    def get_steps(self, obj) -> list[str]:
        user = self.context["request"].user
        if obj.partnership_id not in (getattr(user, "_held_roles", None) or {}):
            obj.partnership.hold_role_of(user)  # once per partnership, not per row
        return list(obj.steps_now()) if can(user, "metrics.kpidefinition_step", obj) else []

    def create(self, validated_data):
        return services.kpi_definition_create(actor=self.context["request"].user,
                                              **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        validated_data.pop("key", None)  # a series keeps its key
        return services.kpi_definition_update(actor=self.context["request"].user,
                                              definition=instance, **validated_data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class KPIDefinitionViewSet(ComputeActionMixin, SeriesActionMixin, SignActionMixin, StepMixin,
                           mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """KPI definitions (filters status, frequency; ordering name, status). A step by the
    wrong person answers 403, from the wrong status 400. `series/` reads the published
    values of a definition's series (metrics.scorecard.api)."""

    model = KPIDefinition
    selector = selectors.kpi_definition_list
    serializer_class = KPIDefinitionSerializer
    filterset_class = KPIDefinitionFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _do(self, request, step):
        return self._step(request, "metrics.kpidefinition_step",
                          partial(services.kpi_definition_step, step=step), "definition",
                          ReasonSerializer)

    @extend_schema(request=None, responses=KPIDefinitionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._do(request, "submit")

    @extend_schema(request=ReasonSerializer, responses=KPIDefinitionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._do(request, "reopen")

    @extend_schema(request=ReasonSerializer, responses=KPIDefinitionSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._do(request, "retire")

    @extend_schema(request=None, responses=KPIDefinitionSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        definition = self.get_object()
        require_person(request.user, "metrics.kpidefinition_revise", definition)
        revision = services.kpi_definition_revise(actor=request.user, definition=definition)
        return Response(self.get_serializer(self.read_again(revision)).data, status=201)


routes = [("kpi-definitions", KPIDefinitionViewSet, "kpidefinition")]
