"""API resources of the governance app, all scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance import services
from governance.filters import ActionItemFilter
from governance.models import ActionItem
from partnership.api import TransitionSerializer
from partnership.models import Partnership, User
from portal.serializers import ScopedRelatedField
from portal.tenancy import ScopedViewSet


class ActionItemSerializer(serializers.ModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    owner = ScopedRelatedField(User)
    owning_party = serializers.CharField(read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "partnership", "title", "description", "owner", "owning_party",
                  "due_date", "priority", "status", "completed_at", "is_internal",
                  "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "completed_at", "author_organization", "created_at",
                            "updated_at"]

    def create(self, validated_data):
        return services.action_item_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.action_item_update(actor=self.context["request"].user, item=instance,
                                           **validated_data)


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Action items of your partnerships. POST .../transition/ {"status": …} moves one along
    open → in progress → done / cancelled (and back to open)."""

    model = ActionItem
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    select_related = ("owner", "partnership")

    @extend_schema(request=TransitionSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        item = services.action_item_transition(actor=request.user, item=item,
                                               status=request.data.get("status", ""))
        return Response(self.get_serializer(item).data)


routes = [("action-items", ActionItemViewSet, "actionitem")]
