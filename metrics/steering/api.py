"""API resource of the steering packs, scoped like their page (DESIGN §2): POST asks for
a pack of a partnership and period (the job makes it; 201 with its status), GET reads a
pack's status and, once made, its scoped download link."""

from rest_framework import mixins, serializers

from governance.meetings.models import Meeting
from metrics.steering import selectors, services
from metrics.steering.models import SteeringPack
from partnership.models import Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class SteeringPackSerializer(ScopedModelSerializer):
    """A pack: who asked, when, for which period and meeting, its status and, once made,
    when and the URL of its download (the scoped page, as a session or a token reads it)."""

    partnership = ScopedRelatedField(Partnership)
    meeting = ScopedRelatedField(Meeting, filters={"kind": Meeting.Kind.STEERING_COMMITTEE},
                                 required=False, allow_null=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = SteeringPack
        fields = ["id", "partnership", "period_start", "period_end", "meeting", "status",
                  "requested_by", "requested_at", "generated_at", "name", "size", "sha256",
                  "error", "download"]
        read_only_fields = ["status", "requested_by", "requested_at", "generated_at", "name",
                            "size", "sha256", "error"]

    def get_download(self, obj) -> str | None:
        if not obj.is_ready:
            return None
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())

    def create(self, validated_data):
        return services.steering_pack_request(actor=self.context["request"].user,
                                              **validated_data)


class SteeringPackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, ScopedViewSet):
    """Steering packs of your partnerships, newest first. POST {"partnership", "period_start",
    "period_end", "meeting"?} asks for one (the next steering committee meeting when no
    meeting is named); poll its `status` until "ready", then GET `download`."""

    model = SteeringPack
    selector = selectors.pack_list
    serializer_class = SteeringPackSerializer

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())


routes = [("steering-packs", SteeringPackViewSet, "steeringpack")]
