"""API resources of programs and contracts (serializers and viewsets), all scoped
(DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from partnership.contracts import selectors, services
from partnership.contracts.filters import ContractFilter, ProgramFilter
from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.parties.models import Partnership, Site
from partnership.permissions import require
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


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



class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, ScopedViewSet):
    """The sponsor's programs in each partnership; the sponsor's leads and members edit them."""

    model = Program
    selector = selectors.program_list
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sites")


class ContractSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    parent = ScopedRelatedField(Contract, required=False, allow_null=True)
    round_count = serializers.IntegerField(read_only=True)
    signatures = SignaturesField()

    class Meta:
        model = Contract
        fields = ["id", "partnership", "kind", "reference", "title", "parent", "status",
                  "effective_date", "expiry_date", "renewal_notice_days", "is_internal",
                  "round_count", "signatures", "author_organization", "created_at",
                  "updated_at"]
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
    turnaround_days = serializers.IntegerField(read_only=True, allow_null=True)  # unanswered

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
        if "answered_on" not in validated_data:  # nothing to change, if the caller may
            require(self.context["request"].user, "partnership.negotiationround_answer",
                    instance)
            return instance
        return services.negotiation_round_answer(actor=self.context["request"].user,
                                                 round_=instance,
                                                 answered_on=validated_data["answered_on"])


class ContractDocumentSerializer(ScopedModelSerializer):
    contract = ScopedRelatedField(Contract)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = ["id", "partnership", "contract", "name", "size", "content_type", "sha256",
                  "uploaded_at", "file", "download"]
        read_only_fields = ["partnership", "name", "size", "content_type", "sha256",
                            "uploaded_at"]
        extra_kwargs = {"file": {"write_only": True}}

    def get_download(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())

    def create(self, validated_data):
        return services.contract_document_upload(actor=self.context["request"].user,
                                                 **validated_data)


class ContractViewSet(SignActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Contracts of your partnerships. POST .../transition/ {"status": …} moves one along
    draft → negotiation, and an executed one to expired / terminated; a contract in
    negotiation is executed once a lead of each party has POSTed .../sign/."""

    model = Contract
    selector = selectors.contract_list
    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=TransitionSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        contract = self.get_object()  # first: a foreign id answers 404, whatever the body
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_transition(actor=request.user, contract=contract,
                                                status=data.validated_data["status"])
        contract = self.read_again(contract)  # with its figures (round_count)
        return Response(ContractSerializer(contract, context={"request": request}).data)


class NegotiationRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Rounds of contract negotiation; create one for a draft your party sent. The party
    that answered a draft PATCHes its answered_on (only that party may)."""

    model = NegotiationRound
    selector = selectors.negotiation_round_list
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
    selector = selectors.contract_document_list
    serializer_class = ContractDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["contract"]

routes = [
    ("programs", ProgramViewSet, "program"),
    ("contracts", ContractViewSet, "contract"),
    ("negotiation-rounds", NegotiationRoundViewSet, "negotiationround"),
    ("contract-documents", ContractDocumentViewSet, "contractdocument"),
]
