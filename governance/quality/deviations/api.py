"""API resources of deviations and CAPAs, each workflow step a POST, scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from governance.quality.api import StepMixin
from governance.quality.batches.models import Batch
from governance.quality.deviations import selectors, services
from governance.quality.deviations.filters import CapaFilter, DeviationFilter
from governance.quality.deviations.models import Capa, Deviation
from governance.quality.models import Finding
from partnership.models import Membership, Partnership, Site
from partnership.parties.api import SeatedPersonField
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField


def _steps(obj, user) -> list[str]:
    if obj.partnership_id not in (getattr(user, "_held_roles", None) or {}):
        obj.partnership.hold_role_of(user)
    return list(obj.steps_for(user)) if obj.partnership.can_write(user) else []


class DeviationSerializer(ScopedModelSerializer):
    """A deviation, OOS, OOT or complaint the CDMO reports. `notify_sponsor` (default true)
    shares it at once; false keeps it the CDMO's own while the agreement's clock runs.
    `notified_in_time` is null until notified or without an agreement in force."""

    partnership = ScopedRelatedField(Partnership)
    site = ScopedRelatedField(Site)
    batch = ScopedRelatedField(Batch, required=False, allow_null=True)
    notify_sponsor = serializers.BooleanField(write_only=True, required=False, default=True)
    notified_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    capa_count = serializers.IntegerField(read_only=True, default=0)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Deviation
        fields = ["id", "partnership", "reference", "site", "batch", "lot", "kind",
                  "classification",
                  "title", "description", "detected_at", "sponsor_notified_at",
                  "notify_sponsor", "notify_by", "notified_in_time", "agreement", "status",
                  "steps", "investigation", "root_cause", "product_impact", "review_note",
                  "closed_at", "closed_by", "capa_count", "is_internal",
                  "author_organization", "created_at", "updated_at"]
        validators = []  # the reference's uniqueness: the service's, after who may report
        read_only_fields = ["notify_by", "agreement", "status", "investigation", "root_cause",
                            "product_impact", "review_note", "closed_at", "closed_by",
                            "is_internal", "author_organization", "created_at", "updated_at"]

    def get_steps(self, obj) -> list[str]:
        return _steps(obj, self.context["request"].user)

    def create(self, validated_data):
        return services.deviation_report(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "notify_sponsor", "sponsor_notified_at"):
            validated_data.pop(name, None)
        return services.deviation_update(actor=self.context["request"].user,
                                         deviation=instance, **validated_data)


class InvestigationSerializer(serializers.Serializer):
    investigation = serializers.CharField()
    root_cause = serializers.CharField(required=False, allow_blank=True)
    product_impact = serializers.CharField(required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    review_note = serializers.CharField(required=False, allow_blank=True)


class RequiredNoteSerializer(serializers.Serializer):
    review_note = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    effectiveness_evidence = serializers.CharField()


class DeviationViewSet(StepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Deviations (filters status, kind, classification, site, late). The CDMO POSTs them
    and PATCHes them while open; POSTs notify/ (shares it with the sponsor, the time kept
    against the agreement's deadline), investigation/ {investigation, root_cause,
    product_impact}, investigate/, then close/ or request-closure/ as the agreement says;
    the sponsor's QA lead POSTs approve-closure/ {review_note} or send-back/ {review_note}.
    A step by the wrong party or from the wrong status answers 400."""

    model = Deviation
    selector = selectors.deviation_list
    serializer_class = DeviationSerializer
    filterset_class = DeviationFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _deviation_step(self, request, step, body=None):
        return self._step(request, "governance.deviation_step", services.DEVIATION_STEPS[step],
                          "deviation", body)

    @extend_schema(request=None, responses=DeviationSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        return self._step(request, "governance.deviation_notify",
                          services.deviation_notify_sponsor, "deviation")

    @extend_schema(request=InvestigationSerializer, responses=DeviationSerializer)
    @action(detail=True, methods=["post"])
    def investigation(self, request, pk=None):
        return self._step(request, "governance.deviation_step",
                          services.deviation_investigation_write, "deviation",
                          InvestigationSerializer)

    @extend_schema(request=None, responses=DeviationSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        return self._deviation_step(request, "investigate")

    @extend_schema(request=None, responses=DeviationSerializer)
    @action(detail=True, methods=["post"], url_path="request-closure")
    def request_closure(self, request, pk=None):
        return self._deviation_step(request, "request_closure")

    @extend_schema(request=None, responses=DeviationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._deviation_step(request, "close")

    @extend_schema(request=NoteSerializer, responses=DeviationSerializer)
    @action(detail=True, methods=["post"], url_path="approve-closure")
    def approve_closure(self, request, pk=None):
        return self._deviation_step(request, "approve_closure", NoteSerializer)

    @extend_schema(request=RequiredNoteSerializer, responses=DeviationSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._deviation_step(request, "send_back", RequiredNoteSerializer)


class CapaSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A CAPA from one audit finding or one deviation (a complaint is a deviation of that
    type), due from today on (an edit keeps its own date). `steps` are those the caller may
    take now; the effectiveness check is verified by the sponsor's QA lead signing it
    (sign/)."""

    future_dates = ("due_date",)

    partnership = ScopedRelatedField(Partnership)
    finding = ScopedRelatedField(Finding, required=False, allow_null=True)
    deviation = ScopedRelatedField(Deviation, required=False, allow_null=True)
    owner = SeatedPersonField(roles=Membership.WRITING_ROLES)
    is_overdue = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    signatures = SignaturesField()

    class Meta:
        model = Capa
        fields = ["id", "partnership", "number", "title", "finding", "deviation",
                  "root_cause", "action_plan", "owner", "due_date", "status", "is_overdue",
                  "steps", "effectiveness_evidence", "review_note", "implemented_at",
                  "verified_at", "signatures", "author_organization", "created_at",
                  "updated_at"]
        read_only_fields = ["number", "status", "effectiveness_evidence", "review_note",
                            "implemented_at", "verified_at", "author_organization",
                            "created_at", "updated_at"]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_steps(self, obj) -> list[str]:
        return _steps(obj, self.context["request"].user)

    def create(self, validated_data):
        return services.capa_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "finding", "deviation"):
            validated_data.pop(name, None)
        return services.capa_update(actor=self.context["request"].user, capa=instance,
                                    **validated_data)


class CapaViewSet(SignActionMixin, StepMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                  ScopedViewSet):
    """CAPAs (filters status, overdue, source). A writer POSTs one with its finding or
    deviation; the owner (or their party's QA lead) PATCHes the plan until it is
    implemented and POSTs start/ and implement/ {effectiveness_evidence}; the sponsor's QA
    lead POSTs sign/ (verifies the effectiveness: the CAPA is closed) or reopen/
    {review_note}."""

    model = Capa
    selector = selectors.capa_list
    serializer_class = CapaSerializer
    filterset_class = CapaFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=None, responses=CapaSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(request, "governance.capa_step", services.capa_start, "capa")

    @extend_schema(request=EvidenceSerializer, responses=CapaSerializer)
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        return self._step(request, "governance.capa_step", services.capa_implement, "capa",
                          EvidenceSerializer)

    @extend_schema(request=RequiredNoteSerializer, responses=CapaSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, "governance.capa_step", services.capa_reopen, "capa",
                          RequiredNoteSerializer)


routes = [("deviations", DeviationViewSet, "deviation"), ("capas", CapaViewSet, "capa")]
