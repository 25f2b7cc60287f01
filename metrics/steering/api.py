"""API resource of the steering packs, scoped like their page (DESIGN §2): POST asks for
a pack of a partnership and period (the job makes it; 201 with its status), GET reads a
pack's status and, once made, its `download` link: GET .../download/ gives the PDF to the
same caller, with a token as with a session (the page's download asks for a session)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from governance.meetings.models import Meeting
from metrics.scorecard.api import _FileRenderer
from metrics.steering import selectors, services
from metrics.steering.models import SteeringPack
from partnership.models import Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class PDFRenderer(_FileRenderer):
    """Lets a caller ask for the pack with `Accept: application/pdf`; an error is JSON."""

    media_type, format, charset = "application/pdf", "pdf", None
    render_style = "binary"


class SteeringPackSerializer(ScopedModelSerializer):
    """A pack: who asked, when, for which period and meeting, its status and, once made,
    when and the URL of its download (this resource's download/, which a token reads)."""

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
        return self.context["request"].build_absolute_uri(
            reverse("steeringpack-download", args=[obj.pk]))

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

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def download(self, request, pk=None):
        """The pack's PDF, as an attachment (404 while it is being made)."""
        pack = self.get_object()
        if not pack.is_ready:
            raise Http404("The pack is not made yet.")
        return pack.download_response(request)


routes = [("steering-packs", SteeringPackViewSet, "steeringpack")]
