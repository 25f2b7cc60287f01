"""API resources of tech transfers and their milestones (serializers and viewsets), all
scoped (DESIGN §2)."""

from rest_framework import mixins, serializers

from partnership.contracts.models import Program
from partnership.deliverables.models import Deliverable
from partnership.parties.api import SeatedPersonField
from partnership.parties.models import Membership, Partnership, Site
from partnership.scoping_views import ScopedViewSet
from partnership.techtransfer import selectors, services
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.serializers import (
    FutureDatesMixin,
    ScopedModelSerializer,
    ScopedRelatedField,
    records_past_field,
)


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


class MilestoneSerializer(FutureDatesMixin, ScopedModelSerializer):
    """A planned date in the past is refused unless `records_past` is true (a milestone
    reached before the transfer was entered); an edit keeps its own planned date."""

    future_dates = ("planned_date",)
    past_confirmation = "records_past"
    records_past = records_past_field()
    sponsor_owner = SeatedPersonField(party="sponsor", roles=Membership.WRITING_ROLES,
                                      required=False, allow_null=True)
    cdmo_owner = SeatedPersonField(party="cdmo", roles=Membership.WRITING_ROLES,
                                   required=False, allow_null=True)
    deliverables = ScopedRelatedField(Deliverable, many=True, required=False)
    slip_days = serializers.IntegerField(read_only=True, allow_null=True)  # not yet planned or done

    class Meta:
        model = Milestone
        fields = ["id", "partnership", "tech_transfer", "kind", "sponsor_owner", "cdmo_owner",
                  "planned_date", "actual_date", "slip_days", "deliverables", "note",
                  "records_past"]
        read_only_fields = ["partnership", "tech_transfer", "kind"]


    def update(self, instance, validated_data):
        return services.milestone_update(actor=self.context["request"].user,
                                         milestone=instance, **validated_data)


class TechTransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, ScopedViewSet):
    """Tech transfers; creating one adds its six standard milestones."""

    model = TechTransfer
    selector = selectors.tech_transfer_list
    serializer_class = TechTransferSerializer


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, ScopedViewSet):
    """Milestones of tech transfers: owners, planned and actual dates, deliverables."""

    model = Milestone
    selector = selectors.milestone_list  # the deliverables listed are those the user sees
    serializer_class = MilestoneSerializer
    filterset_fields = ["tech_transfer"]

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())


routes = [
    ("tech-transfers", TechTransferViewSet, "techtransfer"),
    ("milestones", MilestoneViewSet, "milestone"),
]
