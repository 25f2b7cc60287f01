"""API resource of batches: record and correct a lot, its two batch record reviews and its
certificates as POSTs, its disposition by the sign action; scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.quality.api import StepMixin
from governance.quality.batches import selectors, services
from governance.quality.batches.filters import BatchFilter
from governance.quality.batches.models import Batch, CertificateOfAnalysis
from partnership.models import Partnership, Program, Site
from partnership.permissions import require_person
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class BatchCertificateSerializer(ScopedModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = CertificateOfAnalysis
        fields = ["id", "name", "size", "sha256", "uploaded_by", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, certificate) -> str:
        return self.context["request"].build_absolute_uri(certificate.get_absolute_url())


class BatchSerializer(ScopedModelSerializer):
    """A lot made or tested at a CDMO site. `steps` are the reviews the caller may take
    now, `dispositions` the disposition events the caller may sign now (on a lot's own
    read; empty in the list, where it would cost queries per lot)."""

    partnership = ScopedRelatedField(Partnership)
    # Read as null once the sponsor made the lot's program internal (Batch.program); never
    # written empty.
    program = ScopedRelatedField(Program, allow_null=True)
    site = ScopedRelatedField(Site)
    certificates = BatchCertificateSerializer(many=True, read_only=True)
    steps = serializers.SerializerMethodField()
    dispositions = serializers.SerializerMethodField()
    signatures = SignaturesField()

    class Meta:
        model = Batch
        fields = ["id", "partnership", "lot_number", "program", "stage", "site",
                  "manufactured_on", "status", "steps", "dispositions",
                  "cdmo_review_note", "cdmo_reviewed_by", "cdmo_reviewed_at",
                  "sponsor_review_note", "sponsor_reviewed_by", "sponsor_reviewed_at",
                  "disposed_by", "disposed_at", "quarantined_at", "certificates",
                  "signatures", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "cdmo_review_note", "cdmo_reviewed_by",
                            "cdmo_reviewed_at", "sponsor_review_note", "sponsor_reviewed_by",
                            "sponsor_reviewed_at", "disposed_by", "disposed_at",
                            "quarantined_at", "author_organization", "created_at",
                            "updated_at"]
        validators = []  # the service names the lot number already recorded, by its field

    def validate_program(self, program):
        if program is None:
            raise serializers.ValidationError("Choose the program the lot is for.")
        return program

    def _writer(self, obj) -> bool:
        user = self.context["request"].user
        if obj.partnership_id not in (getattr(user, "_held_roles", None) or {}):
            obj.partnership.hold_role_of(user)  # once per partnership, not per row
        return obj.partnership.can_write(user)

    def get_steps(self, obj) -> list[str]:
        return list(obj.steps_for(self.context["request"].user)) if self._writer(obj) else []

    def get_dispositions(self, obj) -> list[str]:
        if self.context.get("view") is not None and \
                getattr(self.context["view"], "action", None) == "list":
            return []  # computed per lot (signers, certificates): on the lot's own read
        return obj.dispositions_for(self.context["request"].user) if self._writer(obj) \
            else []

    def create(self, validated_data):
        return services.batch_record(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.batch_update(actor=self.context["request"].user, batch=instance,
                                     **validated_data)


class BatchReviewSerializer(serializers.Serializer):
    note = serializers.CharField()


class CertificateUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class BatchViewSet(SignActionMixin, StepMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, ScopedViewSet):
    """Lots made or tested at the CDMO's sites (filters status, stage, site, program;
    ordering made, lot, stage, status, site). The CDMO records them (POST) and corrects them
    until reviewed (PATCH) and attaches certificates/ (multipart, a PDF). Its QA lead (its
    lead where it seats none) POSTs cdmo-review/ {note}, then the sponsor's sponsor-review/
    {note}; the sponsor's QA lead (its lead where it seats none) signs the disposition:
    sign/ {event: released | rejected | quarantined, meaning, password}. A release needs
    both reviews and a certificate; a step by the wrong party or from the wrong status
    answers 400."""

    model = Batch
    selector = selectors.batch_list
    serializer_class = BatchSerializer
    filterset_class = BatchFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _review(self, request, step):
        return self._step(request, "governance.batch_review", services.BATCH_STEPS[step],
                          "batch", BatchReviewSerializer)

    @extend_schema(request=BatchReviewSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"], url_path="cdmo-review")
    def cdmo_review(self, request, pk=None):
        return self._review(request, "cdmo_review")

    @extend_schema(request=BatchReviewSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"], url_path="sponsor-review")
    def sponsor_review(self, request, pk=None):
        return self._review(request, "sponsor_review")

    @extend_schema(request={"multipart/form-data": CertificateUploadSerializer},
                   responses={201: BatchSerializer})
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        batch = self.get_object()
        # A read-only seat is refused first, whatever the body; then the body is read; then
        # the service says who attaches (the CDMO) and when, as the review steps do.
        require_person(request.user, "governance.batch_review", batch)
        body = CertificateUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.batch_certificate_attach(actor=request.user, batch=batch,
                                          file=body.validated_data["file"])
        return Response(self.get_serializer(self.read_again(batch)).data, status=201)


routes = [("batches", BatchViewSet, "batch")]
