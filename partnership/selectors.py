"""Reads for parties, people and programs; each starts from a scoped queryset (DESIGN §2)."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnership.models import (
    CommunicationPlan,
    Contract,
    Deliverable,
    EscalationLevel,
    Function,
    Membership,
    Milestone,
    Objective,
    OrganizationDomain,
    Partnership,
    PointOfContact,
    Priority,
    PriorityChange,
    Program,
    Site,
    TechTransfer,
    User,
)


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        Partnership.objects.visible_to(user)
        .select_related("sponsor", "cdmo")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("sponsor__name", "cdmo__name")
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
    that field's side, in a role that acts (what services._check_owners accepts)."""
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


def organization_partnerships(*, admin: User) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(admin).filter(
        Q(sponsor_id=admin.organization_id) | Q(cdmo_id=admin.organization_id)
    ).select_related("sponsor", "cdmo")


def contract_list(*, user: User, partnership: Partnership) -> QuerySet[Contract]:
    return (
        Contract.objects.visible_to(user).filter(partnership=partnership)
        .select_related("parent")
        .annotate(round_count=Count("rounds"))
        .order_by("reference")  # Meta.ordering does not apply to GROUP BY queries
    )


def contract_get(*, user: User, partnership: Partnership, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.visible_to(user).filter(partnership=partnership)
        .select_related("parent", "partnership__sponsor", "partnership__cdmo"),
        pk=pk,
    )


@dataclass
class NegotiationStats:
    rounds: int
    median_days: dict[str, float | None]  # answering party -> median turnaround in days

    def warnings(self, partnership: Partnership) -> list[str]:
        found = []
        if self.rounds > partnership.negotiation_round_threshold:
            found.append(f"{self.rounds} rounds (more than "
                         f"{partnership.negotiation_round_threshold})")
        for party, days in self.median_days.items():
            if days is not None and days > partnership.negotiation_turnaround_threshold:
                name = partnership.sponsor if party == "sponsor" else partnership.cdmo
                found.append(f"{name} answers in {days:g} days (median)")
        return found


def negotiation_stats(rounds) -> NegotiationStats:
    """Rounds and each party's median answer time, from the rounds of one contract."""
    days = {"sponsor": [], "cdmo": []}
    for round_ in rounds:
        if round_.turnaround_days is not None:
            days[round_.answered_by].append(round_.turnaround_days)
    return NegotiationStats(
        rounds=len(rounds),
        median_days={party: (median(values) if values else None)
                     for party, values in days.items()},
    )


def contract_alerts(*, user: User, partnership: Partnership) -> dict:
    """For the partnership home: renewals due and negotiations showing strain."""
    contracts = Contract.objects.visible_to(user).filter(partnership=partnership)
    today = timezone.localdate()
    renewals = [c for c in contracts.filter(status=Contract.Status.EXECUTED,
                                            expiry_date__gte=today)
                if c.in_notice_period(today)]
    strained = []
    for contract in contracts.filter(status=Contract.Status.NEGOTIATION).prefetch_related(
            "rounds"):
        warnings = negotiation_stats(list(contract.rounds.all())).warnings(partnership)
        if warnings:
            strained.append((contract, warnings))
    return {"renewals": renewals, "strained_negotiations": strained}


def deliverable_list(*, user: User, partnership: Partnership) -> QuerySet[Deliverable]:
    return (
        Deliverable.objects.visible_to(user).filter(partnership=partnership)
        .select_related("sow").annotate(criteria_count=Count("criteria"))
        .order_by("due_date", "title")  # Meta.ordering does not apply to GROUP BY queries
    )


def deliverable_get(*, user: User, partnership: Partnership, pk: int) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.visible_to(user).filter(partnership=partnership)
        .select_related("sow"), pk=pk)


def communication_overview(*, user: User, partnership: Partnership) -> dict:
    """Contacts by function for both sides, the plan, the escalation path, and each site's
    working hours in the viewer's time zone."""
    contacts = {(c.function, c.party): c for c in PointOfContact.objects.visible_to(user)
                .filter(partnership=partnership).select_related("primary", "backup")}
    rows = [(label, contacts.get((code, "sponsor")), contacts.get((code, "cdmo")))
            for code, label in Function.choices]
    zone = timezone.get_current_timezone()
    sites = [(site, *site.working_hours_in(zone))
             for site in partnership_sites(user=user, partnership=partnership)]
    return {
        "contact_rows": rows,
        "plan": CommunicationPlan.objects.visible_to(user).filter(
            partnership=partnership).first(),
        "levels": EscalationLevel.objects.visible_to(user).filter(
            partnership=partnership).prefetch_related("people__organization"),
        "site_hours": sites,
    }


ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS = 14


def priorities(*, user: User, partnership: Partnership) -> dict:
    """The current ranking, its history, and the change to announce on the home page."""
    changes = PriorityChange.objects.visible_to(user).filter(
        partnership=partnership).select_related("changed_by")
    latest = changes.first()
    recent = latest and latest.changed_at >= timezone.now() - datetime.timedelta(
        days=ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS)
    return {
        "priorities": Priority.objects.visible_to(user).filter(partnership=partnership),
        "priority_changes": changes,
        "priority_announcement": latest if recent else None,
    }


def site_alerts(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """CDMO sites that are closing or closed and run this partnership's programs."""
    programs = Program.objects.visible_to(user).filter(partnership=partnership)
    return (Site.objects.visible_to(user).exclude(status=Site.Status.ACTIVE)
            .filter(programs__in=programs).distinct()
            .prefetch_related(Prefetch("programs", queryset=programs, to_attr="affected")))


def objective_list(*, user: User, partnership: Partnership) -> QuerySet[Objective]:
    return Objective.objects.visible_to(user).filter(partnership=partnership).select_related(
        "sponsor_owner", "cdmo_owner")


def tech_transfer_list(*, user: User, partnership: Partnership) -> QuerySet[TechTransfer]:
    return TechTransfer.objects.visible_to(user).filter(partnership=partnership).select_related(
        "program", "site")


def milestone_deliverables(*, user: User, milestone: Milestone | None = None
                           ) -> QuerySet[Deliverable]:
    """The deliverables `milestone` needs (any milestone's, for a prefetch) that the user
    may see: whatever is linked, a deliverable internal to the other party never shows."""
    deliverables = Deliverable.objects.visible_to(user)
    return deliverables.filter(milestones=milestone) if milestone is not None else deliverables


def tech_transfer_timeline(*, user: User, transfer: TechTransfer) -> list[dict]:
    """Milestones with their planned and actual dates placed on one time axis (percent),
    each with the deliverables it needs (`needed_deliverables`), the open requests waiting
    on it and the open risks threatening it, as far as the user may see them: whatever is
    linked, an internal record of the other party stays hidden. Those models live in
    governance, reached here through the reverse relations only, so this app does not
    import that one."""
    waiting = Milestone._meta.get_field("requests").related_model
    threats = Milestone._meta.get_field("risks").related_model
    milestones = list(Milestone.objects.visible_to(user).filter(tech_transfer=transfer)
                      .select_related("sponsor_owner", "cdmo_owner")
                      .prefetch_related(
                          Prefetch("deliverables", to_attr="needed_deliverables",
                                   queryset=milestone_deliverables(user=user)),
                          Prefetch("requests", to_attr="waiting_requests",
                                   queryset=waiting.objects.visible_to(user).filter(
                                       status__in=waiting.OPEN).order_by("sent_at", "pk")),
                          Prefetch("risks", to_attr="open_risks",
                                   queryset=threats.objects.visible_to(user).filter(
                                       status="open").order_by("-likelihood", "-impact",
                                                               "pk"))))
    today = timezone.localdate()
    dates = [d for m in milestones for d in (m.planned_date, m.actual_date) if d] + [today]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def place(day):
        return None if day is None else round(100 * (day - start).days / span, 1)

    return [{"milestone": m, "planned_at": place(m.planned_date),
             "actual_at": place(m.actual_date), "slip_days": m.slip_days(today)}
            for m in milestones]
