"""API resource of the quality agreements: the terms and the matrix (its rows), scoped
(DESIGN §2)."""

from django.db import transaction
from rest_framework import mixins, serializers

from governance.quality.agreement import selectors, services
from governance.quality.agreement.filters import AgreementFilter
from governance.quality.agreement.models import CHANGE_TERMS, Part, QualityAgreement
from partnership.models import Contract, Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


class ResponsibilitySerializer(serializers.Serializer):
    """One row of the matrix: a cell pair to change (by id), or a new activity (no id)."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    activity = serializers.CharField(max_length=120, required=False)
    sponsor = serializers.ChoiceField(choices=Part.choices, allow_blank=True, required=False)
    cdmo = serializers.ChoiceField(choices=Part.choices, allow_blank=True, required=False)
    remove = serializers.BooleanField(write_only=True, required=False,
                                      help_text="With an id: take the row out of the matrix.")
    is_gap = serializers.BooleanField(read_only=True)
    is_overlap = serializers.BooleanField(read_only=True)


class QualityAgreementSerializer(ScopedModelSerializer):
    """A quality agreement's terms and its matrix. PATCH `responsibilities` as
    [{id, sponsor, cdmo}] to change cells (rows left out stay), [{id, remove: true}] to
    remove a row, or [{activity, sponsor, cdmo}] without an id to add a row: all of a
    request, or nothing."""

    partnership = ScopedRelatedField(Partnership)
    contract = ScopedRelatedField(Contract)
    responsibilities = ResponsibilitySerializer(many=True, required=False)
    gap_count = serializers.IntegerField(read_only=True, default=0)
    overlap_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = QualityAgreement
        fields = ["id", "partnership", "contract", "critical_notice_hours", "major_notice_days",
                  "minor_notice_days", "closure_needs_sponsor_approval", *CHANGE_TERMS,
                  "change_decision_days", "responsibilities",
                  "gap_count", "overlap_count", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        validated_data.pop("responsibilities", None)
        return services.quality_agreement_create(actor=self.context["request"].user,
                                                 **validated_data)

    def update(self, instance, validated_data):
        # One PATCH is one change: a row refused after others were written (an activity
        # the matrix has already) rolls back the terms and cells written before it.
        with transaction.atomic():
            return self._update(instance, validated_data)

    def _update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        validated_data.pop("contract", None)
        rows = validated_data.pop("responsibilities", None) or []
        cells = {row["id"]: (row.get("sponsor"), row.get("cdmo")) for row in rows
                 if row.get("id") and not row.get("remove")}
        remove = [row["id"] for row in rows if row.get("id") and row.get("remove")]
        agreement = services.quality_agreement_update(
            actor=self.context["request"].user, agreement=instance, cells=cells,
            remove=remove, **validated_data)
        for row in rows:
            if not row.get("id") and row.get("activity"):
                agreement = services.quality_agreement_update(
                    actor=self.context["request"].user, agreement=agreement,
                    new_activity=row["activity"])
                added = agreement.responsibilities.get(activity=row["activity"].strip())
                services.quality_agreement_update(
                    actor=self.context["request"].user, agreement=agreement,
                    cells={added.pk: (row.get("sponsor"), row.get("cdmo"))})
        return agreement


class QualityAgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Quality agreements (filter `status` of the contract). Either party's QA lead (its
    lead, where it seats none) POSTs one for a quality agreement contract in draft or
    negotiation (its matrix starts as the one in force) and PATCHes it until the contract
    is executed."""

    model = QualityAgreement
    selector = selectors.agreement_list
    serializer_class = QualityAgreementSerializer
    filterset_class = AgreementFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())


routes = [("quality-agreements", QualityAgreementViewSet, "qualityagreement")]
