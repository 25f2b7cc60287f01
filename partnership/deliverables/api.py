"""API resources of deliverables, their criteria and reviews (serializers and viewsets), all
scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from partnership.contracts.models import Contract
from partnership.deliverables import selectors, services
from partnership.deliverables.filters import DeliverableFilter
from partnership.deliverables.models import AcceptanceCriterion, Deliverable, DeliverableReview
from partnership.parties.models import Partnership
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import (
    FutureDatesMixin,
    ScopedModelSerializer,
    ScopedRelatedField,
    records_past_field,
)


class AcceptanceCriterionSerializer(ScopedModelSerializer):
    deliverable = ScopedRelatedField(Deliverable)

    class Meta:
        model = AcceptanceCriterion
        fields = ["id", "partnership", "deliverable", "text", "created_at"]
        read_only_fields = ["partnership", "created_at"]


    def create(self, validated_data):
        return services.acceptance_criterion_add(actor=self.context["request"].user,
                                                 **validated_data)


class DeliverableTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Deliverable.Status.choices)


class DeliverableSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A due date in the past is refused unless `records_past` is true (the deliverables of
    a SOW executed before the partnership used the portal); an edit keeps its own date."""

    future_dates = ("due_date",)
    past_confirmation = "records_past"
    records_past = records_past_field()
    partnership = ScopedRelatedField(Partnership)
    sow = ScopedRelatedField(Contract, {"kind": Contract.Kind.SOW})
    criteria = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")
    signatures = SignaturesField()

    class Meta:
        model = Deliverable
        fields = ["id", "partnership", "sow", "title", "description", "due_date",
                  "responsible_party", "status", "criteria", "criteria_agreed_at",
                  "rejection_count", "accepted_first_time", "signatures", "is_internal",
                  "records_past", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "criteria_agreed_at", "rejection_count",
                            "author_organization", "created_at", "updated_at"]

    def create(self, validated_data):
        return services.deliverable_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.deliverable_update(actor=self.context["request"].user,
                                           deliverable=instance, **validated_data)


class CriterionResultSerializer(serializers.Serializer):
    # The id of a criterion, bounded like any id (a bigint): DRF takes any integer however
    # long, and a number no row can have is a field error, not a criterion "missing".
    criterion = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    met = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInputSerializer(serializers.Serializer):
    """An accepting review is signed: its meaning and the reviewer's password (and TOTP
    code); a rejection needs neither."""

    results = CriterionResultSerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    meaning = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="",
                                     style={"input_type": "password"}, trim_whitespace=False)
    otp_code = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverableReviewSerializer(ScopedModelSerializer):
    results = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableReview
        fields = ["id", "partnership", "deliverable", "decision", "comment", "reviewed_by",
                  "reviewed_at", "results"]

    def get_results(self, review) -> list[dict]:
        return [{"criterion": r.criterion_id, "met": r.met, "comment": r.comment}
                for r in review.results.all()]


class DeliverableViewSet(SignActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Deliverables of SOWs. The responsible party POSTs .../transition/ {"status":
    "in_progress" | "delivered"} (starting the work agrees to the criteria); the receiving
    party POSTs .../review/ with a result for every criterion, signed (meaning, password)
    when it accepts; an accepted deliverable changed since is signed again at .../sign/.
    Its SOW and responsible party are set by the party that wrote it, and fixed once work
    has started."""

    model = Deliverable
    selector = selectors.deliverable_list
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("criteria")

    @extend_schema(request=DeliverableTransitionSerializer, responses=DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        deliverable = self.get_object()
        body = DeliverableTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deliverable = services.deliverable_transition(
            actor=request.user, deliverable=deliverable, status=body.validated_data["status"])
        return Response(self.get_serializer(deliverable).data)

    @extend_schema(request=ReviewInputSerializer, responses=DeliverableReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        deliverable = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = {row["criterion"]: (row["met"], row["comment"])
                   for row in data.validated_data["results"]}
        review = services.deliverable_review(
            actor=request.user, deliverable=deliverable, results=results,
            comment=data.validated_data["comment"], meaning=data.validated_data["meaning"],
            password=data.validated_data["password"],
            otp_code=data.validated_data["otp_code"] or None)
        return Response(DeliverableReviewSerializer(review).data, status=201)


class AcceptanceCriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                 mixins.CreateModelMixin, ScopedViewSet):
    """Acceptance criteria: the receiving party adds them while the deliverable is planned;
    fixed once work starts."""

    model = AcceptanceCriterion
    selector = selectors.acceptance_criterion_list
    serializer_class = AcceptanceCriterionSerializer
    filterset_fields = ["deliverable"]


class DeliverableReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               ScopedViewSet):
    """Decisions on deliveries, criterion by criterion."""

    model = DeliverableReview
    selector = selectors.deliverable_review_list
    serializer_class = DeliverableReviewSerializer
    filterset_fields = ["deliverable"]

routes = [
    ("deliverables", DeliverableViewSet, "deliverable"),
    ("acceptance-criteria", AcceptanceCriterionViewSet, "acceptancecriterion"),
    ("deliverable-reviews", DeliverableReviewViewSet, "deliverablereview"),
]
