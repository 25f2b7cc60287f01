"""API resources of the priorities and objectives (serializers and viewsets), all scoped
(DESIGN §2)."""

from rest_framework import mixins, serializers

from partnership.objectives import selectors, services
from partnership.objectives.models import Objective, ObjectiveReview, Priority, PriorityChange
from partnership.parties.api import SeatedPersonField
from partnership.parties.models import Membership, Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField
from portal.validation import validate_date_in_range


class PrioritySerializer(ScopedModelSerializer):
    class Meta:
        model = Priority
        fields = ["id", "partnership", "rank", "title"]


class PriorityChangeSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    after = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)

    class Meta:
        model = PriorityChange
        fields = ["id", "partnership", "changed_by", "changed_at", "reason", "before", "after"]
        read_only_fields = ["changed_by", "changed_at", "before"]

    def create(self, validated_data):
        return services.priorities_set(actor=self.context["request"].user,
                                       partnership=validated_data["partnership"],
                                       titles=validated_data["after"],
                                       reason=validated_data["reason"])


class PriorityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The sponsor's current ranking; change it by POSTing to priority-changes."""

    model = Priority
    selector = selectors.priority_list
    serializer_class = PrioritySerializer


class PriorityChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, ScopedViewSet):
    """History of the ranking. POST {"partnership", "after": [titles…], "reason"} (sponsor
    leads only) replaces the ranking."""

    model = PriorityChange
    selector = selectors.priority_change_list
    serializer_class = PriorityChangeSerializer



class ObjectiveSerializer(FutureDatesMixin, ScopedModelSerializer):
    """An objective; its next review lies ahead (an edit keeps its own date)."""

    future_dates = ("review_date",)
    partnership = ScopedRelatedField(Partnership)
    sponsor_owner = SeatedPersonField(party="sponsor", roles=Membership.WRITING_ROLES)
    cdmo_owner = SeatedPersonField(party="cdmo", roles=Membership.WRITING_ROLES)

    class Meta:
        model = Objective
        fields = ["id", "partnership", "title", "measure_of_success", "sponsor_owner",
                  "cdmo_owner", "review_date", "status", "is_internal", "author_organization",
                  "created_at", "updated_at"]
        read_only_fields = ["status", "author_organization", "created_at", "updated_at"]

    def create(self, validated_data):
        return services.objective_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.objective_update(actor=self.context["request"].user,
                                         objective=instance, **validated_data)


class ObjectiveReviewSerializer(FutureDatesMixin, ScopedModelSerializer):
    future_dates = ("next_review_date",)
    objective = ScopedRelatedField(Objective)
    next_review_date = serializers.DateField(write_only=True,
                                             validators=[validate_date_in_range])

    class Meta:
        model = ObjectiveReview
        fields = ["id", "partnership", "objective", "status", "note", "next_review_date",
                  "reviewed_by", "reviewed_at"]
        read_only_fields = ["partnership", "reviewed_by", "reviewed_at"]


    def create(self, validated_data):
        return services.objective_review(actor=self.context["request"].user, **validated_data)


class ObjectiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Goals both parties agreed; their status changes through objective-reviews."""

    model = Objective
    selector = selectors.objective_list
    serializer_class = ObjectiveSerializer


class ObjectiveReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, ScopedViewSet):
    """How each objective was reviewed; POST records a review."""

    model = ObjectiveReview
    selector = selectors.objective_review_list
    serializer_class = ObjectiveReviewSerializer
    filterset_fields = ["objective"]

routes = [
    ("priorities", PriorityViewSet, "priority"),
    ("priority-changes", PriorityChangeViewSet, "prioritychange"),
    ("objectives", ObjectiveViewSet, "objective"),
    ("objective-reviews", ObjectiveReviewViewSet, "objectivereview"),
]
