"""API resources of the partnership app (serializers and viewsets), all scoped (DESIGN §2)."""

from collections.abc import Mapping

from django.db.models import Count, Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from partnership import selectors, services
from partnership.filters import (
    ContractFilter,
    DeliverableFilter,
    MembershipFilter,
    ProgramFilter,
    SiteFilter,
)
from partnership.models import (
    AcceptanceCriterion,
    CommunicationPlan,
    Contract,
    ContractDocument,
    Deliverable,
    DeliverableReview,
    EscalationLevel,
    Membership,
    Milestone,
    NegotiationRound,
    Objective,
    ObjectiveReview,
    Organization,
    Partnership,
    PointOfContact,
    Priority,
    PriorityChange,
    Program,
    Site,
    TechTransfer,
    User,
)
from partnership.notifications.api import routes as notification_routes
from portal.serializers import ScopedModelSerializer, ScopedRelatedField
from portal.tenancy import ScopedViewSet
from portal.validation import validate_date_in_range


class SeatedPersonField(ScopedRelatedField):
    """A person named on a record of a partnership (an owner, an attendee, a contact…):
    one with a seat in the record's partnership, of `party` and with one of `roles` in that
    seat if given (selectors.seated_people), so the choices are the page's and an id outside
    them gets a clear field error. The partnership is the record's on an update, the view's
    (context "partnership") for a step on a record, the body's on a create; the people the
    record names already stay valid, since a service may keep someone who has left since.
    The service checks its own rule again, whatever the door."""

    def __init__(self, *, party: str | None = None, roles=None, **kwargs):
        self.party, self.roles = party, roles
        side = {"sponsor": " of the sponsor", "cdmo": " of the CDMO"}.get(party, "")
        acts = " who can act on it (a lead, member or QA lead)" if roles else ""
        kwargs.setdefault("error_messages", {"does_not_exist": (
            f"Choose someone{side} with a seat in this partnership{acts}.")})
        super().__init__(User, **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        instance = getattr(self.root, "instance", None)
        partnership = getattr(instance, "partnership", None) or self.context.get("partnership")
        if partnership is None and self._body_names_partnership():
            partnership = self._body_partnership()
            if partnership is None:  # not one the caller sees: its own field says so
                return User.objects.none()
        if partnership is None:  # no body to read yet (the browsable API's empty form)
            return User.objects.visible_to(user).filter(
                memberships__partnership__in=Partnership.objects.visible_to(user)).distinct()
        people = selectors.seated_people(partnership=partnership, party=self.party,
                                         roles=self.roles, user=user)
        if instance is not None:
            people = people | User.objects.filter(pk__in=self._named_by(instance))
        return people

    def _partnership_field(self):
        field = self.root.fields.get("partnership")
        return field if isinstance(field, serializers.RelatedField) and not field.read_only \
            else None

    def _body_names_partnership(self) -> bool:
        data = getattr(self.root, "initial_data", None)
        return self._partnership_field() is not None and isinstance(data, Mapping) and \
            "partnership" in data

    def _body_partnership(self) -> Partnership | None:
        """The body's partnership read by the record's own partnership field, so that any
        spelling it takes (" 1", "+1") is the same partnership here and the seat filter
        is never skipped; None if that field refuses it."""
        try:
            return self._partnership_field().to_internal_value(
                self.root.initial_data["partnership"])
        except serializers.ValidationError:
            return None

    def _named_by(self, instance) -> list[int]:
        name = self.source if self.parent is self.root else self.parent.source
        field = instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(instance, name).values_list("pk", flat=True))
        return [pk for pk in [getattr(instance, field.attname)] if pk is not None]


class OrganizationSerializer(ScopedModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class SiteSerializer(ScopedModelSerializer):
    local_time = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = ["id", "organization", "name", "country", "city", "time_zone", "capabilities",
                  "status", "status_date", "local_time"]

    def get_local_time(self, site) -> str:
        return site.local_now().isoformat(timespec="minutes")


class PartnershipSerializer(ScopedModelSerializer):
    sponsor = OrganizationSerializer(read_only=True)
    cdmo = OrganizationSerializer(read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "sponsor", "cdmo", "description", "negotiation_round_threshold",
                  "negotiation_turnaround_threshold", "acknowledgement_hours",
                  "sponsor_emergency_budget", "cdmo_emergency_budget", "created_at"]
        read_only_fields = ["description", "created_at"]

    def update(self, instance, validated_data):
        return services.partnership_thresholds_set(
            actor=self.context["request"].user, partnership=instance,
            negotiation_round_threshold=validated_data.get(
                "negotiation_round_threshold", instance.negotiation_round_threshold),
            negotiation_turnaround_threshold=validated_data.get(
                "negotiation_turnaround_threshold", instance.negotiation_turnaround_threshold),
            acknowledgement_hours=validated_data.get("acknowledgement_hours"),
            sponsor_emergency_budget=validated_data.get("sponsor_emergency_budget"),
            cdmo_emergency_budget=validated_data.get("cdmo_emergency_budget"))


class PersonSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "first_name", "last_name", "job_title", "organization"]


class MembershipSerializer(ScopedModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "partnership", "user", "role", "created_at"]


class ProgramSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    sites = ScopedRelatedField(Site, many=True, required=False)

    class Meta:
        model = Program
        fields = ["id", "partnership", "code", "name", "modality", "phase", "description",
                  "sites", "is_internal", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["author_organization", "created_at", "updated_at"]
        validators = []  # uniqueness is checked by the service's full_clean, inside its scope

    def create(self, validated_data):
        return services.program_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)  # a program never moves between partnerships
        return services.program_update(actor=self.context["request"].user, program=instance,
                                       **validated_data)


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Your organization and those you share a partnership with."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind"]


class SiteStatusSerializer(ScopedModelSerializer):
    class Meta:
        model = Site
        fields = ["status", "status_date"]
        # The model's default (active) would make it optional; a change of status names it.
        extra_kwargs = {"status": {"required": True}}


class SiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Sites of the organizations you can see, with their local time. The site's
    organization admins POST .../status/ to mark it closing or closed."""

    model = Site
    serializer_class = SiteSerializer
    filterset_class = SiteFilter

    @extend_schema(request=SiteStatusSerializer, responses=SiteSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        site = self.get_object()
        data = SiteStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = services.site_set_status(actor=request.user, site=site, **data.validated_data)
        return Response(SiteSerializer(site).data)


class PartnershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.UpdateModelMixin, ScopedViewSet):
    """The partnerships you are a member of (or administer). Leads PATCH the negotiation
    early-warning thresholds."""

    model = Partnership
    serializer_class = PartnershipSerializer
    select_related = ("sponsor", "cdmo")


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Who has a seat in your partnerships, and with which role."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    select_related = ("user",)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People you share a partnership with."""

    model = User
    serializer_class = PersonSerializer
    filterset_fields = ["organization"]


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, ScopedViewSet):
    """The sponsor's programs in each partnership; the sponsor's leads and members edit them."""

    model = Program
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sites")


routes = [
    *notification_routes,
    ("organizations", OrganizationViewSet, "organization"),
    ("sites", SiteViewSet, "site"),
    ("partnerships", PartnershipViewSet, "partnership"),
    ("memberships", MembershipViewSet, "membership"),
    ("people", PersonViewSet, "person"),
    ("programs", ProgramViewSet, "program"),
]


class ContractSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    parent = ScopedRelatedField(Contract, required=False, allow_null=True)
    round_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "partnership", "kind", "reference", "title", "parent", "status",
                  "effective_date", "expiry_date", "renewal_notice_days", "is_internal",
                  "round_count", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "author_organization", "created_at", "updated_at"]
        validators = []

    def create(self, validated_data):
        return services.contract_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.contract_update(actor=self.context["request"].user, contract=instance,
                                        **validated_data)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Contract.Status.choices)


class NegotiationRoundSerializer(ScopedModelSerializer):
    contract = ScopedRelatedField(Contract)
    turnaround_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = NegotiationRound
        fields = ["id", "partnership", "contract", "number", "sent_by", "sent_on",
                  "answered_on", "turnaround_days", "summary", "created_at"]
        read_only_fields = ["partnership", "number", "sent_by", "created_at"]

    def create(self, validated_data):
        return services.negotiation_round_add(actor=self.context["request"].user,
                                              **validated_data)


class NegotiationRoundAnswerSerializer(NegotiationRoundSerializer):
    """A round once recorded: only its answer date changes, by the party that answered."""

    class Meta(NegotiationRoundSerializer.Meta):
        read_only_fields = [*NegotiationRoundSerializer.Meta.read_only_fields, "contract",
                            "sent_on", "summary"]

    def update(self, instance, validated_data):
        if "answered_on" not in validated_data:
            return instance
        return services.negotiation_round_answer(actor=self.context["request"].user,
                                                 round_=instance,
                                                 answered_on=validated_data["answered_on"])


class ContractDocumentSerializer(ScopedModelSerializer):
    contract = ScopedRelatedField(Contract)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = ["id", "partnership", "contract", "name", "size", "uploaded_at", "file",
                  "download"]
        read_only_fields = ["partnership", "name", "size", "uploaded_at"]
        extra_kwargs = {"file": {"write_only": True}}

    def get_download(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())

    def create(self, validated_data):
        return services.contract_document_upload(actor=self.context["request"].user,
                                                 **validated_data)


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, ScopedViewSet):
    """Contracts of your partnerships. POST .../transition/ {"status": …} moves one along
    draft → negotiation → executed → expired / terminated."""

    model = Contract
    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def get_queryset(self):
        return super().get_queryset().annotate(round_count=Count("rounds")).order_by(
            "reference")

    @extend_schema(request=TransitionSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        contract = self.get_object()  # first: a foreign id answers 404, whatever the body
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_transition(actor=request.user, contract=contract,
                                                status=data.validated_data["status"])
        contract.round_count = contract.rounds.count()
        return Response(ContractSerializer(contract, context={"request": request}).data)


class NegotiationRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Rounds of contract negotiation; create one for a draft your party sent. The party
    that answered a draft PATCHes its answered_on (only that party may)."""

    model = NegotiationRound
    serializer_class = NegotiationRoundSerializer
    filterset_fields = ["contract"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return NegotiationRoundAnswerSerializer
        return NegotiationRoundSerializer


class ContractDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, ScopedViewSet):
    """Files attached to contracts (multipart upload); `download` is a scoped link."""

    model = ContractDocument
    serializer_class = ContractDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["contract"]


routes += [
    ("contracts", ContractViewSet, "contract"),
    ("negotiation-rounds", NegotiationRoundViewSet, "negotiationround"),
    ("contract-documents", ContractDocumentViewSet, "contractdocument"),
]


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


class DeliverableSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    sow = ScopedRelatedField(Contract, {"kind": Contract.Kind.SOW})
    criteria = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = Deliverable
        fields = ["id", "partnership", "sow", "title", "description", "due_date",
                  "responsible_party", "status", "criteria", "criteria_agreed_at",
                  "rejection_count", "accepted_first_time", "is_internal",
                  "author_organization", "created_at", "updated_at"]
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
    results = CriterionResultSerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverableReviewSerializer(ScopedModelSerializer):
    results = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableReview
        fields = ["id", "partnership", "deliverable", "decision", "comment", "reviewed_by",
                  "reviewed_at", "results"]

    def get_results(self, review) -> list[dict]:
        return [{"criterion": r.criterion_id, "met": r.met, "comment": r.comment}
                for r in review.results.all()]


class DeliverableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Deliverables of SOWs. The responsible party POSTs .../transition/ {"status":
    "in_progress" | "delivered"} (starting the work agrees to the criteria); the receiving
    party POSTs .../review/ with a result for every criterion. Its SOW and responsible
    party are set by the party that wrote it, and fixed once work has started."""

    model = Deliverable
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
        review = services.deliverable_review(actor=request.user, deliverable=deliverable,
                                             results=results,
                                             comment=data.validated_data["comment"])
        return Response(DeliverableReviewSerializer(review).data, status=201)


class AcceptanceCriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                 mixins.CreateModelMixin, ScopedViewSet):
    """Acceptance criteria: the receiving party adds them while the deliverable is planned;
    fixed once work starts."""

    model = AcceptanceCriterion
    serializer_class = AcceptanceCriterionSerializer
    filterset_fields = ["deliverable"]


class DeliverableReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               ScopedViewSet):
    """Decisions on deliveries, criterion by criterion."""

    model = DeliverableReview
    serializer_class = DeliverableReviewSerializer
    filterset_fields = ["deliverable"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("results")


routes += [
    ("deliverables", DeliverableViewSet, "deliverable"),
    ("acceptance-criteria", AcceptanceCriterionViewSet, "acceptancecriterion"),
    ("deliverable-reviews", DeliverableReviewViewSet, "deliverablereview"),
]


class PointOfContactSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    primary = SeatedPersonField()  # of the actor's party: contact_set checks it
    backup = SeatedPersonField(required=False, allow_null=True)

    class Meta:
        model = PointOfContact
        fields = ["id", "partnership", "party", "function", "primary", "backup", "updated_at"]
        read_only_fields = ["party", "updated_at"]
        validators = []

    def create(self, validated_data):
        return services.contact_set(actor=self.context["request"].user, **validated_data)


class CommunicationPlanSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)

    class Meta:
        model = CommunicationPlan
        fields = ["id", "partnership", "ground_rules", "meeting_cadence", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []
        # POST writes the whole plan: a field left out would be wiped, so both are asked
        # for (blank is a fair answer), as the page's form does.
        extra_kwargs = {"ground_rules": {"required": True},
                        "meeting_cadence": {"required": True}}

    def create(self, validated_data):
        return services.communication_plan_update(actor=self.context["request"].user,
                                                  **validated_data)


class EscalationLevelSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    people = SeatedPersonField(many=True)

    class Meta:
        model = EscalationLevel
        fields = ["id", "partnership", "level", "name", "days_allowed", "people"]
        validators = []
        # POST sets or replaces a level: left out, a replaced level's days would silently
        # go back to the model's default, so they are asked for.
        extra_kwargs = {"days_allowed": {"required": True}}

    def create(self, validated_data):
        return services.escalation_level_set(actor=self.context["request"].user,
                                             **validated_data)


class PointOfContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, ScopedViewSet):
    """Contacts per function and party. POST names (or replaces) your own party's contact."""

    model = PointOfContact
    serializer_class = PointOfContactSerializer
    filterset_fields = ["function", "party"]


class CommunicationPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, ScopedViewSet):
    """Ground rules and meeting cadence; POST writes the partnership's plan."""

    model = CommunicationPlan
    serializer_class = CommunicationPlanSerializer


class EscalationLevelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, ScopedViewSet):
    """The escalation path, level by level; POST sets (or replaces) a level."""

    model = EscalationLevel
    serializer_class = EscalationLevelSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("people")


routes += [
    ("points-of-contact", PointOfContactViewSet, "pointofcontact"),
    ("communication-plans", CommunicationPlanViewSet, "communicationplan"),
    ("escalation-levels", EscalationLevelViewSet, "escalationlevel"),
]


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
    serializer_class = PrioritySerializer


class PriorityChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, ScopedViewSet):
    """History of the ranking. POST {"partnership", "after": [titles…], "reason"} (sponsor
    leads only) replaces the ranking."""

    model = PriorityChange
    serializer_class = PriorityChangeSerializer


routes += [
    ("priorities", PriorityViewSet, "priority"),
    ("priority-changes", PriorityChangeViewSet, "prioritychange"),
]


class ObjectiveSerializer(ScopedModelSerializer):
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


class ObjectiveReviewSerializer(ScopedModelSerializer):
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
    serializer_class = ObjectiveSerializer


class ObjectiveReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, ScopedViewSet):
    """How each objective was reviewed; POST records a review."""

    model = ObjectiveReview
    serializer_class = ObjectiveReviewSerializer
    filterset_fields = ["objective"]


routes += [
    ("objectives", ObjectiveViewSet, "objective"),
    ("objective-reviews", ObjectiveReviewViewSet, "objectivereview"),
]


class TechTransferSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    program = ScopedRelatedField(Program)
    site = ScopedRelatedField(Site)

    class Meta:
        model = TechTransfer
        fields = ["id", "partnership", "title", "program", "site", "is_internal",
                  "author_organization", "created_at", "updated_at"]
        read_only_fields = ["author_organization", "created_at", "updated_at"]


    def create(self, validated_data):
        return services.tech_transfer_create(actor=self.context["request"].user,
                                             **validated_data)


class MilestoneSerializer(ScopedModelSerializer):
    sponsor_owner = SeatedPersonField(party="sponsor", roles=Membership.WRITING_ROLES,
                                      required=False, allow_null=True)
    cdmo_owner = SeatedPersonField(party="cdmo", roles=Membership.WRITING_ROLES,
                                   required=False, allow_null=True)
    deliverables = ScopedRelatedField(Deliverable, many=True, required=False)
    slip_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "partnership", "tech_transfer", "kind", "sponsor_owner", "cdmo_owner",
                  "planned_date", "actual_date", "slip_days", "deliverables", "note"]
        read_only_fields = ["partnership", "tech_transfer", "kind"]


    def to_representation(self, milestone):
        milestone.slip_days = milestone.slip_days() if callable(milestone.slip_days) \
            else milestone.slip_days
        # The deliverables listed are those the caller may see, whatever is linked (a no-op
        # when the viewset prefetched them so).
        prefetch_related_objects([milestone], Prefetch(
            "deliverables", queryset=selectors.milestone_deliverables(
                user=self.context["request"].user)))
        return super().to_representation(milestone)

    def update(self, instance, validated_data):
        return services.milestone_update(actor=self.context["request"].user,
                                         milestone=instance, **validated_data)


class TechTransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, ScopedViewSet):
    """Tech transfers; creating one adds its six standard milestones."""

    model = TechTransfer
    serializer_class = TechTransferSerializer


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, ScopedViewSet):
    """Milestones of tech transfers: owners, planned and actual dates, deliverables."""

    model = Milestone
    serializer_class = MilestoneSerializer
    filterset_fields = ["tech_transfer"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch(
            "deliverables", queryset=selectors.milestone_deliverables(user=self.request.user)))


routes += [
    ("tech-transfers", TechTransferViewSet, "techtransfer"),
    ("milestones", MilestoneViewSet, "milestone"),
]
