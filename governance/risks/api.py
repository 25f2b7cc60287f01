"""API resource of the risk register, scoped (DESIGN §2)."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.risks import selectors, services
from governance.risks.filters import RiskFilter
from governance.risks.models import Risk
from partnership.models import Milestone, Partnership
from partnership.parties.api import SeatedPersonField
from partnership.scoping_views import ScopedViewSet
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField


class RiskSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A risk as selectors.risk_list gives it: its score is the selector's `risk_score`. Its
    next review lies ahead (an edit keeps its own date)."""

    future_dates = ("review_date",)

    partnership = ScopedRelatedField(Partnership)
    owner = SeatedPersonField()
    milestones = ScopedRelatedField(Milestone, many=True, required=False)
    score = serializers.IntegerField(source="risk_score", read_only=True)
    band = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = ["id", "partnership", "title", "description", "category", "likelihood",
                  "impact", "score", "band", "owner", "mitigation", "review_date", "status",
                  "milestones", "is_internal", "author_organization", "created_at",
                  "updated_at"]
        read_only_fields = ["status", "author_organization", "created_at", "updated_at"]

    def create(self, validated_data):
        return services.risk_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.risk_update(actor=self.context["request"].user, risk=instance,
                                    **validated_data)

    def get_band(self, obj) -> str:
        return Risk.band_of(obj.risk_score)[0]

    def to_representation(self, instance):
        # The milestones listed are those the caller may see, whatever is linked (a no-op
        # when the viewset prefetched them so).
        prefetch_related_objects([instance], Prefetch(
            "milestones", queryset=selectors.risk_milestones(user=self.context["request"].user)))
        return super().to_representation(instance)


class RiskTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Risk.Status.choices)


class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, ScopedViewSet):
    """The risk register of your partnerships (score = likelihood × impact; filters
    category, status, owner, min_score, likelihood, impact). POST .../transition/
    {"status": "closed" | "open"} closes or reopens a risk."""

    model = Risk
    selector = selectors.risk_list
    serializer_class = RiskSerializer
    filterset_class = RiskFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch(
            "milestones", queryset=selectors.risk_milestones(user=self.request.user)))

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=RiskTransitionSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        risk = self.get_object()
        body = RiskTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        risk = services.risk_transition(actor=request.user, risk=risk,
                                        status=body.validated_data["status"])
        return Response(self.get_serializer(self.read_again(risk)).data)


routes = [("risks", RiskViewSet, "risk")]
