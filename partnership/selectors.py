"""Reads for parties, people and programs; each starts from a scoped queryset (DESIGN §2)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from partnership.models import Membership, Organization, Partnership, Program, Site, User


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        Partnership.objects.visible_to(user)
        .select_related("sponsor", "cdmo")
        .annotate(member_count=Count("memberships", distinct=True))
    )


def partnership_sites(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """Sites of the two parties; the CDMO's sites come first, as they are where work runs."""
    return Site.objects.visible_to(user).filter(
        organization__in=[partnership.cdmo_id, partnership.sponsor_id]
    ).select_related("organization").order_by("-organization__kind", "name")


def program_list(*, user: User, partnership: Partnership) -> QuerySet[Program]:
    return Program.objects.visible_to(user).filter(partnership=partnership)


def membership_list(*, user: User, partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("user", "user__organization")
    )


def site_list(*, user: User) -> QuerySet[Site]:
    return Site.objects.visible_to(user).select_related("organization")


def organization_people(*, admin: User) -> QuerySet[User]:
    """An admin's colleagues with their seats in the organization's partnerships."""
    seats = Membership.objects.filter(
        Q(partnership__sponsor_id=admin.organization_id)
        | Q(partnership__cdmo_id=admin.organization_id)
    ).select_related("partnership__sponsor", "partnership__cdmo")
    return (
        User.objects.visible_to(admin)
        .filter(organization_id=admin.organization_id)
        .prefetch_related(Prefetch("memberships", queryset=seats))
    )


def organization_partnerships(*, admin: User) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(admin).filter(
        Q(sponsor_id=admin.organization_id) | Q(cdmo_id=admin.organization_id)
    ).select_related("sponsor", "cdmo")


def visible_organizations(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user)
