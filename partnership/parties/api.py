"""API resources of the parties (serializers and viewsets), all scoped (DESIGN §2), and the
field every record that names people uses."""

from collections.abc import Mapping

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from partnership.parties import selectors, services
from partnership.parties.filters import MembershipFilter, SiteFilter
from partnership.parties.models import Membership, Organization, Partnership, Site, User
from partnership.permissions import can
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField


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
            return selectors.person_list(user=user).filter(
                memberships__partnership__in=selectors.partnership_list(user=user).values(
                    "pk")).distinct()
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
                  "emergency_acknowledgement_hours", "sponsor_emergency_budget",
                  "cdmo_emergency_budget", "created_at"]
        read_only_fields = ["description", "created_at"]

    def update(self, instance, validated_data):
        return services.partnership_thresholds_set(
            actor=self.context["request"].user, partnership=instance, **validated_data)


class PersonSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "first_name", "last_name", "job_title", "organization"]


class MembershipSerializer(ScopedModelSerializer):
    user = PersonSerializer(read_only=True)
    role_label = serializers.SerializerMethodField(help_text="The role in words.")

    class Meta:
        model = Membership
        fields = ["id", "partnership", "user", "role", "role_label", "created_at"]

    def get_role_label(self, seat) -> str:
        return Membership.role_label(seat.role)


class MembershipRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class SeatSerializer(serializers.Serializer):
    """One seat of a colleague: the partnership, named, and the role, in words too."""

    id = serializers.IntegerField()
    partnership = serializers.IntegerField(source="partnership_id")
    partnership_name = serializers.CharField(source="partnership")
    role = serializers.CharField()
    role_label = serializers.SerializerMethodField()

    def get_role_label(self, seat) -> str:
        return Membership.role_label(seat.role)


class ColleagueSerializer(ScopedModelSerializer):
    """A person of the admin's organization with their seats and last sign-in."""

    name = serializers.CharField(source="get_full_name", read_only=True)
    seats = SeatSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "job_title", "is_active", "is_org_admin",
                  "last_login", "seats"]
        read_only_fields = fields



class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Your organization and those you share a partnership with."""

    model = Organization
    selector = selectors.organization_list
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
    selector = selectors.site_list
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
    selector = selectors.partnership_list
    serializer_class = PartnershipSerializer


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Who has a seat in your partnerships, and with which role. An organization admin
    POSTs .../role/ to change the role of a colleague's seat."""

    model = Membership
    selector = selectors.membership_list
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    @extend_schema(request=MembershipRoleSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        """A seat the admin sees but that is not one of their colleagues' answers 404, as
        on the page (MembershipRoleView): the admin cannot change it, whoever's it is."""
        seat = self.get_object()
        if can(request.user, "partnership.people_manage") and not \
                selectors.organization_memberships(admin=request.user).filter(
                    pk=seat.pk).exists():
            raise Http404
        data = MembershipRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seat = services.membership_role_change(actor=request.user, membership=seat,
                                               **data.validated_data)
        return Response(MembershipSerializer(self.read_again(seat)).data)


def colleague_list(*, user: User):
    """An organization admin's colleagues with their seats; nobody for anyone else (an
    empty list, as the portfolio is to a CDMO)."""
    if not can(user, "partnership.people_manage"):
        return User.objects.none()
    return selectors.organization_people(admin=user)


class ColleagueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """For organization admins: the people of your organization, each with their seats in
    its partnerships (partnership and role) and their last sign-in."""

    model = User
    selector = colleague_list
    serializer_class = ColleagueSerializer

    @classmethod
    def get_extra_actions(cls):
        """No history here: a person's history is on the people resource."""
        return [extra for extra in super().get_extra_actions() if extra.__name__ != "history"]


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People you share a partnership with. The history of a person's account only for
    themself, an admin of their organization and the operators."""

    model = User
    selector = selectors.person_list
    serializer_class = PersonSerializer
    filterset_fields = ["organization"]

    def get_object(self):
        """A history not the reader's to read answers like a person they cannot see."""
        person = super().get_object()
        if self.action == "history" and not can(self.request.user,
                                                "partnership.person_history_view", person):
            raise Http404
        return person



routes = [
    ("organizations", OrganizationViewSet, "organization"),
    ("sites", SiteViewSet, "site"),
    ("partnerships", PartnershipViewSet, "partnership"),
    ("memberships", MembershipViewSet, "membership"),
    ("people", PersonViewSet, "person"),
    ("organization-people", ColleagueViewSet, "colleague"),
]
