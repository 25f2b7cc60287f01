"""API resource of action items, scoped (DESIGN §2)."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.actions import selectors, services
from governance.actions.filters import ActionItemFilter
from governance.actions.models import ActionItem
from governance.escalation.api import ActionItemEscalationSerializer
from governance.escalation.selectors import action_item_escalations
from governance.meetings.models import Decision, Meeting
from governance.requests.models import Request
from partnership.models import Membership, Partnership
from partnership.parties.api import SeatedPersonField
from partnership.scoping_views import ScopedViewSet
from portal.serializers import (
    FutureDatesMixin,
    ScopedModelSerializer,
    ScopedRelatedField,
    records_past_field,
)


class ActionItemSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A due date in the past is refused unless `records_past` is true (an action entered
    after the fact); an edit keeps the action's own date."""

    future_dates = ("due_date",)
    past_confirmation = "records_past"
    records_past = records_past_field()
    partnership = ScopedRelatedField(Partnership)
    owner = SeatedPersonField(roles=Membership.WRITING_ROLES)
    owning_party = serializers.CharField(read_only=True)
    meeting = ScopedRelatedField(Meeting, required=False, allow_null=True)
    request = ScopedRelatedField(Request, required=False, allow_null=True)
    decision = ScopedRelatedField(Decision, required=False, allow_null=True)

    class Meta:
        model = ActionItem
        fields = ["id", "partnership", "title", "description", "owner", "owning_party",
                  "due_date", "priority", "status", "completed_at", "is_internal",
                  "meeting", "request", "decision", "records_past",
                  "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "completed_at", "author_organization", "created_at",
                            "updated_at"]

    def create(self, validated_data):
        return services.action_item_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.action_item_update(actor=self.context["request"].user, item=instance,
                                           **validated_data)


class ActionItemDetailSerializer(ActionItemSerializer):
    """An action with its escalation steps, oldest first: on GET of one action only, so
    the list costs no more."""

    escalations = ActionItemEscalationSerializer(many=True, read_only=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "escalations"]

    def to_representation(self, instance):
        prefetch_related_objects([instance], Prefetch(
            "escalations", queryset=action_item_escalations(
                user=self.context["request"].user, item=instance)))
        return super().to_representation(instance)


class ActionItemTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Action items of your partnerships. POST .../transition/ {"status": …} moves one along
    open → in progress → done / cancelled (and back to open)."""

    model = ActionItem
    selector = selectors.action_item_list
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter

    def get_serializer_class(self):
        return ActionItemDetailSerializer if self.action == "retrieve" else ActionItemSerializer

    @extend_schema(request=ActionItemTransitionSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        body = ActionItemTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.action_item_transition(actor=request.user, item=item,
                                               status=body.validated_data["status"])
        return Response(self.get_serializer(item).data)


routes = [("action-items", ActionItemViewSet, "actionitem")]
