"""Writes of formal requests: send, correct, each step of the workflow, relay, and the
job that tells the receiving party's leads of a late acknowledgement."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance.requests.models import Request, RequestStep
from governance.requests.selectors import emergency_usage
from partnership.models import Membership, Partnership, User
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    first_seated,
    in_days,
    local_dates,
    reminders_send,
    scoped,
    seats,
    when_in_days,
    within,
)
from partnership.notifications.services import notify
from partnership.parties.selectors import party_leads, party_people
from partnership.permissions import require
from partnership.records import are_seated
from partnership.scoping import check_refers_to_shared
from portal.locking import locked
from portal.workflow import transition

REQUEST_FIELDS = ("title", "description", "kind", "urgency", "needed_by", "assignee",
                  "emergency_justification")
REQUEST_EDIT_FIELDS = ("title", "description", "kind", "needed_by", "assignee")


def _check_assignee(request: Request, assignee: User | None) -> None:
    """Who answers must hold a seat in the partnership, of the receiving party, in a role
    that acts (acknowledging, fulfilling want a writer)."""
    if not are_seated(request.partnership, [assignee], party=request.receiving_party,
                      roles=Membership.WRITING_ROLES):
        raise ValidationError({"assignee": "Choose a member of the receiving party who can "
                                           "act on it (a lead, member or QA lead)."})


def _set_request_milestones(request: Request, milestones) -> None:
    """A request is read by both parties, so it waits only on milestones both parties see:
    never on one of a tech transfer (or program) internal to one of them."""
    if milestones is None:
        return
    milestones = list(milestones)
    if any(m.partnership_id != request.partnership_id for m in milestones):
        raise ValidationError({"milestones": "Choose milestones of this partnership."})
    check_refers_to_shared(request, "milestones", milestones)
    request.milestones.set(milestones)


def _record_step(request: Request, step: str, actor: User, note: str = "") -> None:
    RequestStep.objects.create(partnership_id=request.partnership_id, request=request,
                               step=step, status=request.status, actor=actor, note=note)


@transaction.atomic
def request_send(*, actor: User, partnership: Partnership, milestones=None, **fields
                 ) -> Request:
    """Send a request from the actor's party to the other. An emergency beyond the party's
    monthly budget needs a written justification, which the steering committee members of
    both parties receive: "when everything is an emergency, nothing works"."""
    require(actor, "governance.request_send", partnership)
    party = partnership.party_of(actor)
    # Lock the partnership row: two emergencies sent at once cannot both fit the budget
    # (Request.save() takes the next number under the same lock).
    partnership = locked(partnership)
    now = timezone.now()
    request = Request(partnership=partnership, author_organization_id=actor.organization_id,
                      created_by=actor, requested_by_party=party, sent_at=now,
                      **{name: fields[name] for name in REQUEST_FIELDS if name in fields})
    request.acknowledge_by = now + request.acknowledgement_window
    request.is_internal = False  # a formal ask is for the other party to see
    if request.urgency == Request.Urgency.EMERGENCY:
        used, budget = emergency_usage(partnership=partnership, now=now)[party]
        if used >= budget:
            if not (request.emergency_justification or "").strip():
                raise ValidationError({"emergency_justification": (
                    f"Your party has used {used} of {budget} emergencies this month (UTC): "
                    "explain why this one cannot wait (the other party and the steering "
                    "committee will read it).")})
            request.over_emergency_budget = True
    else:
        request.emergency_justification = ""
    request.full_clean()
    _check_assignee(request, request.assignee)
    request.save()
    _set_request_milestones(request, milestones)
    _record_step(request, "send", actor)
    notify(recipients=[*party_people(partnership=partnership, party=request.receiving_party),
                       request.assignee],
           kind="request_received", partnership=partnership,
           title=f"New {request.get_urgency_display().lower()} request: {request}",
           url=request.get_absolute_url(),
           body="Acknowledgement is due at the time shown.", when=request.acknowledge_by,
           actor=actor, record=request)
    if request.over_emergency_budget:
        notify(recipients=User.objects.filter(memberships__partnership=partnership,
                                              memberships__role=Membership.Role.STEERING),
               kind="emergency_over_budget", partnership=partnership,
               title=f"Emergency over budget: {request}",
               url=request.get_absolute_url(), body=request.emergency_justification,
               actor=actor, record=request)
    return request


@transaction.atomic
def request_update(*, actor: User, request: Request, milestones=None, **fields) -> Request:
    """The requester corrects its request until the receiver has acknowledged it, in the
    fields given (the others, and the milestones when None, stay as they are). Urgency
    stays as sent (the emergency budget counted it): cancel and send again to change it."""
    request = locked(request, "partnership")
    require(actor, "governance.request_edit", request)
    for name in REQUEST_EDIT_FIELDS:
        if name in fields:
            setattr(request, name, fields[name])
    request.full_clean()
    _check_assignee(request, request.assignee)
    request.save()
    _set_request_milestones(request, milestones)
    return request


def _take_step(*, actor: User, request: Request, step: str, note: str = "",
               **changes) -> Request:
    """Move the request one step, if the actor's party may take it, record it on the
    timeline and tell the other side (the sender, and whoever answers for the receiver).
    Which side takes the step, from which status, is the request's STEPS (check_step, the
    transition's guard)."""
    require(actor, "governance.request_step", request)
    request = transition(request, Request.STEPS[step][1],
                         guard=lambda row, status: row.check_step(step, actor),
                         changes=lambda row, status: changes, clean=True)
    _record_step(request, step, actor, note)
    recipients = [request.created_by, request.assignee]
    if request.side_of(actor) == "requester" and request.assignee is None:
        recipients += list(party_people(partnership=request.partnership,
                                        party=request.receiving_party))
    label = Request.STEPS[step][3]
    notify(recipients=recipients, kind="request_updated", partnership=request.partnership,
           title=f"{request}: {request.get_status_display().lower()}",
           url=request.get_absolute_url(), body=note or f"{actor}: {label}.", actor=actor,
           record=request)
    return request


def _required(value: str | None, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


@transaction.atomic
def request_acknowledge(*, actor: User, request: Request,
                        committed_date: datetime.date | None, assignee: User | None = None
                        ) -> Request:
    """Accept the request with the date the receiver commits to. Whoever acknowledges
    answers for it unless they name a colleague. Everything is checked before the step is
    taken, so a wrong assignee records and tells nothing."""
    require(actor, "governance.request_step", request)
    request.check_step("acknowledge", actor)  # who may, first; again under the lock below
    if committed_date is None:
        raise ValidationError({"committed_date": "Commit to a date."})
    if committed_date < timezone.localdate():
        raise ValidationError({"committed_date": "The committed date cannot be in the past."})
    if assignee is None and request.assignee_id is None and Membership.objects.filter(
            partnership_id=request.partnership_id, user=actor).exists():
        assignee = actor  # an org admin without a seat answers for nothing by default
    assignee = assignee or request.assignee
    _check_assignee(request, assignee)
    return _take_step(actor=actor, request=request, step="acknowledge",
                      note=f"Committed to {committed_date:%d %b %Y}.",
                      committed_date=committed_date, acknowledged_at=timezone.now(),
                      assignee=assignee)


@transaction.atomic
def request_query(*, actor: User, request: Request, question: str) -> Request:
    question = _required(question, "question", "Write the question.")
    return _take_step(actor=actor, request=request, step="query", note=question,
                      question=question)


@transaction.atomic
def request_decline(*, actor: User, request: Request, reason: str) -> Request:
    """The receiving party refuses the request, saying why: it is closed (not late, not
    escalated, awaiting nobody) and the sender is told."""
    reason = _required(reason, "decline_reason", "Say why your party declines it.")
    return _take_step(actor=actor, request=request, step="decline", note=reason,
                      decline_reason=reason, closed_at=timezone.now())


@transaction.atomic
def request_answer(*, actor: User, request: Request, answer: str) -> Request:
    """Answering sends the request again: the receiver gets the agreed time (an emergency's
    own) afresh to acknowledge it, and may be told once more if that runs out."""
    answer = _required(answer, "answer", "Write the answer.")
    return _take_step(actor=actor, request=request, step="answer", note=answer, answer=answer,
                      acknowledge_by=timezone.now() + request.acknowledgement_window,
                      late_notified_at=None)


@transaction.atomic
def request_start(*, actor: User, request: Request) -> Request:
    return _take_step(actor=actor, request=request, step="start")


@transaction.atomic
def request_fulfil(*, actor: User, request: Request, fulfilment_note: str) -> Request:
    note = _required(fulfilment_note, "fulfilment_note", "Say what was delivered.")
    return _take_step(actor=actor, request=request, step="fulfil", note=note,
                      fulfilment_note=note, fulfilled_at=timezone.now())


@transaction.atomic
def request_accept(*, actor: User, request: Request) -> Request:
    return _take_step(actor=actor, request=request, step="accept", closed_at=timezone.now())


@transaction.atomic
def request_reopen(*, actor: User, request: Request, reason: str) -> Request:
    reason = _required(reason, "reopen_reason", "Say what is missing.")
    return _take_step(actor=actor, request=request, step="reopen", note=reason,
                      reopen_reason=reason, fulfilled_at=None)


@transaction.atomic
def request_cancel(*, actor: User, request: Request, reason: str = "") -> Request:
    return _take_step(actor=actor, request=request, step="cancel", note=(reason or "").strip(),
                      closed_at=timezone.now())


@transaction.atomic
def request_relay(*, actor: User, request: Request, target_partnership: Partnership,
                  title: str, description: str, urgency: str, kind: str,
                  needed_by: datetime.date | None = None, emergency_justification: str = ""
                  ) -> Request:
    """The sponsor relays a request into another of its partnerships (a manufacturing
    question to the testing lab). The new request carries only what the sponsor writes
    here; the link back is shown only to people who can see both (selectors.request_links).
    An emergency counts against the sponsor's budget in the target partnership.
    """
    partnership = request.partnership
    require(actor, "governance.request_relay", request)
    if target_partnership.pk == partnership.pk or \
            target_partnership.sponsor_id != partnership.sponsor_id or \
            not target_partnership.can_write(actor):
        raise ValidationError({"target_partnership": "Choose another partnership of your "
                                                     "organization where you work."})
    relay = request_send(actor=actor, partnership=target_partnership, title=title,
                         description=description, urgency=urgency, kind=kind,
                         needed_by=needed_by, emergency_justification=emergency_justification)
    relay.relayed_from = request
    relay.save(update_fields=["relayed_from"])
    return relay


def request_notify_late(*, now: datetime.datetime | None = None,
                        partnerships: Batch = None) -> int:
    """Tell the receiving party's leads (its writers, if it has no lead), once per
    acknowledgement window, that a request waits for acknowledgement past the agreed time.
    Each request is claimed by a conditional UPDATE of `late_notified_at` in the same
    transaction as its notification, so a second run, or two workers at once, notify nobody
    twice. The claim checks the late rule again: a request queried and answered since the
    listing has a fresh window, which must not be used up now. Only the batch's partnerships
    when given (partnership.sweeps). Returns how many were told."""
    now = now or timezone.now()
    unclaimed = within(Request.objects.late(now).filter(late_notified_at__isnull=True),
                       partnerships)
    told = 0
    for pk in unclaimed.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            if not unclaimed.filter(pk=pk).update(late_notified_at=now):
                continue
            request = Request.objects.select_related("partnership").get(pk=pk)
            leads = party_leads(partnership=request.partnership, party=request.receiving_party)
            notify(recipients=[*leads, request.assignee], kind="request_late",
                   partnership=request.partnership,
                   title=f"Not acknowledged in time: {request}",
                   url=request.get_absolute_url(),
                   body="Acknowledgement was due at the time shown.",
                   when=request.acknowledge_by, record=request)
            told += 1
    return told


#: A request's receiver is reminded this many days before it is due.
REQUEST_DUE_SOON_DAYS = 2
#: The statuses in which the receiving party still owes the work.
RECEIVER_OWES = (Request.Status.SENT, Request.Status.QUERIED, Request.Status.ACKNOWLEDGED,
                 Request.Status.IN_PROGRESS)


def request_due_soon_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                          user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """Each request whose answerer (its assignee; the receiving party's leads, or its
    writers, when it has none) is reminded within `ahead` from now (now: the job), of the
    requests `user` sees when given: due by the date the receiver committed to, else the
    date the sender needs it by, from when that date is two days ahead in the person's own
    zone. One query selects the requests, one the leads of their partnerships."""
    earliest, latest = local_dates(now)
    requests = list(scoped(Request, user, partnerships).filter(status__in=RECEIVER_OWES).annotate(
        due=Coalesce("committed_date", "needed_by")).filter(
        due__gt=earliest,
        due__lte=latest + datetime.timedelta(days=REQUEST_DUE_SOON_DAYS + ahead.days)
    ).select_related("assignee", "partnership").order_by("pk"))
    found = seats({request.partnership_id for request in requests if request.assignee is None},
                  Membership.WRITING_ROLES)

    def answering(request: Request) -> list[User]:
        if request.assignee is not None:
            return [request.assignee]
        return first_seated(found, request.partnership, request.receiving_party,
                            {Membership.Role.LEAD}, Membership.WRITING_ROLES)

    def title(request: Request):
        return lambda person: f"Request due {when_in_days(request.due, person, now)}: {request}"

    return [Due(record=request, window=request.due, lead=REQUEST_DUE_SOON_DAYS,
                recipients=in_days(request.due, answering(request), now,
                                   first=REQUEST_DUE_SOON_DAYS + ahead.days),
                title=title(request),
                body=f"Due {request.due:%A %d %b %Y}"
                     + (" (the date your party committed to)." if request.committed_date
                        else " (the date it is needed by)."))
            for request in requests]


def request_due_soon_reminders_send(*, now: datetime.datetime | None = None,
                                    partnerships: Batch = None) -> int:
    """Remind whoever answers a request that it is due in two days (request_due_soon_dues),
    once per request, due date and person. Returns how many were told."""
    return reminders_send(kind="request_due_soon",
                          dues=request_due_soon_dues(now=now or timezone.now(),
                                     partnerships=partnerships))
