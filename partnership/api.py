"""API resources of the partnership app (serializers and viewsets), all scoped (DESIGN §2)."""

from rest_framework import mixins, serializers

from partnership import services
from partnership.filters import MembershipFilter, ProgramFilter, SiteFilter
from partnership.models import Membership, Organization, Partnership, Program, Site, User
from portal.tenancy import ScopedViewSet, visible


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class SiteSerializer(serializers.ModelSerializer):
    local_time = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = ["id", "organization", "name", "country", "city", "time_zone", "capabilities",
                  "status", "status_date", "local_time"]

    def get_local_time(self, site) -> str:
        return site.local_now().isoformat(timespec="minutes")


class PartnershipSerializer(serializers.ModelSerializer):
    sponsor = OrganizationSerializer(read_only=True)
    cdmo = OrganizationSerializer(read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "sponsor", "cdmo", "description", "created_at"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "first_name", "last_name", "job_title", "organization"]


class MembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "partnership", "user", "role", "created_at"]


class ScopedPartnershipField(serializers.PrimaryKeyRelatedField):
    """A partnership id from the request body, looked up among the caller's partnerships only:
    a foreign id gets the same 'does not exist' answer as a missing one."""

    def get_queryset(self):
        return visible(Partnership, self.context["request"].user)


class ProgramSerializer(serializers.ModelSerializer):
    partnership = ScopedPartnershipField()

    class Meta:
        model = Program
        fields = ["id", "partnership", "code", "name", "modality", "phase", "description",
                  "is_internal", "author_organization", "created_at", "updated_at"]
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


class SiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Sites of the organizations you can see, with their local time."""

    model = Site
    serializer_class = SiteSerializer
    filterset_class = SiteFilter


class PartnershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The partnerships you are a member of (or administer)."""

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


routes = [
    ("organizations", OrganizationViewSet, "organization"),
    ("sites", SiteViewSet, "site"),
    ("partnerships", PartnershipViewSet, "partnership"),
    ("memberships", MembershipViewSet, "membership"),
    ("people", PersonViewSet, "person"),
    ("programs", ProgramViewSet, "program"),
]
