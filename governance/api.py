"""API resources of the governance app, all scoped (DESIGN §2)."""

from django.db.models import F, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance import selectors, services
from governance.filters import (
    ActionItemFilter,
    DecisionFilter,
    MeetingFilter,
    NoticeFilter,
    RequestFilter,
    RiskFilter,
)
from governance.ical import ics_response
from governance.models import (
    ActionItem,
    ActionItemEscalation,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestEscalation,
    Risk,
    SurveyResponse,
)
from partnership.models import Membership, Milestone, Partnership, Site
from partnership.parties.api import SeatedPersonField
from partnership.scoping import shared_lookups
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField
from portal.validation import validate_date_in_range


class ActionItemSerializer(ScopedModelSerializer):
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
                  "meeting", "request", "decision",
                  "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "completed_at", "author_organization", "created_at",
                            "updated_at"]

    def create(self, validated_data):
        return services.action_item_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.action_item_update(actor=self.context["request"].user, item=instance,
                                           **validated_data)


class ActionItemEscalationSerializer(ScopedModelSerializer):
    """One step up the escalation path (written only by the escalation job)."""

    class Meta:
        model = ActionItemEscalation
        fields = ["level", "level_name", "days_allowed", "reached_at", "due_date"]
        read_only_fields = fields


class ActionItemDetailSerializer(ActionItemSerializer):
    """An action with its escalation steps, oldest first: on GET of one action only, so
    the list costs no more."""

    escalations = ActionItemEscalationSerializer(many=True, read_only=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "escalations"]

    def to_representation(self, instance):
        prefetch_related_objects([instance], Prefetch(
            "escalations", queryset=selectors.action_item_escalations(
                user=self.context["request"].user, item=instance)))
        return super().to_representation(instance)


class ActionItemTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Action items of your partnerships. POST .../transition/ {"status": …} moves one along
    open → in progress → done / cancelled (and back to open)."""

    model = ActionItem
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    select_related = ("owner", "partnership")

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


# --- Meetings and decisions -------------------------------------------

class MeetingSerializer(ScopedModelSerializer):
    """A meeting; POST with a recurrence creates the whole series and returns the first."""

    partnership = ScopedRelatedField(Partnership)
    attendees = SeatedPersonField(many=True, required=False)
    ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "partnership", "title", "kind", "starts_at", "ends_at",
                  "duration_minutes", "location", "agenda", "minutes", "attendees",
                  "recurrence", "repeat_until", "series", "status", "uid", "sequence",
                  "is_internal", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["minutes", "series", "status", "uid", "sequence",
                            "author_organization", "created_at", "updated_at"]

    def create(self, validated_data):
        return services.meeting_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "recurrence", "repeat_until"):
            validated_data.pop(name, None)  # the series is fixed once scheduled
        return services.meeting_update(actor=self.context["request"].user, meeting=instance,
                                       **validated_data)


class MinutesActionSerializer(ScopedModelSerializer):
    """One action decided in the meeting (the meeting becomes its source)."""

    owner = SeatedPersonField(roles=Membership.WRITING_ROLES)

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date"]


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()
    actions = MinutesActionSerializer(many=True, required=False)


class MeetingTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Meeting.Status.choices)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Meetings of your partnerships. GET .../ics/ downloads one as iCalendar; POST
    .../minutes/ {"minutes": …, "actions": [{"title", "owner", "due_date"}]} records the
    minutes with their actions (all or nothing); POST .../transition/ {"status": …}."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    select_related = ("partnership",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees")

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
            actions=[dict(row) for row in body.validated_data.get("actions", [])])
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
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    select_related = ("partnership", "meeting")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("decided_by")


routes += [("meetings", MeetingViewSet, "meeting"), ("decisions", DecisionViewSet, "decision")]


# --- Formal requests ------------------------------------------------------

class RequestSerializer(ScopedModelSerializer):
    """A request. `relayed_from` and `relays` name only the linked requests the caller may
    see (governance.selectors.request_list / request_links): a CDMO gets null and []."""

    partnership = ScopedRelatedField(Partnership)
    assignee = SeatedPersonField(roles=Membership.WRITING_ROLES, required=False,
                                 allow_null=True)  # of the receiving party: the service checks
    milestones = ScopedRelatedField(Milestone, filters=shared_lookups(Milestone), many=True,
                                    required=False)
    relayed_from = serializers.SerializerMethodField()
    relays = serializers.SerializerMethodField()
    is_acknowledgement_late = serializers.SerializerMethodField()

    class Meta:
        model = Request
        fields = ["id", "partnership", "title", "description", "kind", "urgency",
                  "requested_by_party", "needed_by", "assignee", "status", "sent_at",
                  "acknowledge_by", "is_acknowledgement_late", "acknowledged_at",
                  "committed_date", "question", "answer", "fulfilled_at", "fulfilment_note",
                  "closed_at", "reopen_reason", "emergency_justification",
                  "over_emergency_budget", "milestones", "relayed_from", "relays",
                  "created_at", "updated_at"]
        read_only_fields = ["status", "requested_by_party", "sent_at", "acknowledge_by",
                            "acknowledged_at", "committed_date", "question", "answer",
                            "fulfilled_at", "fulfilment_note", "closed_at", "reopen_reason",
                            "over_emergency_budget", "created_at", "updated_at"]

    def _links(self, obj) -> tuple[int | None, list[int]]:
        if hasattr(obj, "linked_relay_ids"):
            return obj.linked_from_id, list(obj.linked_relay_ids or [])
        links = selectors.request_links(user=self.context["request"].user,
                                                request=obj)
        source = links["relayed_from"]
        return (source.pk if source else None), [relay.pk for relay in links["relays"]]

    def get_relayed_from(self, obj) -> int | None:
        return self._links(obj)[0]

    def get_relays(self, obj) -> list[int]:
        return self._links(obj)[1]

    def get_is_acknowledgement_late(self, obj) -> bool:
        return obj.is_acknowledgement_late()

    def to_representation(self, instance):
        user = self.context["request"].user
        # The milestones listed are those the caller may see, whatever is linked (a no-op
        # when the viewset prefetched them so).
        prefetch_related_objects([instance], Prefetch(
            "milestones", queryset=selectors.request_milestones(user=user)))
        data = super().to_representation(instance)
        if not instance.shows_justification_to(user, self._role(instance.partnership, user)):
            data["emergency_justification"] = ""  # the sender's and the steering's to read
        return data

    def _role(self, partnership, user) -> str | None:
        roles = self.context.setdefault("_roles", {})  # one query per partnership, not row
        if partnership.pk not in roles:
            roles[partnership.pk] = partnership.role_of(user)
        return roles[partnership.pk]

    def create(self, validated_data):
        return services.request_send(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "urgency", "emergency_justification"):
            validated_data.pop(name, None)
        return services.request_update(actor=self.context["request"].user, request=instance,
                                       **validated_data)


class RequestEscalationSerializer(ScopedModelSerializer):
    """One step up the escalation path (written only by the escalation job)."""

    class Meta:
        model = RequestEscalation
        fields = ["level", "level_name", "days_allowed", "reached_at", "acknowledge_by"]
        read_only_fields = fields


class RequestDetailSerializer(RequestSerializer):
    """A request with its escalation steps, oldest first: on GET of one request only."""

    escalations = RequestEscalationSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "escalations"]

    def to_representation(self, instance):
        prefetch_related_objects([instance], Prefetch(
            "escalations", queryset=selectors.request_escalations(
                user=self.context["request"].user, request=instance)))
        return super().to_representation(instance)


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(ScopedRelatedField):
    """A scoped id in a body without a model serializer: an integer in the schema."""


@extend_schema_field(OpenApiTypes.INT)
class SeatedPersonIdField(SeatedPersonField):
    """A seated person's id in the body of a step on a record: an integer in the schema."""


class RequestAcknowledgeSerializer(serializers.Serializer):
    committed_date = serializers.DateField(validators=[validate_date_in_range])
    assignee = SeatedPersonIdField(roles=Membership.WRITING_ROLES, required=False,
                                   allow_null=True)


class RequestQuerySerializer(serializers.Serializer):
    question = serializers.CharField()


class RequestAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class RequestFulfilSerializer(serializers.Serializer):
    fulfilment_note = serializers.CharField()


class RequestReopenSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RequestCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class RequestRelaySerializer(serializers.Serializer):
    target_partnership = ScopedIdField(Partnership)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=Request.Kind.choices)
    urgency = serializers.ChoiceField(choices=Request.Urgency.choices)
    needed_by = serializers.DateField(required=False, allow_null=True,
                                      validators=[validate_date_in_range])
    emergency_justification = serializers.CharField(required=False, allow_blank=True)


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Formal requests of your partnerships. Creating one sends it. The receiving party
    POSTs acknowledge/ {committed_date} or query/ {question}; the requester answer/,
    accept/, reopen/ {reason} or cancel/; the receiver start/ and fulfil/
    {fulfilment_note}. The sponsor relay/s one into another of its partnerships. A step
    by the wrong party or from the wrong status answers 400."""

    model = Request
    serializer_class = RequestSerializer
    filterset_class = RequestFilter

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer

    def get_queryset(self):
        requests = selectors.request_list(user=self.request.user).prefetch_related(Prefetch(
            "milestones", queryset=selectors.request_milestones(user=self.request.user)))
        partnership = self.request.query_params.get("partnership", "")
        return requests.filter(partnership_id=partnership) if partnership.isdigit() \
            else requests

    def _step(self, request, service, serializer_class=None, **renamed):
        record = self.get_object()
        arguments = {}
        if serializer_class is not None:
            body = serializer_class(data=request.data, context={
                **self.get_serializer_context(), "partnership": record.partnership})
            body.is_valid(raise_exception=True)
            arguments = dict(body.validated_data)
        record = service(actor=request.user, request=record, **arguments)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=RequestAcknowledgeSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(request, services.request_acknowledge, RequestAcknowledgeSerializer)

    @extend_schema(request=RequestQuerySerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        return self._step(request, services.request_query, RequestQuerySerializer)

    @extend_schema(request=RequestAnswerSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, services.request_answer, RequestAnswerSerializer)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(request, services.request_start)

    @extend_schema(request=RequestFulfilSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        return self._step(request, services.request_fulfil, RequestFulfilSerializer)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, services.request_accept)

    @extend_schema(request=RequestReopenSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, services.request_reopen, RequestReopenSerializer)

    @extend_schema(request=RequestCancelSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(request, services.request_cancel, RequestCancelSerializer)

    @extend_schema(request=RequestRelaySerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def relay(self, request, pk=None):
        record = self.get_object()
        body = RequestRelaySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        relay = services.request_relay(actor=request.user, request=record,
                                       **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=relay.pk)).data,
                        status=201)


routes += [("requests", RequestViewSet, "request")]


# --- Risks, notices, recognition and the feedback survey ----------------------------------

class RiskSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    owner = SeatedPersonField()
    milestones = ScopedRelatedField(Milestone, many=True, required=False)
    score = serializers.IntegerField(read_only=True)
    band = serializers.CharField(read_only=True)

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

    def to_representation(self, instance):
        # The milestones listed are those the caller may see, whatever is linked (a no-op
        # when the viewset prefetched them so; not after a change or a transition).
        prefetch_related_objects([instance], Prefetch(
            "milestones", queryset=Milestone.objects.visible_to(self.context["request"].user)))
        return super().to_representation(instance)


class RiskTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Risk.Status.choices)


class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, ScopedViewSet):
    """The risk register of your partnerships (score = likelihood × impact; filters
    category, status, owner, min_score, likelihood, impact). POST .../transition/
    {"status": "closed" | "open"} closes or reopens a risk."""

    model = Risk
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    select_related = ("owner", "partnership")

    def get_queryset(self):
        return super().get_queryset().annotate(
            risk_score=F("likelihood") * F("impact")).prefetch_related(Prefetch(
                "milestones", queryset=Milestone.objects.visible_to(self.request.user))).order_by(
            "-risk_score", "pk")

    @extend_schema(request=RiskTransitionSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        risk = self.get_object()
        body = RiskTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        risk = services.risk_transition(actor=request.user, risk=risk,
                                        status=body.validated_data["status"])
        return Response(self.get_serializer(risk).data)


class NoticeSerializer(ScopedModelSerializer):
    """No `is_internal`: notices are always shared with the other party."""

    partnership = ScopedRelatedField(Partnership)
    site = ScopedRelatedField(Site, required=False, allow_null=True)
    posting_party = serializers.CharField(read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "partnership", "kind", "title", "body", "effective_date", "site",
                  "posting_party", "author_organization", "created_by", "created_at",
                  "acknowledged_by", "acknowledged_at"]
        read_only_fields = ["author_organization", "created_by", "created_at",
                            "acknowledged_by", "acknowledged_at"]

    def create(self, validated_data):
        return services.notice_post(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.notice_update(actor=self.context["request"].user, notice=instance,
                                      **validated_data)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, ScopedViewSet):
    """Strategic notices (site closure, capability exit, supply delay) either party posts;
    the poster's party may correct one until it is acknowledged. POST .../acknowledge/
    (no body) is the other party's acknowledgement, once."""

    model = Notice
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    select_related = ("partnership", "author_organization")

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        notice = services.notice_acknowledge(actor=request.user, notice=self.get_object())
        return Response(self.get_serializer(notice).data)


class RecognitionSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    recipients = SeatedPersonField(many=True, required=False)  # of the other party

    class Meta:
        model = Recognition
        fields = ["id", "partnership", "message", "recipients", "team", "author_organization",
                  "created_by", "created_at"]
        read_only_fields = ["author_organization", "created_by", "created_at"]

    def create(self, validated_data):
        return services.recognition_create(actor=self.context["request"].user,
                                           **validated_data)


class RecognitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, ScopedViewSet):
    """Thank-yous to people or a team of the other party, newest first."""

    model = Recognition
    serializer_class = RecognitionSerializer
    select_related = ("partnership", "created_by")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("recipients")


class SurveyResponseSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)

    class Meta:
        model = SurveyResponse
        fields = ["id", "partnership", "quarter", "rated_party", *SurveyResponse.DIMENSIONS,
                  "comments", "submitted_at"]
        read_only_fields = ["quarter", "rated_party", "submitted_at"]

    def create(self, validated_data):
        return services.survey_answer(actor=self.context["request"].user, **validated_data)


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    ScopedViewSet):
    """The quarterly feedback survey. POST answers this quarter's survey (once). GET lists
    only YOUR OWN answers: nobody's individual answers are ever served to anyone else.
    GET .../results/?partnership=<id> gives the results per rated party and closed quarter:
    averages, overall, change and comments only where the quarter is `published` (closed,
    with at least `min_for_detail` answers); else they and `respondents` are null. For the
    open quarter, `answers_so_far` (null while fewer than `min_for_detail`)."""

    model = SurveyResponse
    serializer_class = SurveyResponseSerializer

    def get_queryset(self):
        return super().get_queryset().filter(respondent=self.request.user)

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def results(self, request):
        pk = request.query_params.get("partnership", "")
        if not pk.isdigit():
            raise serializers.ValidationError({"partnership": "Give ?partnership=<id>."})
        partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=pk)
        results = selectors.survey_results(user=request.user, partnership=partnership)
        return Response({
            "partnership": partnership.pk, "current_quarter": results["current_quarter"],
            "current_quarter_ends": results["current_ends"],
            "min_for_detail": results["min_for_detail"],
            "parties": [{
                "rated_party": party["party"], "rated_organization": party["rated"].name,
                "answers_so_far": party["answers_so_far"],
                "quarters": [{key: row[key] for key in (
                    "quarter", "label", "published", "respondents", "averages", "overall",
                    "change", "comments")} for row in party["quarters"]],
            } for party in results["parties"]],
        })


routes += [("risks", RiskViewSet, "risk"), ("notices", NoticeViewSet, "notice"),
           ("recognitions", RecognitionViewSet, "recognition"),
           ("survey", SurveyViewSet, "survey")]
