"""API resource of change controls: raise and correct a draft, each step a POST, the
sponsor's decision by the sign action; scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from governance.quality.api import StepMixin
from governance.quality.changes import selectors, services
from governance.quality.changes.filters import ChangeControlFilter
from governance.quality.changes.models import ChangeControl
from partnership.models import Partnership, Program, Site
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField
from portal.validation import validate_date_in_range


class ChangeControlSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A CDMO change control, proposed for a day ahead (an edit keeps its own date).
    `steps` are the steps the caller may take now, `decisions` the decisions the caller may
    sign now (on a change's own read; empty in the list)."""

    future_dates = ("proposed_on",)

    partnership = ScopedRelatedField(Partnership)
    # Read as null once the sponsor made the program internal; never written empty.
    program = ScopedRelatedField(Program, allow_null=True)
    site = ScopedRelatedField(Site)
    steps = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    is_decision_overdue = serializers.BooleanField(read_only=True)
    signatures = SignaturesField()

    class Meta:
        model = ChangeControl
        fields = ["id", "partnership", "reference", "title", "category", "site", "program",
                  "description", "rationale", "impact_quality", "impact_validation",
                  "impact_regulatory", "proposed_on", "status", "classification",
                  "agreement", "submitted_at", "submitted_by", "decision_due",
                  "is_decision_overdue", "decision_conditions", "decided_by", "decided_at",
                  "acknowledged_by", "acknowledged_at", "implemented_on", "implemented_by",
                  "implementation_evidence", "closed_at", "closed_by", "withdrawn_reason",
                  "steps", "decisions", "signatures", "author_organization", "created_at",
                  "updated_at"]
        read_only_fields = ["status", "classification", "agreement", "submitted_at",
                            "submitted_by", "decision_due", "decision_conditions",
                            "decided_by", "decided_at", "acknowledged_by", "acknowledged_at",
                            "implemented_on", "implemented_by", "implementation_evidence",
                            "closed_at", "closed_by", "withdrawn_reason",
                            "author_organization", "created_at", "updated_at"]
        validators = []  # the service names the number already recorded, by its field

    def validate_program(self, program):
        if program is None:
            raise serializers.ValidationError("Choose the program the change affects.")
        return program

    def _writer(self, obj) -> bool:
        user = self.context["request"].user
        if obj.partnership_id not in (getattr(user, "_held_roles", None) or {}):
            obj.partnership.hold_role_of(user)  # once per partnership, not per row
        return obj.partnership.can_write(user)

    def _listing(self) -> bool:
        view = self.context.get("view")
        return view is not None and getattr(view, "action", None) == "list"

    def get_steps(self, obj) -> list[str]:
        return list(obj.steps_for(self.context["request"].user)) if self._writer(obj) else []

    def get_decisions(self, obj) -> list[str]:
        if self._listing():
            return []  # computed per change (signers): on the change's own read
        return obj.decisions_for(self.context["request"].user) if self._writer(obj) else []

    def create(self, validated_data):
        return services.change_control_create(actor=self.context["request"].user,
                                              **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.change_control_update(actor=self.context["request"].user,
                                              change=instance, **validated_data)


class ImplementSerializer(serializers.Serializer):
    implemented_on = serializers.DateField(validators=[validate_date_in_range])
    implementation_evidence = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ConditionsSerializer(serializers.Serializer):
    decision_conditions = serializers.CharField()


class ChangeControlViewSet(SignActionMixin, StepMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           mixins.UpdateModelMixin, ScopedViewSet):
    """Change controls (filters status, category, classification, site; ordering raised,
    reference, proposed, due, status). The CDMO raises one (POST) and corrects it while a
    draft (PATCH); its QA lead POSTs submit/ (classed by the quality agreement in force:
    approval required without one). The sponsor's QA lead signs the decision of an
    approval-required change: sign/ {event: approved | approved_with_conditions |
    rejected, meaning, password} (conditions/ {decision_conditions} first for an approval
    with conditions), or POSTs acknowledge/ for a notify-only one. The CDMO POSTs
    implement/ {implemented_on, implementation_evidence} — never before an approval — and
    its QA lead close/, or withdraw/ {reason} before the sponsor has answered. A step by the
    wrong party or from the wrong status answers 400."""

    model = ChangeControl
    selector = selectors.change_control_list
    serializer_class = ChangeControlSerializer
    filterset_class = ChangeControlFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _do(self, request, step, body_class=None):
        return self._step(request, "governance.changecontrol_step", services.CHANGE_STEPS[step],
                          "change", body_class)

    @extend_schema(request=None, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._do(request, "submit")

    @extend_schema(request=None, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._do(request, "acknowledge")

    @extend_schema(request=ImplementSerializer, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        return self._do(request, "implement", ImplementSerializer)

    @extend_schema(request=None, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._do(request, "close")

    @extend_schema(request=WithdrawSerializer, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._do(request, "withdraw", WithdrawSerializer)

    @extend_schema(request=ConditionsSerializer, responses=ChangeControlSerializer)
    @action(detail=True, methods=["post"])
    def conditions(self, request, pk=None):
        return self._step(request, "governance.changecontrol_conditions",
                          services.change_control_set_conditions, "change",
                          ConditionsSerializer)


routes = [("change-controls", ChangeControlViewSet, "changecontrol")]
