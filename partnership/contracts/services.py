"""Writes of programs and contracts: a program's description and sites, a contract's
lifecycle, its negotiation rounds (dated by the party that owns each date) and documents."""

import datetime
from collections.abc import Callable
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, DurationField, ExpressionWrapper, F
from django.utils import timezone

from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.history.context import recording
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    days_ahead,
    first_seated,
    local_dates,
    reminders_send,
    scoped,
    seats,
)
from partnership.parties.models import Membership, Partnership, User
from partnership.permissions import require
from partnership.records import (
    check_field_rules,
    shared_record_create,
    shared_record_update,
)
from partnership.signatures.models import Signature
from portal.locking import locked
from portal.workflow import transition

PROGRAM_FIELDS = ("code", "name", "modality", "phase", "description", "is_internal")


def _set_program_sites(program: Program, sites) -> None:
    if sites is None:
        return
    sites = list(sites)
    if any(site.organization_id != program.partnership.cdmo_id for site in sites):
        raise ValidationError({"sites": "Choose sites of this partnership's CDMO."})
    program.sites.set(sites)


@transaction.atomic
def program_create(*, actor: User, partnership: Partnership, **fields) -> Program:
    program = shared_record_create(Program, PROGRAM_FIELDS, actor=actor,
                                   partnership=partnership, fields=fields,
                                   rule="partnership.program_create")
    _set_program_sites(program, fields.get("sites"))
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    """Change the fields given (sites: None or left out keeps them)."""
    program = shared_record_update(program, PROGRAM_FIELDS, actor=actor, fields=fields,
                                   rule="partnership.program_edit")
    _set_program_sites(program, fields.get("sites"))
    return program


CONTRACT_FIELDS = ("kind", "reference", "title", "parent", "effective_date", "expiry_date",
                   "renewal_notice_days", "is_internal")


def _reference_check(actor: User) -> Callable[[Contract], None]:
    """A contract's reference is unique among the contracts of its partnership that the
    actor's party sees, and is checked against those only: an answer that depended on the
    other party's internal contracts would tell whoever probes with references which
    numbers that party uses (DESIGN §2). The database keeps the same rule
    (Contract.Meta.constraints), shared and internal apart, so it never compares with a
    contract of the other party that the actor cannot see either."""

    def check(contract: Contract) -> None:
        taken = Contract.objects.filter(partnership_id=contract.partnership_id,
                                        reference=contract.reference)
        if contract.pk is not None:
            taken = taken.exclude(pk=contract.pk)
        if taken.seen_by(actor.organization_id).exists():
            raise ValidationError({"reference": "Another contract of this partnership "
                                                "already has this reference."})
    return check


@transaction.atomic
def contract_create(*, actor: User, partnership: Partnership, **fields) -> Contract:
    return shared_record_create(Contract, CONTRACT_FIELDS, actor=actor,
                                partnership=partnership, fields=fields,
                                validate=_reference_check(actor),
                                rule="partnership.contract_create")


@transaction.atomic
def contract_update(*, actor: User, contract: Contract, reason: str | None = None,
                    **fields) -> Contract:
    """Change a contract's fields; once executed, only with a `reason` (Contract.
    REASON_STATUSES), which its history keeps."""
    return shared_record_update(contract, CONTRACT_FIELDS, actor=actor, fields=fields,
                                validate=_reference_check(actor),
                                rule="partnership.contract_edit", reason=reason)


@transaction.atomic
def contract_transition(*, actor: User, contract: Contract, status: str,
                        reason: str | None = None) -> Contract:
    """Move a contract along its lifecycle; an illegal step is refused whatever the door
    (an executed contract needs its effective date: the model's clean). Execution is not a
    step one party takes: both parties sign (contract_execute follows their signatures). A
    step out of executed (expired, terminated) needs a `reason`, or the door's."""
    require(actor, "partnership.contract_transition", contract)
    if status in Contract.SIGNED_STEPS:
        raise ValidationError({"status": "A contract is executed once both parties have "
                                         "signed it: sign it instead."})
    with recording(reason=reason) if reason is not None else nullcontext():
        return transition(contract, status, clean=True)


EXECUTED_REASON = "Signed by both parties for execution"


def contract_execute(*, actor: User, record: Contract) -> Contract:
    """The contract becomes executed: run by partnership.signatures.services.sign, in the
    signer's transaction, once both parties have signed its current content. A signed
    record changes only with a reason: the signatures are it. A contract signed again
    after a change of its executed terms stays as it is."""
    if record.status == Contract.Status.EXECUTED:
        return record
    with recording(reason=EXECUTED_REASON):
        return transition(record, Contract.Status.EXECUTED, clean=True)


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def latest_round_day() -> datetime.date:
    """The last day a draft or an answer may be dated: today in UTC, and one day more, so
    that someone whose today is already tomorrow in UTC (east of it, up to UTC+14) can
    date theirs today. A later date is not yet a fact, and the turnaround it gives is
    held against the other party."""
    return timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)


def _refuse_future(field: str, value: datetime.date | None, what: str) -> None:
    if value is not None and value > latest_round_day():
        raise ValidationError({field: f"{what} cannot be dated in the future."})


@transaction.atomic
def negotiation_round_add(*, actor: User, contract: Contract, sent_on, summary: str,
                          answered_on=None) -> NegotiationRound:
    """Record a draft sent by the actor's party; the other party's last draft, if still
    open, is answered by it on that day. Only the other party dates the answer to this new
    draft, so an `answered_on` given here is refused (NegotiationRound.FIELD_RULES).

    The dates of a contract's rounds run forward and stop today (latest_round_day): a new
    draft is dated no earlier than the last draft or answer before it. Otherwise the sender
    would decide the other party's turnaround (a draft backdated by decades, answered
    today) or its own (a draft dated in 2100 answers the other party's in 2100 too)."""
    require(actor, "partnership.negotiationround_add", contract)
    contract = locked(contract, "partnership")  # rounds are numbered
    if not contract.takes_rounds:
        raise ValidationError("Rounds are recorded while the contract is in negotiation.")
    party = contract.partnership.party_of(actor)
    last = contract.rounds.order_by("-number").first()
    _refuse_future("sent_on", sent_on, "A draft")
    earlier = [(day, f"round {round_.number} was {how}")
               for round_ in contract.rounds.all()
               for day, how in ((round_.sent_on, "sent"), (round_.answered_on, "answered"))
               if day is not None and sent_on is not None and day > sent_on]
    if earlier:
        day, what = max(earlier, key=lambda pair: pair[0])
        raise ValidationError({"sent_on": f"A new draft cannot be dated before {_day(day)}, "
                                          f"when {what}."})
    if last and last.answered_on is None and last.sent_by != party:
        # This draft is the answer to the other side's: the actor's party dates its own.
        check_field_rules(last, actor=actor, changes={"answered_on": sent_on})
        last.answered_on = sent_on
        last.full_clean()
        last.save(update_fields=["answered_on"])
    round_ = NegotiationRound(
        partnership=contract.partnership, contract=contract,
        number=(last.number + 1) if last else 1, sent_by=party, sent_on=sent_on,
        summary=summary, created_by=actor,
    )
    check_field_rules(round_, actor=actor, changes={"answered_on": answered_on})
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def negotiation_round_answer(*, actor: User, round_: NegotiationRound,
                             answered_on) -> NegotiationRound:
    """The party that answered a draft (by signing it, say, without a new draft) dates its
    answer, and it alone corrects that date: the other party's median turnaround would
    otherwise be the party that wrote it down's to decide."""
    require(actor, "partnership.negotiationround_answer", round_)
    # The contract first, as negotiation_round_add locks it: a new round is not added
    # meanwhile, dated before this answer.
    Contract.objects.select_for_update(of=("self",)).get(pk=round_.contract_id)
    round_ = locked(round_, "partnership")
    check_field_rules(round_, actor=actor, changes={"answered_on": answered_on})
    _refuse_future("answered_on", answered_on, "An answer")
    following = NegotiationRound.objects.filter(
        contract_id=round_.contract_id, number__gt=round_.number).order_by("number").first()
    if answered_on is not None and following is not None and \
            answered_on > following.sent_on:
        raise ValidationError({"answered_on": (
            f"The answer cannot come after the next draft, round {following.number}, sent "
            f"on {_day(following.sent_on)}.")})
    round_.answered_on = answered_on
    round_.full_clean()
    round_.save(update_fields=["answered_on"])
    return round_


@transaction.atomic
def contract_document_upload(*, actor: User, contract: Contract, file) -> ContractDocument:
    """Add a document to a contract while its text is still being agreed: the documents are
    part of what the parties sign for execution, so once anyone has signed (or the contract
    is executed) they are fixed; a later document belongs to an amendment."""
    require(actor, "partnership.contractdocument_upload", contract)
    contract = locked(contract, "partnership")
    if contract.status in Contract.REASON_STATUSES or \
            Signature.objects.of(contract).exists():
        raise ValidationError({"file": "The documents of a contract are fixed once signing "
                                       "has started; attach a new one to an amendment."})
    document = ContractDocument(partnership=contract.partnership, contract=contract,
                                uploaded_by=actor)
    document.take(file)
    document.full_clean()
    document.save()
    return document


# --- The renewal reminder (the job in partnership.contracts.tasks) ------------------------

def contract_renewal_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                          user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """The executed contracts whose leads (both parties', or its own party's for an
    internal contract; a party's writers where it seats no lead) are told within `ahead`
    from now (now: the job) that they enter their renewal notice period, of those `user`
    sees when given: from the renewal notice date in each lead's own zone until expiry.
    One query selects the contracts, one their leads."""
    earliest, latest = local_dates(now)
    notice_date = ExpressionWrapper(
        F("expiry_date") - ExpressionWrapper(F("renewal_notice_days") * datetime.timedelta(
            days=1), output_field=DurationField()), output_field=DateField())
    contracts = list(scoped(Contract, user, partnerships).filter(
        status=Contract.Status.EXECUTED, expiry_date__gte=earliest).annotate(
        notice_from=notice_date).filter(
        notice_from__lte=latest + datetime.timedelta(days=ahead.days)).select_related(
        "partnership__sponsor", "partnership__cdmo").order_by("pk"))
    found = seats({contract.partnership_id for contract in contracts},
                  Membership.WRITING_ROLES)

    def leads(contract: Contract) -> list:
        people = [person for party in ("sponsor", "cdmo") for person in first_seated(
            found, contract.partnership, party, {Membership.Role.LEAD},
            Membership.WRITING_ROLES)]
        return [person for person in people
                if days_ahead(contract.renewal_notice_date, person, now) <= ahead.days
                and days_ahead(contract.expiry_date, person, now) >= 0]

    return [Due(record=contract, window=contract.renewal_notice_date, recipients=leads(contract),
                title=f"Renewal notice period begins: {contract}",
                body=f"{contract.get_kind_display()} between {contract.partnership.sponsor} and "
                     f"{contract.partnership.cdmo}. It expires on "
                     f"{contract.expiry_date:%d %b %Y}; renewal is raised from "
                     f"{contract.renewal_notice_date:%d %b %Y}, "
                     f"{contract.renewal_notice_days} days before.")
            for contract in contracts]


def contract_renewal_reminders_send(*, now: datetime.datetime | None = None,
                                    partnerships: Batch = None) -> int:
    """E-mail (and notify) the leads once when an executed contract enters its renewal
    notice period (contract_renewal_dues): once per contract, notice date and person (an
    extended expiry or a new notice period reminds again)."""
    return reminders_send(kind="contract_renewal",
                          dues=contract_renewal_dues(now=now or timezone.now(),
                                     partnerships=partnerships))
