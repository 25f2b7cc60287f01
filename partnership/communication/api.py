"""API resources of the communication plan (serializers and viewsets), all scoped
(DESIGN §2)."""

from rest_framework import mixins

from partnership.communication import selectors, services
from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from partnership.parties.api import SeatedPersonField
from partnership.parties.models import Partnership
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


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
    selector = selectors.point_of_contact_list
    serializer_class = PointOfContactSerializer
    filterset_fields = ["function", "party"]


class CommunicationPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, ScopedViewSet):
    """Ground rules and meeting cadence; POST writes the partnership's plan."""

    model = CommunicationPlan
    selector = selectors.communication_plan_list
    serializer_class = CommunicationPlanSerializer


class EscalationLevelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, ScopedViewSet):
    """The escalation path, level by level; POST sets (or replaces) a level."""

    model = EscalationLevel
    selector = selectors.escalation_level_list
    serializer_class = EscalationLevelSerializer

routes = [
    ("points-of-contact", PointOfContactViewSet, "pointofcontact"),
    ("communication-plans", CommunicationPlanViewSet, "communicationplan"),
    ("escalation-levels", EscalationLevelViewSet, "escalationlevel"),
]
