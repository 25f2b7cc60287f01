"""Reads of programs and contracts: lists, a contract with its negotiation figures, and the
alerts of the partnership home (renewals due, strained negotiations, closing sites)."""

import datetime
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.parties.models import Partnership, Site, User
from partnership.signatures.selectors import signature_count


def _of(queryset: QuerySet, partnership: Partnership | int | None) -> QuerySet:
    """The rows of one partnership, or of all the user's when None (the API's lists)."""
    return queryset if partnership is None else queryset.filter(partnership=partnership)


def program_list(*, user: User, partnership: Partnership | int | None = None
                 ) -> QuerySet[Program]:
    return _of(Program.objects.visible_to(user), partnership)


def program_get(*, user: User, partnership: Partnership, pk: int) -> Program:
    """A program of `partnership`, holding the caller's copy of it (as contract_get)."""
    program = get_object_or_404(program_list(user=user, partnership=partnership), pk=pk)
    program.partnership = partnership
    return program


def contract_list(*, user: User, partnership: Partnership | int | None = None
                  ) -> QuerySet[Contract]:
    """Contracts with their number of rounds and of parties that signed their execution
    (`signed_parties`: the list's badge)."""
    return (
        _of(Contract.objects.visible_to(user), partnership)
        .select_related("parent")
        .annotate(round_count=Count("rounds"),
                  signed_parties=signature_count(Contract, "executed"))
        .order_by("reference")  # Meta.ordering does not apply to GROUP BY queries
    )


def sow_list(*, user: User, partnership: Partnership) -> QuerySet[Contract]:
    """The statements of work a deliverable may be owed under."""
    return Contract.objects.visible_to(user).filter(partnership=partnership,
                                                    kind=Contract.Kind.SOW)


def negotiation_round_list(*, user: User, partnership: Partnership | int | None = None,
                           contract: Contract | None = None) -> QuerySet[NegotiationRound]:
    rounds = _of(NegotiationRound.objects.visible_to(user), partnership).select_related(
        "created_by")
    return rounds if contract is None else rounds.filter(contract=contract)


def contract_document_list(*, user: User, partnership: Partnership | int | None = None,
                           contract: Contract | None = None) -> QuerySet[ContractDocument]:
    documents = _of(ContractDocument.objects.visible_to(user), partnership)
    return documents if contract is None else documents.filter(contract=contract)


def contract_get(*, user: User, partnership: Partnership, pk: int) -> Contract:
    """A contract of `partnership`, holding the caller's copy of it (a page's, which knows
    the user's role: the rules asked about the contract read no more)."""
    contract = get_object_or_404(
        Contract.objects.visible_to(user).filter(partnership=partnership)
        .select_related("parent"), pk=pk)
    contract.partnership = partnership
    return contract


@dataclass
class NegotiationStats:
    rounds: int
    median_days: dict[str, float | None]  # answering party -> median turnaround in days
    #: answering party -> (number, days so far) of the round still waiting for its answer
    waiting: dict[str, tuple[int, int]]

    def warnings(self, partnership: Partnership) -> list[str]:
        """A round waiting longer than the agreed turnaround warns by itself: whatever the
        answer, it will have taken longer than that, and a party that answers the easy
        rounds fast cannot hide the one it sits on behind a quick median."""
        found = []
        if self.rounds > partnership.negotiation_round_threshold:
            found.append(f"{self.rounds} rounds (more than "
                         f"{partnership.negotiation_round_threshold})")
        threshold = partnership.negotiation_turnaround_threshold
        for party, days in self.median_days.items():
            name = partnership.sponsor if party == "sponsor" else partnership.cdmo
            if days is not None and days > threshold:
                found.append(f"{name} answers in {days:g} days (median)")
            number, age = self.waiting.get(party, (None, 0))
            if number is not None and age > threshold:
                found.append(f"{name} has not answered round {number} for {age} days "
                             f"(more than {threshold})")
        return found


def negotiation_stats(rounds, *, negotiating: bool = True,
                      today: datetime.date | None = None) -> NegotiationStats:
    """Rounds and each party's median answer time, from the rounds of one contract (in
    their order). While the contract is `negotiating`, its last round, unanswered, counts
    with its age so far (days up to `today`, UTC): a party sitting on a draft is slow now,
    not only once it answers."""
    today = today or timezone.now().date()
    days = {"sponsor": [], "cdmo": []}
    waiting = {}
    for index, round_ in enumerate(rounds):
        if round_.turnaround_days is not None:
            days[round_.answered_by].append(round_.turnaround_days)
        elif negotiating and index == len(rounds) - 1:
            age = max((today - round_.sent_on).days, 0)
            days[round_.answered_by].append(age)
            waiting[round_.answered_by] = (round_.number, age)
            round_.days_so_far = age  # the page's Days column
    return NegotiationStats(
        rounds=len(rounds),
        median_days={party: (median(values) if values else None)
                     for party, values in days.items()},
        waiting=waiting,
    )


def contract_alerts(*, user: User, partnership: Partnership) -> dict:
    """For the partnership home: renewals due and negotiations showing strain. One query
    reads both kinds of contract (and one more the rounds of those in negotiation)."""
    today = timezone.localdate()
    contracts = list(Contract.objects.visible_to(user).filter(partnership=partnership).filter(
        Q(status=Contract.Status.EXECUTED, expiry_date__gte=today)
        | Q(status=Contract.Status.NEGOTIATION)))
    renewals = [c for c in contracts
                if c.status == Contract.Status.EXECUTED and c.in_notice_period(today)]
    negotiating = [c for c in contracts if c.status == Contract.Status.NEGOTIATION]
    prefetch_related_objects(negotiating, "rounds")
    strained = []
    for contract in negotiating:
        warnings = negotiation_stats(list(contract.rounds.all())).warnings(partnership)
        if warnings:
            strained.append((contract, warnings))
    return {"renewals": renewals, "strained_negotiations": strained}


def site_alerts(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """CDMO sites that are closing or closed and run this partnership's programs."""
    programs = Program.objects.visible_to(user).filter(partnership=partnership)
    return (Site.objects.visible_to(user).exclude(status=Site.Status.ACTIVE)
            .filter(programs__in=programs).distinct()
            .prefetch_related(Prefetch("programs", queryset=programs, to_attr="affected")))
