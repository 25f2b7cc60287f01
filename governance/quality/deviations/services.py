"""Writes of deviations and CAPAs: the CDMO reports a deviation (telling the sponsor at once
or later, against the quality agreement's clock), investigates and closes it (with the
sponsor QA lead's approval where the agreement asks for it); CAPAs raised from a finding or
a deviation, implemented by their owner, verified by the sponsor's QA lead's signature; and
the overdue-CAPA reminder job."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from governance.quality.agreement.models import QualityAgreement
from governance.quality.deviations.models import Capa, CapaOverdueReminder, Deviation
from governance.quality.services import qa_leads
from partnership.history.context import recording
from partnership.models import Membership, Partnership, User
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    at_local,
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
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from partnership.signatures import is_signed
from portal.locking import locked
from portal.workflow import transition

DEVIATION_FIELDS = ("reference", "site", "batch", "lot", "kind", "classification", "title",
                    "description", "detected_at")
CAPA_FIELDS = ("title", "root_cause", "action_plan", "owner", "due_date")


def _tell(record, *, actor: User | None, kind: str, title: str, body: str = "",
          parties=("sponsor",), also=()) -> None:
    partnership = record.partnership
    recipients = list(also)
    for party in parties:
        recipients += list(qa_leads(partnership, party))
    notify(recipients=recipients, kind=kind, partnership=partnership, title=title,
           url=record.get_absolute_url(), body=body, actor=actor, record=record)


def _notice_words(deviation: Deviation) -> str:
    if deviation.agreement is None:
        return "No quality agreement was in force: no notification deadline applies."
    words = deviation.agreement.notice_words(deviation.classification)
    if deviation.notified_in_time is False:
        return f"Notified late: the quality agreement gives {words} for a " \
               f"{deviation.get_classification_display().lower()} deviation."
    return f"The quality agreement gives {words} to notify a " \
           f"{deviation.get_classification_display().lower()} deviation."


@transaction.atomic
def deviation_report(*, actor: User, partnership: Partnership, notify_sponsor: bool = True,
                     sponsor_notified_at: datetime.datetime | None = None,
                     **fields) -> Deviation:
    """The CDMO records a deviation. With `notify_sponsor` (or the time the sponsor was
    already told, by telephone or e-mail) the sponsor's QA leads see it now; without, it
    stays the CDMO's own while the quality agreement's clock runs, until
    deviation_notify_sponsor. The deadline is that of the agreement in force now."""
    if sponsor_notified_at is None and notify_sponsor:
        sponsor_notified_at = timezone.now()
    agreement = QualityAgreement.objects.in_force(partnership)
    deviation = shared_record_create(
        Deviation, (*DEVIATION_FIELDS, "sponsor_notified_at", "is_internal"), actor=actor,
        partnership=partnership, rule="governance.deviation_report",
        fields={**fields, "sponsor_notified_at": sponsor_notified_at,
                "is_internal": sponsor_notified_at is None},
        validate=lambda record: record.set_deadline(agreement))
    if deviation.sponsor_notified_at is not None:
        _tell(deviation, actor=actor, kind="deviation",
              title=f"{deviation.get_kind_display()} notified: {deviation}",
              body=_notice_words(deviation))
    else:
        _tell(deviation, actor=actor, kind="deviation", parties=("cdmo",),
              title=f"Deviation recorded, sponsor not yet notified: {deviation}",
              body=f"Notify the sponsor by {deviation.notify_by:%d %b %Y %H:%M} UTC."
              if deviation.notify_by else _notice_words(deviation))
    return deviation


@transaction.atomic
def deviation_update(*, actor: User, deviation: Deviation, **fields) -> Deviation:
    """The CDMO corrects its record while the deviation is open; the deadline follows a new
    class or detection time (under the agreement it was reported under)."""
    deviation = locked(deviation, "partnership")
    require(actor, "governance.deviation_edit", deviation)
    agreement = deviation.agreement
    return shared_record_update(deviation, DEVIATION_FIELDS, actor=actor, fields=fields,
                                rule="governance.deviation_edit",
                                validate=lambda record: record.set_deadline(agreement))


@transaction.atomic
def deviation_notify_sponsor(*, actor: User, deviation: Deviation) -> Deviation:
    """The CDMO notifies the sponsor now: the record is shared and the time kept against
    the agreement's deadline."""
    deviation = locked(deviation, "partnership")
    require(actor, "governance.deviation_notify", deviation)
    deviation = shared_record_update(
        deviation, ("sponsor_notified_at", "is_internal"), actor=actor,
        rule="governance.deviation_notify",
        fields={"sponsor_notified_at": timezone.now(), "is_internal": False})
    _tell(deviation, actor=actor, kind="deviation",
          title=f"{deviation.get_kind_display()} notified: {deviation}",
          body=_notice_words(deviation))
    return deviation


def _required(value: str | None, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


@transaction.atomic
def deviation_investigation_write(*, actor: User, deviation: Deviation, investigation: str,
                                  root_cause: str = "", product_impact: str = "") -> Deviation:
    """The CDMO records its investigation, the root cause and the impact on product."""
    deviation = locked(deviation, "partnership")
    require(actor, "governance.deviation_investigate", deviation)
    deviation.investigation = _required(investigation, "investigation",
                                        "Describe the investigation.")
    deviation.root_cause = (root_cause or "").strip()
    deviation.product_impact = (product_impact or "").strip()
    deviation.full_clean()
    deviation.save(update_fields=["investigation", "root_cause", "product_impact",
                                  "updated_at"])
    return deviation


def _deviation_step(*, actor: User, deviation: Deviation, step: str, **changes) -> Deviation:
    require(actor, "governance.deviation_step", deviation)
    deviation = transition(deviation, Deviation.STEPS[step][1],
                           guard=lambda row, status: row.check_step(step, actor),
                           changes=lambda row, status: changes, clean=True)
    label = Deviation.STEPS[step][3]
    parties = ("sponsor",) if step == "request_closure" else ("cdmo",) \
        if step in ("approve_closure", "send_back") else ()
    if parties:
        _tell(deviation, actor=actor, kind="deviation", parties=parties,
              title=f"{deviation}: {deviation.get_status_display().lower()}",
              body=changes.get("review_note") or f"{actor}: {label}.")
    return deviation


@transaction.atomic
def deviation_investigate(*, actor: User, deviation: Deviation) -> Deviation:
    return _deviation_step(actor=actor, deviation=deviation, step="investigate")


@transaction.atomic
def deviation_request_closure(*, actor: User, deviation: Deviation) -> Deviation:
    return _deviation_step(actor=actor, deviation=deviation, step="request_closure")


@transaction.atomic
def deviation_close(*, actor: User, deviation: Deviation) -> Deviation:
    return _deviation_step(actor=actor, deviation=deviation, step="close",
                           closed_at=timezone.now(), closed_by=actor)


@transaction.atomic
def deviation_approve_closure(*, actor: User, deviation: Deviation,
                              review_note: str = "") -> Deviation:
    return _deviation_step(actor=actor, deviation=deviation, step="approve_closure",
                           closed_at=timezone.now(), closed_by=actor,
                           review_note=(review_note or "").strip())


@transaction.atomic
def deviation_send_back(*, actor: User, deviation: Deviation, review_note: str) -> Deviation:
    note = _required(review_note, "review_note", "Say what the investigation is missing.")
    return _deviation_step(actor=actor, deviation=deviation, step="send_back",
                           review_note=note)


DEVIATION_STEPS = {"investigate": deviation_investigate,
                   "request_closure": deviation_request_closure, "close": deviation_close,
                   "approve_closure": deviation_approve_closure,
                   "send_back": deviation_send_back}


# --- CAPAs ---------------------------------------------------------------------------------

@transaction.atomic
def capa_create(*, actor: User, partnership: Partnership, finding=None, deviation=None,
                **fields) -> Capa:
    """A CAPA answering an audit finding or a deviation (or complaint) of the partnership,
    numbered in it; its owner is told."""
    require(actor, "governance.capa_create", partnership)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # numbering
    number = (Capa.objects.filter(partnership=partnership).aggregate(
        last=Max("number"))["last"] or 0) + 1

    def numbered(record):
        record.number, record.finding, record.deviation = number, finding, deviation

    capa = shared_record_create(Capa, CAPA_FIELDS, actor=actor, partnership=partnership,
                                fields=fields, validate=numbered,
                                rule="governance.capa_create")
    _tell(capa, actor=actor, kind="capa", parties=(), also=[capa.owner],
          title=f"{capa} is yours", body=f"Due {capa.due_date:%d %b %Y}.")
    return capa


@transaction.atomic
def capa_update(*, actor: User, capa: Capa, **fields) -> Capa:
    """Change the plan of a CAPA not yet implemented (a new owner is told)."""
    capa = locked(capa, "partnership")
    require(actor, "governance.capa_edit", capa)
    previous_owner = capa.owner_id
    capa = shared_record_update(capa, CAPA_FIELDS, actor=actor, fields=fields,
                                rule="governance.capa_edit")
    if capa.owner_id != previous_owner:
        _tell(capa, actor=actor, kind="capa", parties=(), also=[capa.owner],
              title=f"{capa} is yours", body=f"Due {capa.due_date:%d %b %Y}.")
    return capa


def _capa_step(*, actor: User, capa: Capa, step: str, **changes) -> Capa:
    require(actor, "governance.capa_step", capa)
    label = Capa.STEPS[step][3]
    reason = f"Step of the CAPA's workflow after its signature: {label}." \
        if is_signed(capa) else None
    with recording(reason=reason) if reason else transaction.atomic():
        capa = transition(capa, Capa.STEPS[step][1],
                          guard=lambda row, status: row.check_step(step, actor),
                          changes=lambda row, status: changes, clean=True)
    if step == "implement":
        _tell(capa, actor=actor, kind="capa",
              title=f"{capa} implemented: verify its effectiveness",
              body=capa.effectiveness_evidence)
    elif step == "reopen":
        _tell(capa, actor=actor, kind="capa", parties=(), also=[capa.owner],
              title=f"{capa} reopened: not shown effective", body=capa.review_note)
    return capa


@transaction.atomic
def capa_start(*, actor: User, capa: Capa) -> Capa:
    return _capa_step(actor=actor, capa=capa, step="start")


@transaction.atomic
def capa_implement(*, actor: User, capa: Capa, effectiveness_evidence: str) -> Capa:
    """The owner's party has done what the plan says, and says what shows it worked."""
    evidence = _required(effectiveness_evidence, "effectiveness_evidence",
                         "Say what shows the action worked.")
    return _capa_step(actor=actor, capa=capa, step="implement",
                      effectiveness_evidence=evidence, implemented_at=timezone.now())


@transaction.atomic
def capa_reopen(*, actor: User, capa: Capa, review_note: str) -> Capa:
    """The sponsor's QA lead finds the effect not shown: back to work."""
    note = _required(review_note, "review_note", "Say why the effect is not shown.")
    return _capa_step(actor=actor, capa=capa, step="reopen", review_note=note,
                      implemented_at=None)


CAPA_STEPS = {"start": capa_start, "implement": capa_implement, "reopen": capa_reopen}


def capa_verify(*, actor: User, record: Capa) -> Capa:
    """Run by partnership.signatures.services.sign, in the signer's transaction, once the
    sponsor's QA lead has signed the effectiveness check: the CAPA is closed."""
    if record.status != Capa.Status.IMPLEMENTED:
        return record
    with recording(reason="Effectiveness verified by the sponsor's QA lead (signed)."):
        capa = transition(record, Capa.Status.VERIFIED, clean=True,
                          changes=lambda row, status: {"verified_at": timezone.now()})
    _tell(capa, actor=actor, kind="capa", parties=("cdmo",), also=[capa.owner],
          title=f"{capa}: effectiveness verified")
    return capa


def capa_overdue_reminders_send(*, now: datetime.datetime | None = None,
                                partnerships: Batch = None) -> int:
    """Tell the owner and the sponsor's QA leads, once per CAPA and due date, that a CAPA
    still open or in progress is past its due date (in UTC: one calendar for both
    parties). The reminder row's unique key is claimed in the notification's savepoint, so
    a second run, a second worker or a run after a crash tells nobody twice."""
    now = now or timezone.now()
    today = now.astimezone(datetime.UTC).date()
    reminded = CapaOverdueReminder.objects.filter(capa=OuterRef("pk"),
                                                  due_date=OuterRef("due_date"))
    told = 0
    overdue = within(Capa.objects.overdue(today), partnerships).exclude(Exists(reminded))
    for capa in overdue.select_related("owner", "partnership").order_by("pk"):
        with transaction.atomic():
            _, created = CapaOverdueReminder.objects.get_or_create(capa=capa,
                                                                   due_date=capa.due_date)
            if created:
                _tell(capa, actor=None, kind="capa", also=[capa.owner],
                      title=f"CAPA overdue: {capa}",
                      body=f"It was due {capa.due_date:%d %b %Y}; owned by {capa.owner}.")
                told += 1
    return told


# --- Reminders before a deadline (the jobs in governance.quality.tasks) -------------------

#: A CAPA's owner is reminded this many days before its due date.
CAPA_DUE_SOON_DAYS = 7
#: The CDMO is reminded of the sponsor's notice at most this long before the deadline,
#: and never before half of the agreement's notice period has gone (a critical deviation
#: may have to be told within hours).
DEVIATION_NOTICE_LEAD = datetime.timedelta(hours=24)


def capa_due_soon_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                       user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """Each CAPA still open or in progress whose owner is reminded within `ahead` from now
    (now: the job) that its due date is a week away, of those `user` sees when given: from
    when it is seven days ahead in the owner's own zone until the day before. One query."""
    earliest, latest = local_dates(now)
    capas = scoped(Capa, user, partnerships).filter(
        status__in=Capa.ACTIVE, due_date__gt=earliest,
        due_date__lte=latest + datetime.timedelta(days=CAPA_DUE_SOON_DAYS + ahead.days)
    ).select_related("owner", "partnership").order_by("pk")
    return [Due(record=capa, window=capa.due_date, lead=CAPA_DUE_SOON_DAYS,
                recipients=in_days(capa.due_date, [capa.owner], now,
                                   first=CAPA_DUE_SOON_DAYS + ahead.days),
                title=f"CAPA due {when_in_days(capa.due_date, capa.owner, now)}: {capa}",
                body=f"Due {capa.due_date:%A %d %b %Y}: implement it and record the evidence "
                     "of its effect by then.")
            for capa in capas]


def capa_due_soon_reminders_send(*, now: datetime.datetime | None = None,
                                 partnerships: Batch = None) -> int:
    """Remind the owner of each active CAPA that its due date is a week away
    (capa_due_soon_dues), once per CAPA, due date and owner."""
    return reminders_send(kind="capa_due_soon", dues=capa_due_soon_dues(
        now=now or timezone.now(), partnerships=partnerships))


def deviation_notice_lead(deviation: Deviation) -> datetime.timedelta:
    """How long before its notice deadline the CDMO is reminded: 24 hours, or the last half
    of a shorter notice period."""
    return min(DEVIATION_NOTICE_LEAD, (deviation.notify_by - deviation.detected_at) / 2)


def deviation_notice_dues(*, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                          user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """The open deviations not yet notified whose reminder goes within `ahead` from now
    (now: the job) to the CDMO's QA leads (its leads where it seats none) and whoever
    reported it, of those `user` sees when given: the quality agreement's deadline to tell
    the sponsor is near (deviation_notice_lead). The deviation is the CDMO's own until
    notified, so only the CDMO hears of it. One query selects the deviations, one the QA
    leads."""
    unnotified = scoped(Deviation, user, partnerships).unnotified()
    deviations = [deviation for deviation in unnotified.filter(
        status__in=Deviation.OPEN, notify_by__gt=now,
        notify_by__lte=now + DEVIATION_NOTICE_LEAD + ahead).select_related(
        "partnership", "created_by").order_by("notify_by", "pk")
        if now + ahead >= deviation.notify_by - deviation_notice_lead(deviation)]
    found = seats({deviation.partnership_id for deviation in deviations},
                  (Membership.Role.QA_LEAD, Membership.Role.LEAD))

    def title(deviation: Deviation):
        return lambda person: (f"Notify the sponsor by {at_local(deviation.notify_by, person, now)}"
                               f": {deviation}")

    return [Due(record=deviation, window=deviation.notify_by,
                lead=deviation_notice_lead(deviation),
                recipients=[deviation.created_by, *first_seated(
                    found, deviation.partnership, "cdmo", {Membership.Role.QA_LEAD},
                    {Membership.Role.LEAD})],
                title=title(deviation), when=deviation.notify_by,
                body="The quality agreement's deadline to tell the sponsor of this "
                     f"{deviation.get_classification_display().lower()} "
                     f"{deviation.get_kind_display().lower()} is at the time shown.")
            for deviation in deviations]


def deviation_notice_reminders_send(*, now: datetime.datetime | None = None,
                                    partnerships: Batch = None) -> int:
    """Remind the CDMO that the deadline to tell the sponsor of a deviation is near
    (deviation_notice_dues), once per deviation, deadline and person."""
    return reminders_send(kind="deviation_notice_due", dues=deviation_notice_dues(
        now=now or timezone.now(), partnerships=partnerships))
