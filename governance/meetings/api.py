"""API resources of meetings (with minutes and iCalendar) and decisions, scoped."""

from django.utils.text import slugify
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.actions.models import ActionItem
from governance.meetings import selectors, services
from governance.meetings.filters import DecisionFilter, MeetingFilter
from governance.meetings.ical import ics_response
from governance.meetings.models import Decision, Meeting, MinutesVersion
from governance.meetings.services import MINUTES_ACTION_FIELDS, MINUTES_ACTIONS_MAX
from partnership.history.sharing import hidden_until
from partnership.models import Membership, Partnership
from partnership.parties.api import SeatedPersonField
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField


class MinutesVersionSerializer(ScopedModelSerializer):
    class Meta:
        model = MinutesVersion
        fields = ["number", "text", "reason", "created_by", "created_at"]
        read_only_fields = fields


class MeetingSerializer(ScopedModelSerializer):
    """A meeting; POST with a recurrence creates the whole series and returns the first.
    Its minutes' versions and the signatures approving them come with it."""

    partnership = ScopedRelatedField(Partnership)
    attendees = SeatedPersonField(many=True, required=False)
    ends_at = serializers.DateTimeField(read_only=True)
    minutes_versions = serializers.SerializerMethodField(
        help_text="Its minutes' versions, oldest first; the other party's reader gets those "
                  "written since the meeting was shared with it.")
    signatures = SignaturesField()

    class Meta:
        model = Meeting
        fields = ["id", "partnership", "title", "kind", "starts_at", "ends_at",
                  "duration_minutes", "location", "agenda", "minutes", "minutes_versions",
                  "signatures", "attendees", "recurrence", "repeat_until", "series",
                  "status", "uid", "sequence", "is_internal", "author_organization",
                  "created_at", "updated_at"]
        read_only_fields = ["minutes", "series", "status", "uid", "sequence",
                            "author_organization", "created_at", "updated_at"]

    @extend_schema_field(MinutesVersionSerializer(many=True))
    def get_minutes_versions(self, meeting):
        since = self._shown_since().get(meeting.pk)
        versions = [version for version in meeting.minutes_versions.all()
                    if since is None or version.created_at >= since]
        return MinutesVersionSerializer(versions, many=True, context=self.context).data

    def _shown_since(self) -> dict:
        """{meeting id: since when the reader sees its versions} for the whole page at once
        (partnership.history.sharing)."""
        if "minutes_shown_since" not in self.context:
            listed = getattr(self.parent, "instance", None)
            meetings = list(listed) if listed is not None else [self.instance]
            user = self.context["request"].user
            self.context["minutes_shown_since"] = hidden_until(
                Meeting, [m.pk for m in meetings if m is not None], user.organization_id)
        return self.context["minutes_shown_since"]

    def create(self, validated_data):
        return services.meeting_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "recurrence", "repeat_until"):
            validated_data.pop(name, None)  # the series is fixed once scheduled
        return services.meeting_update(actor=self.context["request"].user, meeting=instance,
                                       **validated_data)


class MinutesActionSerializer(FutureDatesMixin, ScopedModelSerializer):
    """One action decided in the meeting (the meeting becomes its source), due from today
    on."""

    future_dates = ("due_date",)

    owner = SeatedPersonField(roles=Membership.WRITING_ROLES)

    class Meta:
        model = ActionItem
        fields = list(MINUTES_ACTION_FIELDS)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()
    actions = MinutesActionSerializer(
        many=True, required=False, max_length=MINUTES_ACTIONS_MAX,
        help_text=f"The actions decided in the meeting, as many as it decided (at most "
                  f"{MINUTES_ACTIONS_MAX}): each with its title, owner, due date and "
                  f"priority (medium if left out).")
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Why approved minutes are corrected (required "
                                             "once they have been approved).")


class MeetingTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Meeting.Status.choices)


class MeetingViewSet(SignActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Meetings of your partnerships. GET .../ics/ downloads one as iCalendar; POST
    .../minutes/ {"minutes": …, "actions": [{"title", "owner", "due_date", "priority"}],
    "reason": …}
    records the minutes with their actions (all or nothing; a correction of approved
    minutes needs its reason); POST .../sign/ {"meaning", "password"} approves the minutes;
    POST .../transition/ {"status": …}."""

    model = Meeting
    selector = selectors.meeting_list
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees", "minutes_versions")

    @extend_schema(responses={(200, "text/calendar"): bytes})
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """The meeting as an .ics file, to add to any calendar."""
        meeting = self.get_object()
        return ics_response([meeting], name=str(meeting.partnership),
                            filename=f"{slugify(meeting.title) or 'meeting'}.ics")

    @extend_schema(request=MinutesSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()  # first: a foreign id answers 404, whatever the body
        body = MinutesSerializer(data=request.data, context={
            **self.get_serializer_context(), "partnership": meeting.partnership})
        body.is_valid(raise_exception=True)
        meeting = services.meeting_record_minutes(
            actor=request.user, meeting=meeting, minutes=body.validated_data["minutes"],
            actions=[dict(row) for row in body.validated_data.get("actions", [])],
            reason=body.validated_data["reason"])
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=MeetingTransitionSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        meeting = self.get_object()
        body = MeetingTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_transition(actor=request.user, meeting=meeting,
                                              status=body.validated_data["status"])
        return Response(self.get_serializer(meeting).data)


class DecisionSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    decided_by = SeatedPersonField(many=True)
    meeting = ScopedRelatedField(Meeting, required=False, allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "partnership", "title", "rationale", "decided_on", "decided_by",
                  "meeting", "is_internal", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["author_organization", "created_at", "updated_at"]

    def create(self, validated_data):
        return services.decision_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.decision_update(actor=self.context["request"].user,
                                        decision=instance, **validated_data)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """The decision log of your partnerships."""

    model = Decision
    selector = selectors.decision_list
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter


routes = [("meetings", MeetingViewSet, "meeting"),
          ("decisions", DecisionViewSet, "decision")]
