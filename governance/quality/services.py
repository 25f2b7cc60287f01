"""Writes of the audit programme: plan and reschedule an audit, each step of its workflow
(the report is issued by the lead auditor's signature: partnership.signatures), raise and
correct findings, and the CDMO's response and the sponsor's review of each."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.meetings.services import meeting_create, meeting_update
from governance.quality.models import Audit, Finding
from partnership.history.context import recording
from partnership.models import Membership, Partnership, User
from partnership.notifications import reminders
from partnership.notifications.services import notify
from partnership.parties.selectors import party_leads, party_people
from partnership.permissions import require
from partnership.records import are_seated, shared_record_create, shared_record_update
from partnership.signatures import is_signed
from portal.locking import locked
from portal.workflow import transition

AUDIT_FIELDS = ("site", "kind", "scope", "planned_start", "planned_end", "lead_auditor",
                "host", "agenda")
#: Changing these on a confirmed audit asks the CDMO's QA lead to confirm it again.
RECONFIRM_FIELDS = ("site", "planned_start", "planned_end")
FINDING_FIELDS = ("classification", "title", "requirement", "evidence", "response_due")
#: The reason a signed audit's later steps are recorded with (a signed record changes only
#: with a reason: partnership.history.reasons); the step is the reason.
STEP_REASON = "Step of the audit's workflow after its signed report: {label}."


def qa_leads(partnership: Partnership, party: str):
    """Whom a party's quality news goes to: its QA leads here, or its leads when it has none,
    so it never goes to nobody."""
    people = party_people(partnership=partnership, party=party,
                          roles=[Membership.Role.QA_LEAD])
    return people if people.exists() else party_leads(partnership=partnership, party=party)


def _check_people(partnership: Partnership, *, lead_auditor, host, team) -> None:
    """Auditors are the sponsor's, the host the CDMO's, each seated here in a role that acts
    (they take the audit's steps)."""
    errors = {}
    if lead_auditor is not None and not are_seated(
            partnership, [lead_auditor], party="sponsor", roles=Membership.WRITING_ROLES):
        errors["lead_auditor"] = "Choose someone of the sponsor with a seat in this " \
                                 "partnership who can act on it (a lead, member or QA lead)."
    if host is not None and not are_seated(partnership, [host], party="cdmo",
                                           roles=Membership.WRITING_ROLES):
        errors["host"] = "Choose someone of the CDMO with a seat in this partnership who " \
                         "can act on it (a lead, member or QA lead)."
    if team is not None and not are_seated(partnership, list(team), party="sponsor",
                                           roles=Membership.WRITING_ROLES):
        errors["team"] = "The audit team is people of the sponsor with a seat in this " \
                         "partnership who can act on it."
    if errors:
        raise ValidationError(errors)


def _tell(audit: Audit, *, actor: User, kind: str, title: str, body: str = "",
          parties=("sponsor", "cdmo"), record=None) -> None:
    """The QA leads of `parties`, with the audit's lead auditor and host; never the actor."""
    recipients = [audit.lead_auditor, audit.host]
    for party in parties:
        recipients += list(qa_leads(audit.partnership, party))
    notify(recipients=recipients, kind=kind, partnership=audit.partnership, title=title,
           url=(record or audit).get_absolute_url(), body=body, actor=actor,
           record=record or audit)


def _meeting_times(audit: Audit) -> dict[str, datetime.datetime]:
    """The opening meeting at the site's opening time on the first day, the closing one an
    hour before it closes on the last day, in the site's own zone."""
    site, zone = audit.site, zoneinfo.ZoneInfo(audit.site.time_zone)
    return {
        "opening_meeting": datetime.datetime.combine(audit.planned_start, site.opens_at,
                                                     tzinfo=zone),
        "closing_meeting": datetime.datetime.combine(audit.planned_end, site.closes_at,
                                                     tzinfo=zone) - datetime.timedelta(hours=1),
    }


MEETING_KINDS = {"opening_meeting": (Meeting.Kind.AUDIT_OPENING, "Opening meeting"),
                 "closing_meeting": (Meeting.Kind.AUDIT_CLOSING, "Closing meeting")}


def _schedule_meetings(*, actor: User, audit: Audit) -> None:
    """The audit's opening and closing meetings (governance meetings), with the auditors
    and the host as attendees."""
    attendees = [audit.lead_auditor, *audit.team.all(), audit.host]
    remote = audit.kind == Audit.Kind.REMOTE
    for field, starts_at in _meeting_times(audit).items():
        kind, words = MEETING_KINDS[field]
        meeting = meeting_create(
            actor=actor, partnership=audit.partnership, kind=kind, starts_at=starts_at,
            title=f"{words}: {audit.get_kind_display()} audit of {audit.site.name}",
            duration_minutes=60, location="Video call" if remote else audit.site.name,
            agenda=audit.scope if field == "opening_meeting" else
            "The findings as they stand, and the dates for the report and the responses.",
            attendees=[person for person in attendees if person is not None])
        setattr(audit, field, meeting)
    audit.save(update_fields=["opening_meeting", "closing_meeting"])


def _move_meetings(*, actor: User, audit: Audit) -> None:
    """New dates or site: the audit's meetings still scheduled move with it."""
    for field, starts_at in _meeting_times(audit).items():
        meeting = getattr(audit, field)
        if meeting is not None and meeting.status == Meeting.Status.SCHEDULED and \
                meeting.starts_at != starts_at:
            meeting_update(actor=actor, meeting=meeting, starts_at=starts_at)


@transaction.atomic
def audit_plan(*, actor: User, partnership: Partnership, team=(), with_meetings: bool = True,
               **fields) -> Audit:
    """Plan an audit of a CDMO site, with its opening and closing meetings unless asked
    not to. The other party's QA leads (and the lead auditor and host) are told; the CDMO's
    QA lead confirms the dates."""
    require(actor, "governance.audit_plan", partnership)
    _check_people(partnership, lead_auditor=fields.get("lead_auditor"),
                  host=fields.get("host"), team=team)
    audit = shared_record_create(Audit, AUDIT_FIELDS, actor=actor, partnership=partnership,
                                 fields=fields, rule="governance.audit_plan")
    audit.team.set(list(team or ()))
    if with_meetings:
        _schedule_meetings(actor=actor, audit=audit)
    other = Partnership.other_party(partnership.party_of(actor))
    _tell(audit, actor=actor, kind="audit_planned", parties=(other,),
          title=f"Audit planned: {audit}",
          body=f"{audit.get_kind_display()} audit, {audit.planned_start:%d %b %Y} to "
               f"{audit.planned_end:%d %b %Y}; the CDMO's QA lead confirms the dates.")
    return audit


@transaction.atomic
def audit_update(*, actor: User, audit: Audit, team=None, **fields) -> Audit:
    """Change the plan of an audit not yet started (the fields given; `team` None keeps
    it). New dates or another site on a confirmed audit send it back to planned: the CDMO's
    QA lead confirms them again."""
    audit = locked(audit, "partnership")
    require(actor, "governance.audit_edit", audit)
    _check_people(audit.partnership, lead_auditor=fields.get("lead_auditor"),
                  host=fields.get("host"), team=team)
    moved = audit.status == Audit.Status.CONFIRMED and any(
        name in fields and fields[name] != getattr(audit, name) for name in RECONFIRM_FIELDS)

    def reconfirm(record):
        if moved:
            record.status, record.confirmed_at, record.confirmed_by = \
                Audit.Status.PLANNED, None, None

    audit = shared_record_update(
        audit, AUDIT_FIELDS, actor=actor, fields=fields, rule="governance.audit_edit",
        validate=reconfirm,
        links=lambda saved: saved.team.set(list(team)) if team is not None else None)
    if any(name in fields for name in RECONFIRM_FIELDS):
        _move_meetings(actor=actor, audit=audit)
    if moved:
        _tell(audit, actor=actor, kind="audit_planned", parties=("cdmo",),
              title=f"Audit rescheduled, to confirm again: {audit}")
    return audit


def _take_step(*, actor: User, audit: Audit, step: str, **changes) -> Audit:
    require(actor, "governance.audit_step", audit)
    label = Audit.STEPS[step][3]
    reason = STEP_REASON.format(label=label) if is_signed(audit) else None
    with recording(reason=reason) if reason else transaction.atomic():
        audit = transition(audit, Audit.STEPS[step][1],
                           guard=lambda row, status: row.check_step(step, actor),
                           changes=lambda row, status: changes, clean=True)
    _tell(audit, actor=actor, kind="audit_updated",
          title=f"{audit}: {audit.get_status_display().lower()}", body=f"{actor}: {label}.")
    return audit


@transaction.atomic
def audit_confirm(*, actor: User, audit: Audit) -> Audit:
    """The CDMO's QA lead confirms the planned dates."""
    return _take_step(actor=actor, audit=audit, step="confirm", confirmed_at=timezone.now(),
                      confirmed_by=actor)


@transaction.atomic
def audit_start(*, actor: User, audit: Audit) -> Audit:
    return _take_step(actor=actor, audit=audit, step="start")


@transaction.atomic
def audit_submit_responses(*, actor: User, audit: Audit) -> Audit:
    """The CDMO hands in its responses, once every finding (observations aside) has one."""
    return _take_step(actor=actor, audit=audit, step="submit_responses")


@transaction.atomic
def audit_close(*, actor: User, audit: Audit) -> Audit:
    """Closed once the sponsor has accepted every response (observations aside)."""
    return _take_step(actor=actor, audit=audit, step="close", closed_at=timezone.now())


#: The steps of an audit by name, for the pages and the API.
AUDIT_STEPS = {"confirm": audit_confirm, "start": audit_start,
               "submit_responses": audit_submit_responses, "close": audit_close}


@transaction.atomic
def audit_report_write(*, actor: User, audit: Audit, report_summary: str) -> Audit:
    """The lead auditor writes the report's summary while the audit runs; signing it
    issues the report."""
    audit = locked(audit, "partnership")
    require(actor, "governance.audit_report_write", audit)
    if not (report_summary or "").strip():
        raise ValidationError({"report_summary": "Write the report's summary."})
    audit.report_summary = report_summary.strip()
    audit.full_clean()
    audit.save(update_fields=["report_summary", "updated_at"])
    return audit


def audit_report_issue(*, actor: User, record: Audit) -> Audit:
    """The report is issued: run by partnership.signatures.services.sign, in the signer's
    transaction, once the lead auditor has signed it. The CDMO is told what to answer."""
    if record.status != Audit.Status.IN_PROGRESS:
        return record
    with recording(reason=STEP_REASON.format(label="Report issued")):
        audit = transition(record, Audit.Status.REPORT_ISSUED, clean=True,
                           changes=lambda row, status: {"report_issued_at": timezone.now()})
    due = audit.findings.exclude(classification=Finding.Classification.OBSERVATION).count()
    _tell(audit, actor=actor, kind="audit_updated", parties=("cdmo",),
          title=f"Audit report issued: {audit}",
          body=f"{due} finding{'s' if due != 1 else ''} to respond to by the dates shown.")
    return audit


@transaction.atomic
def finding_raise(*, actor: User, audit: Audit, **fields) -> Finding:
    """The audit team raises a finding while the audit runs; the CDMO's QA leads (and the
    host) are told. Numbered in its audit."""
    audit = locked(audit, "partnership")
    require(actor, "governance.finding_raise", audit)
    number = (audit.findings.aggregate(last=Max("number"))["last"] or 0) + 1
    finding = Finding(partnership=audit.partnership, audit=audit, number=number,
                      raised_by=actor,
                      **{name: fields[name] for name in FINDING_FIELDS if name in fields})
    finding.full_clean()
    finding.save()
    _tell(audit, actor=actor, kind="finding_raised", parties=("cdmo",), record=finding,
          title=f"{finding.get_classification_display()} finding raised: {finding.title}",
          body=f"{audit}. Response due "
               f"{finding.response_due:%d %b %Y}." if finding.response_due else f"{audit}.")
    return finding


@transaction.atomic
def finding_update(*, actor: User, finding: Finding, **fields) -> Finding:
    """The audit team corrects a finding until the report is issued."""
    locked(finding.audit)
    finding = locked(finding, "partnership", "audit__partnership")
    require(actor, "governance.finding_edit", finding)
    for name in FINDING_FIELDS:
        if name in fields:
            setattr(finding, name, fields[name])
    finding.full_clean()
    finding.save()
    return finding


def _required(value: str | None, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


def _finding_step(*, actor: User, finding: Finding, step: str, **changes) -> Finding:
    require(actor, "governance.finding_step", finding)
    locked(finding.audit)  # its status decides whether findings are answered now
    finding = transition(finding, Finding.STEPS[step][1],
                         guard=lambda row, status: row.check_step(step, actor),
                         changes=lambda row, status: changes, clean=True)
    audit = finding.audit
    parties = ("sponsor",) if step == "respond" else ("cdmo",)
    _tell(audit, actor=actor, kind="finding_raised", parties=parties, record=finding,
          title=f"Finding {finding.number} ({audit}): {finding.get_status_display().lower()}",
          body=changes.get("review_note") or changes.get("response") or "")
    return finding


@transaction.atomic
def finding_respond(*, actor: User, finding: Finding, response: str) -> Finding:
    response = _required(response, "response", "Write the response: cause, correction and "
                                               "the CAPA committed to.")
    return _finding_step(actor=actor, finding=finding, step="respond", response=response,
                         responded_by=actor, responded_at=timezone.now())


@transaction.atomic
def finding_accept(*, actor: User, finding: Finding, review_note: str = "") -> Finding:
    return _finding_step(actor=actor, finding=finding, step="accept",
                         review_note=(review_note or "").strip(), reviewed_by=actor,
                         reviewed_at=timezone.now())


@transaction.atomic
def finding_send_back(*, actor: User, finding: Finding, review_note: str) -> Finding:
    note = _required(review_note, "review_note", "Say what the response is missing.")
    return _finding_step(actor=actor, finding=finding, step="send_back", review_note=note,
                         reviewed_by=actor, reviewed_at=timezone.now())


FINDING_STEPS = {"respond": finding_respond, "accept": finding_accept,
                 "send_back": finding_send_back}


# --- The reminder a week before an audit (the job in governance.quality.tasks) ------------

#: The audit's people are reminded this many days before it starts.
AUDIT_REMINDER_DAYS = 7


def audit_dues(*, now: datetime.datetime, ahead: datetime.timedelta = reminders.NO_TIME,
               user: User | None = None, partnerships: reminders.Batch = None
) -> list[reminders.Due]:
    """The planned or confirmed audits whose people (the auditors, the host, and each
    party's QA leads — its leads where it seats none) are reminded within `ahead` from now
    (now: the job), of those `user` sees when given: from when the first day is seven days
    ahead in each person's own zone. One query selects the audits with their teams, one
    the QA leads of their partnerships."""
    earliest, latest = reminders.local_dates(now)
    audits = list(reminders.scoped(Audit, user, partnerships).filter(
        status__in=(Audit.Status.PLANNED, Audit.Status.CONFIRMED), planned_start__gt=earliest,
        planned_start__lte=latest + datetime.timedelta(days=AUDIT_REMINDER_DAYS + ahead.days)
    ).select_related("partnership", "site", "lead_auditor", "host").prefetch_related(
        "team").order_by("pk"))
    found = reminders.seats({audit.partnership_id for audit in audits},
                            (Membership.Role.QA_LEAD, Membership.Role.LEAD))

    def people(audit: Audit) -> list[User]:
        qa = [person for party in ("sponsor", "cdmo") for person in reminders.first_seated(
            found, audit.partnership, party, {Membership.Role.QA_LEAD}, {Membership.Role.LEAD})]
        team = [audit.lead_auditor, *audit.team.all(), audit.host, *qa]
        return reminders.in_days(audit.planned_start, team, now,
                                 first=AUDIT_REMINDER_DAYS + ahead.days)

    def title(audit: Audit):
        return lambda person: (f"Audit starts "
                               f"{reminders.when_in_days(audit.planned_start, person, now)}: "
                               f"{audit}")

    return [reminders.Due(
        record=audit, window=audit.planned_start, recipients=people(audit),
        lead=AUDIT_REMINDER_DAYS, title=title(audit),
        body=f"{audit.get_status_display()}; from {audit.planned_start:%A %d %b %Y} to "
             f"{audit.planned_end:%A %d %b %Y} at {audit.site.name}. Lead auditor: "
             f"{audit.lead_auditor}.")
        for audit in audits]


def audit_reminders_send(*, now: datetime.datetime | None = None,
                         partnerships: reminders.Batch = None) -> int:
    """Remind an audit's people a week before a planned or confirmed audit starts
    (audit_dues), once per audit, start date and person (a rescheduled audit reminds
    again)."""
    return reminders.reminders_send(kind="audit_week_before",
                                    dues=audit_dues(now=now or timezone.now(),
                                     partnerships=partnerships))
