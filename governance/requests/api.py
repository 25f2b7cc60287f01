"""API resource of formal requests, each workflow step a POST, scoped (DESIGN §2)."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.escalation.api import RequestEscalationSerializer
from governance.escalation.selectors import request_escalations
from governance.requests import selectors, services
from governance.requests.filters import RequestFilter
from governance.requests.models import Request
from partnership.models import Membership, Milestone, Organization, Partnership
from partnership.parties.api import SeatedPersonField
from partnership.permissions import can
from partnership.scoping import shared_lookups
from partnership.scoping_views import ScopedViewSet
from portal.serializers import FutureDatesMixin, ScopedModelSerializer, ScopedRelatedField
from portal.validation import validate_date_in_range


class RequestSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A request. `relayed_from` and `relays` name only the linked requests the caller may
    see (governance.requests.selectors.request_list / request_links): a CDMO gets null and []."""

    future_dates = ("needed_by",)
    partnership = ScopedRelatedField(Partnership)
    assignee = SeatedPersonField(roles=Membership.WRITING_ROLES, required=False,
                                 allow_null=True)  # of the receiving party: the service checks
    milestones = ScopedRelatedField(Milestone, filters=shared_lookups(Milestone), many=True,
                                    required=False)
    relayed_from = serializers.SerializerMethodField()
    relays = serializers.SerializerMethodField()
    is_acknowledgement_late = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True, help_text="The number as people quote "
                                                                "it: REQ-0042.")
    carried_out_by = serializers.ChoiceField(
        source="carrying_party", choices=Organization.Kind.choices, read_only=True,
        help_text="The party that does the work: the receiving party, except for a change "
                  "the CDMO asked for, which the sponsor decides and the CDMO carries out.")

    class Meta:
        model = Request
        fields = ["id", "number", "reference", "partnership", "title", "description", "kind",
                  "urgency", "requested_by_party", "carried_out_by", "needed_by", "assignee",
                  "status", "sent_at",
                  "acknowledge_by", "is_acknowledgement_late", "acknowledged_at",
                  "committed_date", "question", "answer", "fulfilled_at", "fulfilment_note",
                  "closed_at", "reopen_reason", "decline_reason", "emergency_justification",
                  "over_emergency_budget", "milestones", "relayed_from", "relays",
                  "created_at", "updated_at"]
        read_only_fields = ["number", "status", "requested_by_party", "sent_at",
                            "acknowledge_by", "acknowledged_at", "committed_date", "question",
                            "answer",
                            "fulfilled_at", "fulfilment_note", "closed_at", "reopen_reason",
                            "decline_reason",
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
        self._hold_role(instance.partnership, user)
        if not can(user, "governance.request_read_justification", instance):
            data["emergency_justification"] = ""  # the sender's, and over budget both's
        return data

    def _hold_role(self, partnership, user) -> None:
        """The rule reads the caller's role once per partnership listed, not once per row."""
        if partnership.pk not in (getattr(user, "_held_roles", None) or {}):
            partnership.hold_role_of(user)  # a list's page holds them all at once

    def create(self, validated_data):
        return services.request_send(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("partnership", "urgency", "emergency_justification"):
            validated_data.pop(name, None)
        return services.request_update(actor=self.context["request"].user, request=instance,
                                       **validated_data)


class RequestDetailSerializer(RequestSerializer):
    """A request with its escalation steps, oldest first: on GET of one request only."""

    escalations = RequestEscalationSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "escalations"]

    def to_representation(self, instance):
        prefetch_related_objects([instance], Prefetch(
            "escalations", queryset=request_escalations(
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


class RequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RequestCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class RequestRelaySerializer(FutureDatesMixin, serializers.Serializer):
    future_dates = ("needed_by",)
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
    POSTs acknowledge/ {committed_date}, query/ {question} or decline/ {reason}; the
    requester answer/, accept/, reopen/ {reason} or cancel/; the receiver start/ and fulfil/
    {fulfilment_note}. The sponsor relay/s one into another of its partnerships. A step
    by the wrong party or from the wrong status answers 400."""

    model = Request
    selector = selectors.request_list
    serializer_class = RequestSerializer
    filterset_class = RequestFilter

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch(
            "milestones", queryset=selectors.request_milestones(user=self.request.user)))

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _step(self, request, service, serializer_class=None, **renamed):
        record = self.get_object()
        arguments = {}
        if serializer_class is not None:
            body = serializer_class(data=request.data, context={
                **self.get_serializer_context(), "partnership": record.partnership})
            body.is_valid(raise_exception=True)
            arguments = dict(body.validated_data)
        record = service(actor=request.user, request=record, **arguments)
        return Response(self.get_serializer(self.read_again(record)).data)

    @extend_schema(request=RequestAcknowledgeSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(request, services.request_acknowledge, RequestAcknowledgeSerializer)

    @extend_schema(request=RequestQuerySerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        return self._step(request, services.request_query, RequestQuerySerializer)

    @extend_schema(request=RequestDeclineSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._step(request, services.request_decline, RequestDeclineSerializer)

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
        return Response(self.get_serializer(self.read_again(relay)).data, status=201)


routes = [("requests", RequestViewSet, "request")]
