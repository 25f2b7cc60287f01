"""Writes of the sites as the sponsor's QA sees them (qualification, inspections,
subcontractors, the programme's intervals) and of the audit programme's later parts:
cancelling or postponing an audit with a reason, and the job that reminds the CDMO of
finding responses gone overdue."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.meetings.services import meeting_transition
from governance.quality.models import Audit, Finding
from governance.quality.services import _tell, audit_update, qa_leads
from governance.quality.sites.models import (
    AuditProgramme,
    FindingResponseReminder,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from partnership.history.context import recording
from partnership.models import Partnership, User
from partnership.notifications.reminders import Batch, within
from partnership.notifications.services import notify
from partnership.permissions import can, require
from partnership.records import shared_record_create
from portal.locking import locked
from portal.workflow import transition

QUALIFICATION_FIELDS = ("site", "approved_activities", "conditions")
INSPECTION_FIELDS = ("authority", "authority_name", "inspected_on", "outcome",
                     "observation_count", "certificate_number", "certificate_expiry", "summary")
SUBCONTRACTOR_FIELDS = ("name", "activity", "location")
PROGRAMME_FIELDS = ("reaudit_months", "reaudit_months_after_critical")


def _tell_party(partnership: Partnership, *, party: str, actor: User, title: str, record,
                body: str = "", kind: str = "site_qualification") -> None:
    """The QA leads of `party` (its leads where it seats none); never the actor."""
    notify(recipients=list(qa_leads(partnership, party)), kind=kind, partnership=partnership,
           title=title, url=record.get_absolute_url(), body=body, actor=actor, record=record)


# --- Qualification ---------------------------------------------------------------------

@transaction.atomic
def site_qualification_create(*, actor: User, partnership: Partnership,
                              **fields) -> SiteQualification:
    """The sponsor's QA lead adds one of the CDMO's sites to the programme, not assessed."""
    qualification = shared_record_create(
        SiteQualification, QUALIFICATION_FIELDS, actor=actor, partnership=partnership,
        fields=fields, rule="governance.sitequalification_create",
        validate=lambda record: _check_unique(record))
    _tell_party(partnership, party="cdmo", actor=actor, record=qualification,
                title=f"Site added to the qualification programme: {qualification.site.name}")
    return qualification


def _check_unique(record: SiteQualification) -> None:
    if record.site_id and SiteQualification.objects.filter(
            partnership=record.partnership, site=record.site_id).exclude(
            pk=record.pk).exists():
        raise ValidationError({"site": "This site is in the programme already."})


@transaction.atomic
def site_qualification_update(*, actor: User, qualification: SiteQualification,
                              **fields) -> SiteQualification:
    """The sponsor's QA lead corrects the approved activities and the conditions (the site
    stays the site)."""
    qualification = locked(qualification, "partnership", "site")
    require(actor, "governance.sitequalification_edit", qualification)
    for name in ("approved_activities", "conditions"):
        if name in fields:
            setattr(qualification, name, fields[name] if name != "conditions"
                    else (fields[name] or "").strip())
    qualification.full_clean()
    qualification.save()
    return qualification


@transaction.atomic
def site_qualification_transition(*, actor: User, qualification: SiteQualification,
                                  status: str, approved_activities=None,
                                  conditions: str | None = None) -> SiteQualification:
    """The sponsor's QA lead moves the site's status (the workflow says where to), giving
    the activities an approval covers and the conditions or reason where the step needs
    them. The CDMO's QA leads are told."""
    require(actor, "governance.sitequalification_transition", qualification)

    def changes(row, target):
        values = {"status_changed_at": timezone.now(), "status_changed_by": actor}
        if approved_activities is not None:
            values["approved_activities"] = list(approved_activities)
        if conditions is not None:
            values["conditions"] = conditions.strip()
        elif target == SiteQualification.Status.APPROVED:
            values["conditions"] = ""
        return values

    qualification = transition(qualification, status, changes=changes, clean=True)
    _tell_party(qualification.partnership, party="cdmo", actor=actor, record=qualification,
                title=f"{qualification.site.name}: "
                      f"{qualification.get_status_display().lower()}",
                body=qualification.conditions)
    return qualification


# --- Inspections -----------------------------------------------------------------------

@transaction.atomic
def inspection_create(*, actor: User, qualification: SiteQualification,
                      **fields) -> Inspection:
    """Either party enters an inspection of the site; the other party's QA leads are told."""
    qualification = locked(qualification, "partnership", "site")
    require(actor, "governance.inspection_create", qualification)
    inspection = Inspection(partnership=qualification.partnership, qualification=qualification,
                            entered_by=actor,
                            **{name: fields[name] for name in INSPECTION_FIELDS if name in fields})
    inspection.full_clean()
    inspection.save()
    party = Partnership.other_party(qualification.partnership.party_of(actor))
    _tell_party(qualification.partnership, party=party, actor=actor, record=inspection,
                title=f"Inspection recorded at {qualification.site.name}: "
                      f"{inspection.get_outcome_display()}")
    return inspection


@transaction.atomic
def inspection_update(*, actor: User, inspection: Inspection, **fields) -> Inspection:
    inspection = locked(inspection, "partnership", "entered_by")
    require(actor, "governance.inspection_edit", inspection)
    for name in INSPECTION_FIELDS:
        if name in fields:
            setattr(inspection, name, fields[name])
    inspection.full_clean()
    inspection.save()
    return inspection


# --- Subcontractors --------------------------------------------------------------------

@transaction.atomic
def subcontractor_create(*, actor: User, qualification: SiteQualification,
                         **fields) -> Subcontractor:
    """The CDMO declares a subcontractor for the sponsor's work at the site; the sponsor's
    QA lead is asked for its written permission."""
    qualification = locked(qualification, "partnership", "site")
    require(actor, "governance.subcontractor_create", qualification)
    subcontractor = Subcontractor(
        partnership=qualification.partnership, qualification=qualification, entered_by=actor,
        **{name: (fields[name] or "").strip() for name in SUBCONTRACTOR_FIELDS
           if name in fields})
    subcontractor.full_clean()
    subcontractor.save()
    _tell_party(qualification.partnership, party="sponsor", actor=actor,
                record=subcontractor,
                title=f"Permission asked for a subcontractor of {qualification.site.name}: "
                      f"{subcontractor.name}", body=subcontractor.activity)
    return subcontractor


@transaction.atomic
def subcontractor_update(*, actor: User, subcontractor: Subcontractor,
                         **fields) -> Subcontractor:
    subcontractor = locked(subcontractor, "partnership")
    require(actor, "governance.subcontractor_edit", subcontractor)
    for name in SUBCONTRACTOR_FIELDS:
        if name in fields:
            setattr(subcontractor, name, (fields[name] or "").strip())
    subcontractor.full_clean()
    subcontractor.save()
    return subcontractor


def subcontractor_steps_for(user: User, subcontractor: Subcontractor) -> dict[str, str]:
    """{status: button} the user may move the subcontractor to now."""
    if not can(user, "governance.subcontractor_step", subcontractor):
        return {}
    party = subcontractor.partnership.party_of(user)
    sponsor_qa = can(user, "governance.sitequalification_transition", subcontractor)
    return {status: label for status, label in
            Subcontractor.WORKFLOW.next_statuses(subcontractor.status).items()
            if (Subcontractor.DECIDES[status] == "sponsor_qa" and sponsor_qa) or
            (Subcontractor.DECIDES[status] == "cdmo" and party == "cdmo")}


@transaction.atomic
def subcontractor_decide(*, actor: User, subcontractor: Subcontractor, status: str,
                         decision_note: str = "",
                         permission_date: datetime.date | None = None) -> Subcontractor:
    """The sponsor's QA lead permits (dating the written permission) or refuses, with why;
    the CDMO withdraws it or asks again. A refusal needs its reason."""
    require(actor, "governance.subcontractor_step", subcontractor)
    note = (decision_note or "").strip()

    def guard(row, target):
        if target not in subcontractor_steps_for(actor, row):
            who = "the sponsor's QA lead" if Subcontractor.DECIDES.get(target) == \
                "sponsor_qa" else "the CDMO"
            raise PermissionDenied(f"Only {who} may take this step.")
        if target == Subcontractor.Status.REFUSED and not note:
            raise ValidationError({"decision_note": "Say why the permission is refused."})
        if permission_date and permission_date > timezone.localdate():
            raise ValidationError({"permission_date": "The permission cannot be dated "
                                                      "in the future."})

    def changes(row, target):
        if target == Subcontractor.Status.PERMITTED:
            return {"permission_date": permission_date or timezone.localdate(),
                    "permitted_by": actor, "decision_note": note}
        if target == Subcontractor.Status.REFUSED:
            return {"decision_note": note, "permission_date": None, "permitted_by": None}
        return {}

    subcontractor = transition(subcontractor, status, guard=guard, changes=changes,
                               clean=True)
    party = Partnership.other_party(subcontractor.partnership.party_of(actor))
    _tell_party(subcontractor.partnership, party=party, actor=actor, record=subcontractor,
                title=f"Subcontractor {subcontractor.name}: "
                      f"{subcontractor.get_status_display().lower()}", body=note)
    return subcontractor


# --- The programme's intervals ---------------------------------------------------------

@transaction.atomic
def audit_programme_set(*, actor: User, partnership: Partnership, **fields) -> AuditProgramme:
    """The sponsor's QA lead sets the months between routine audits (and after a critical
    finding); the due-for-re-audit list follows at once."""
    require(actor, "governance.auditprogramme_edit", partnership)
    programme, _ = AuditProgramme.objects.select_for_update().get_or_create(
        partnership=partnership)
    for name in PROGRAMME_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(programme, name, fields[name])
    programme.updated_by = actor
    programme.full_clean()
    programme.save()
    return programme


# --- Cancel and postpone an audit ------------------------------------------------------

def _reason(reason: str | None) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why."})
    return reason.strip()[:500]


@transaction.atomic
def audit_cancel(*, actor: User, audit: Audit, reason: str) -> Audit:
    """A QA lead cancels a planned or confirmed audit, saying why; its meetings still to
    come are cancelled with it and everyone on it is told."""
    require(actor, "governance.audit_cancel", audit)
    reason = _reason(reason)
    with recording(reason=reason):
        audit = transition(audit, Audit.Status.CANCELLED, clean=True, changes=lambda row, s: {
            "cancelled_at": timezone.now(), "cancel_reason": reason})
    for meeting in (audit.opening_meeting, audit.closing_meeting):
        if meeting is not None and meeting.status == Meeting.Status.SCHEDULED:
            meeting_transition(actor=actor, meeting=meeting, status=Meeting.Status.CANCELLED)
    _tell(audit, actor=actor, kind="audit_planned", title=f"Audit cancelled: {audit}",
          body=reason)
    return audit


@transaction.atomic
def audit_postpone(*, actor: User, audit: Audit, planned_start: datetime.date,
                   planned_end: datetime.date, reason: str) -> Audit:
    """New dates for a planned or confirmed audit, with the reason in its history: its
    meetings move with it, and a confirmed audit goes back to the CDMO's QA lead to
    confirm again (audit_update)."""
    require(actor, "governance.audit_cancel", audit)
    reason = _reason(reason)
    if planned_start == audit.planned_start and planned_end == audit.planned_end:
        raise ValidationError({"planned_start": "Give the new dates."})
    with recording(reason=reason):
        audit = audit_update(actor=actor, audit=audit, planned_start=planned_start,
                             planned_end=planned_end)
    _tell(audit, actor=actor, kind="audit_planned", title=f"Audit postponed: {audit}",
          body=reason)
    return audit


# --- Reminders -------------------------------------------------------------------------

def finding_response_reminders_send(*, today: datetime.date | None = None,
                                    partnerships: Batch = None) -> int:
    """Tell the CDMO's QA leads (and the audit's host), once per finding and due date, that
    a finding's response is overdue. The reminder row's unique key is claimed in the same
    savepoint as the notification: a second run, a second worker or a run after a crash
    tells nobody twice; a due date moved and passed again reminds again."""
    today = today or timezone.localdate()
    reminded = FindingResponseReminder.objects.filter(
        finding=OuterRef("pk"), response_due=OuterRef("response_due"))
    late = within(Finding.objects.all(), partnerships).filter(
        audit__status__in=Audit.ANSWERING, status__in=Finding.ANSWERABLE,
        response_due__lt=today).exclude(
        classification=Finding.Classification.OBSERVATION).exclude(
        Exists(reminded)).select_related("audit__partnership", "audit__site",
                                         "audit__host").order_by("pk")
    told = 0
    for finding in late:
        with transaction.atomic():
            _, created = FindingResponseReminder.objects.get_or_create(
                finding=finding, response_due=finding.response_due)
            if created:
                audit = finding.audit
                notify(recipients=[audit.host, *qa_leads(audit.partnership, "cdmo")],
                       kind="finding_overdue", partnership=audit.partnership,
                       title=f"Response overdue: finding {finding.number} of {audit}",
                       url=finding.get_absolute_url(),
                       body=f"{finding.title}. It was due {finding.response_due:%d %b %Y}.",
                       record=finding)
                told += 1
    return told

