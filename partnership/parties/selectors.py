"""Reads of the parties: partnerships, their sites and seats, the people a user may see
and name on a record, and an organization admin's page; each starts from a scoped queryset
(DESIGN §2)."""

from collections.abc import Collection, Sequence

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from partnership.parties.models import (
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
)


def partnership_list(*, user: User, query: str = "") -> QuerySet[Partnership]:
    """The user's partnerships by name, those whose sponsor's or CDMO's name holds `query`
    when given. The member count is a subquery per row, so PostgreSQL computes it for the
    rows of the page only (after ORDER BY … LIMIT), not for every partnership of a sponsor
    with hundreds."""
    members = Membership.objects.filter(partnership=OuterRef("pk")).order_by().values(
        "partnership").annotate(count=Count("pk")).values("count")
    partnerships = (
        Partnership.objects.visible_to(user)
        .select_related("sponsor", "cdmo")
        .annotate(member_count=Coalesce(Subquery(members), 0))
        .order_by("sponsor__name", "cdmo__name", "pk")
    )
    query = query.strip()
    if query:
        partnerships = partnerships.filter(
            Q(sponsor__name__icontains=query) | Q(cdmo__name__icontains=query))
    return partnerships


def partnership_switcher(*, user: User, first: Sequence[int] = (), limit: int,
                         checks: dict | None = None) -> list[Partnership]:
    """The top bar's few partnerships: those of `first` (the current one, then the most
    recently visited) in that order, then the others by name, at most `limit` + 1 of them
    (the one past `limit` only says that there are more). ONE query however many
    partnerships the user sees; `checks` (name -> expression) are annotated on every row,
    for the top bar's links (portal.registries.navigation)."""
    first = [pk for pk in first if isinstance(pk, int)][:limit]
    rank = Case(*[When(pk=pk, then=Value(position)) for position, pk in enumerate(first)],
                default=Value(len(first)), output_field=IntegerField()) if first else Value(0)
    return list(
        Partnership.objects.visible_to(user).select_related("sponsor", "cdmo")
        .annotate(switcher_rank=rank, **(checks or {}))
        .order_by("switcher_rank", "sponsor__name", "cdmo__name", "pk")[:limit + 1])


def hold_partnerships(rows: list, *, user: User) -> list:
    """The rows (of partnerships `user` sees), each holding its partnership with both
    parties' names, read once for all of them (one query; a partnership built once however
    many rows it has): a row asked for its partnership's name or the viewer's party in it
    reads no more, and no list joins the partnership and its parties again per row."""
    ids = {row.partnership_id for row in rows}
    if not ids:
        return rows
    held = {partnership.pk: partnership for partnership in Partnership.objects.visible_to(
        user).filter(pk__in=ids).select_related("sponsor", "cdmo").only(
        "sponsor_id", "cdmo_id", "sponsor__name", "cdmo__name")}
    for row in rows:
        row.partnership = held[row.partnership_id]
    return rows


def partnership_sites(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """Sites of the two parties; the CDMO's sites come first, as they are where work runs."""
    return Site.objects.visible_to(user).filter(
        organization__in=[partnership.cdmo_id, partnership.sponsor_id]
    ).select_related("organization").order_by("-organization__kind", "name")


def partnership_site_rows(*, user: User, partnership: Partnership) -> list[Site]:
    """partnership_sites as the home lists them: each site holds its organization, one of
    the partnership's two (read with it), rather than a copy of it read per site."""
    sites = list(partnership_sites(user=user, partnership=partnership).select_related(None))
    parties = {partnership.sponsor_id: partnership.sponsor, partnership.cdmo_id: partnership.cdmo}
    for site in sites:
        site.organization = parties[site.organization_id]
    return sites


def membership_list(*, user: User, partnership: Partnership | int | None = None
                    ) -> QuerySet[Membership]:
    memberships = Membership.objects.visible_to(user).select_related(
        "user", "user__organization")
    return memberships if partnership is None else memberships.filter(partnership=partnership)


def organization_list(*, user: User) -> QuerySet[Organization]:
    """The user's organization and those it shares a partnership with."""
    return Organization.objects.visible_to(user)


def person_list(*, user: User) -> QuerySet[User]:
    """The people the user shares a partnership with (and their own colleagues)."""
    return User.objects.visible_to(user)


def seated_people(*, partnership: Partnership, party: str | None = None,
                  roles: Collection[str] | None = None,
                  user: User | None = None) -> QuerySet[User]:
    """The choices of every field that names people on a record of `partnership` (owners,
    assignees, attendees, contacts, escalation levels, recipients): Partnership.seated_people
    (a seat here, of `party`, with one of `roles` in THAT seat, if given), as `user` may see
    them when given (forms and serializers); unscoped for services and jobs, which check a
    choice or choose whom to tell (notify() checks each recipient again)."""
    people = partnership.seated_people(party=party, roles=roles)
    if user is not None:
        people = people & User.objects.visible_to(user)
    return people.select_related("organization")


def member_list(*, user: User, partnership: Partnership,
                roles: Collection[str] | None = None) -> QuerySet[User]:
    """People with a seat in the partnership, as `user` may see them (seated_people)."""
    return seated_people(partnership=partnership, roles=roles, user=user)


def party_people(*, partnership: Partnership, party: str, roles=None,
                 user: User | None = None) -> QuerySet[User]:
    """People of one party ('sponsor' or 'cdmo') with a seat in the partnership
    (seated_people): with one of `roles`, if given, in THAT seat (a lead elsewhere is not a
    lead here)."""
    return seated_people(partnership=partnership, party=party, roles=roles or None,
                         user=user)


def owner_choices(*, user: User, partnership: Partnership) -> dict[str, QuerySet[User]]:
    """{field: people} of the two owner fields of objectives and milestones: seated here, on
    that field's side, in a role that acts (what records.check_owners accepts)."""
    return {f"{party}_owner": seated_people(partnership=partnership, party=party,
                                            roles=Membership.WRITING_ROLES, user=user)
            for party in ("sponsor", "cdmo")}


def party_leads(*, partnership: Partnership, party: str) -> QuerySet[User]:
    """Whom to tell when something is addressed to a party's leads: its leads here, or its
    seated writers when it has no lead, so the message never goes to nobody."""
    leads = party_people(partnership=partnership, party=party, roles=[Membership.Role.LEAD])
    if leads.exists():
        return leads
    return party_people(partnership=partnership, party=party, roles=Membership.WRITING_ROLES)


def site_list(*, user: User) -> QuerySet[Site]:
    return Site.objects.visible_to(user).select_related("organization")


def site_get(*, user: User, pk: int) -> Site:
    return get_object_or_404(site_list(user=user), pk=pk)


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


def organization_domains(*, admin: User) -> list[str]:
    """The verified domains at which the admin's organization may invite people."""
    return list(OrganizationDomain.objects.filter(
        organization_id=admin.organization_id).values_list("domain", flat=True))


def organization_memberships(*, admin: User) -> QuerySet[Membership]:
    """The seats of the admin's colleagues, whose role the admin may change and which the
    admin may remove."""
    return Membership.objects.visible_to(admin).filter(
        user__organization_id=admin.organization_id).select_related(
        "user", "partnership__sponsor", "partnership__cdmo")


def organization_partnerships(*, admin: User) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(admin).filter(
        Q(sponsor_id=admin.organization_id) | Q(cdmo_id=admin.organization_id)
    ).select_related("sponsor", "cdmo")
