"""Writes of change controls: the CDMO raises a change and corrects it while a draft, its
QA lead submits it (classed by the quality agreement in force), the sponsor's QA lead
decides it under an e-signature (partnership.signatures runs the decision services below)
or acknowledges a notify-only change, the CDMO implements it (never before an approval)
and its QA lead closes it; before the sponsor has answered, the CDMO may withdraw it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from governance.quality.agreement.models import QualityAgreement
from governance.quality.changes.models import ChangeControl, ChangeDecisionReminder
from governance.quality.services import qa_leads
from partnership.history.context import recording
from partnership.models import Partnership, User
from partnership.notifications.reminders import Batch, within
from partnership.notifications.services import notify
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from partnership.signatures import is_signed
from portal.locking import locked
from portal.workflow import transition

CHANGE_FIELDS = ("reference", "site", "program", "category", "title", "description",
                 "rationale", "impact_quality", "impact_validation", "impact_regulatory",
                 "proposed_on")
#: The reason a decision is recorded with (a signed record changes only with one).
DECISION_REASON = "Decision on the change, signed by the sponsor: {label}."


def _tell(change: ChangeControl, *, actor: User | None, party: str, title: str,
          body: str = "") -> None:
    """The QA leads of `party` (its leads where it seats none); never the actor."""
    notify(recipients=list(qa_leads(change.partnership, party)), kind="change_control",
           partnership=change.partnership, title=title, url=change.get_absolute_url(),
           body=body, actor=actor, record=change)


def _clean(fields: dict) -> dict:
    if "reference" in fields:
        fields["reference"] = (fields["reference"] or "").strip()
    return fields


def _check_unique(partnership: Partnership, reference: str | None, pk=None) -> None:
    """A friendlier word than the constraint's for a number already recorded here."""
    if reference and ChangeControl.objects.filter(
            partnership=partnership, reference__iexact=reference).exclude(pk=pk).exists():
        raise ValidationError({"reference": "This change control number is already recorded "
                                            "in this partnership."})


def _check_program(fields: dict, required: bool) -> None:
    if required and fields.get("program") is None:
        raise ValidationError({"program": "Choose the program the change affects."})


@transaction.atomic
def change_control_create(*, actor: User, partnership: Partnership, **fields
                          ) -> ChangeControl:
    """The CDMO raises a change control, as a draft its QA lead submits to the sponsor."""
    require(actor, "governance.changecontrol_create", partnership)
    fields = _clean(fields)
    _check_program(fields, required=True)
    _check_unique(partnership, fields.get("reference"))
    return shared_record_create(ChangeControl, CHANGE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields,
                                rule="governance.changecontrol_create")


@transaction.atomic
def change_control_update(*, actor: User, change: ChangeControl, **fields) -> ChangeControl:
    """The CDMO corrects its change control while it is a draft."""
    change = locked(change, "partnership")
    require(actor, "governance.changecontrol_edit", change)
    fields = _clean(fields)
    if "program" in fields:
        _check_program(fields, required=True)
    _check_unique(change.partnership, fields.get("reference"), pk=change.pk)
    return shared_record_update(change, CHANGE_FIELDS, actor=actor, fields=fields,
                                rule="governance.changecontrol_edit")


def _step(*, actor: User, change: ChangeControl, step: str, changes=None) -> ChangeControl:
    """Take `step` as the model's table allows (checked again on the locked row); a change
    of a record already signed is recorded with its reason."""
    require(actor, "governance.changecontrol_step", change)
    target = change.check_step(step, actor)
    label = ChangeControl.STEPS[step][3]
    reason = f"Step of the change control after the sponsor's signed decision: {label}." \
        if is_signed(change) else None
    with recording(reason=reason) if reason else transaction.atomic():
        return transition(change, target, guard=lambda row, status: row.check_step(step, actor),
                          changes=changes, clean=True)


@transaction.atomic
def change_control_submit(*, actor: User, change: ChangeControl) -> ChangeControl:
    """The CDMO's QA lead submits the change: classed now by the quality agreement in force
    (approval required without one), the sponsor's QA leads are told what is asked of
    them."""
    if change.program_id is None:
        raise ValidationError({"program": "Name the program the change affects before "
                                          "submitting it."})
    agreement = QualityAgreement.objects.in_force(change.partnership)
    now = timezone.now()

    def changes(row, status):
        row.classify(agreement)
        return {"classification": row.classification, "agreement": agreement,
                "decision_due": row.decision_due, "submitted_at": now, "submitted_by": actor}

    require(actor, "governance.changecontrol_step", change)
    row = locked(change, "partnership")
    row.check_step("submit", actor)
    row.classify(agreement)
    change = transition(row, row.submit_target(),
                        guard=lambda current, status: current.check_step("submit", actor),
                        changes=changes, clean=True)
    if change.needs_approval:
        _tell(change, actor=actor, party="sponsor",
              title=f"{change.reference} awaits your decision: {change.title}",
              body=f"{change.get_category_display()} change at {change.site.name}; "
                   f"decision due {change.decision_due:%d %b %Y}.")
    else:
        _tell(change, actor=actor, party="sponsor",
              title=f"{change.reference} to acknowledge (notify only): {change.title}",
              body=f"{change.get_category_display()} change at {change.site.name}.")
    return change


@transaction.atomic
def change_control_acknowledge(*, actor: User, change: ChangeControl) -> ChangeControl:
    """The sponsor's QA lead acknowledges a notify-only change; the CDMO is told."""
    now = timezone.now()
    change = _step(actor=actor, change=change, step="acknowledge",
                   changes=lambda row, status: {"acknowledged_by": actor,
                                                "acknowledged_at": now})
    _tell(change, actor=actor, party="cdmo", title=f"{change.reference} acknowledged by the "
                                                   "sponsor")
    return change


@transaction.atomic
def change_control_implement(*, actor: User, change: ChangeControl,
                             implemented_on: datetime.date,
                             implementation_evidence: str) -> ChangeControl:
    """The CDMO records the change as implemented, with its evidence: only once the sponsor
    has approved it (or acknowledged a notify-only change). The sponsor is told."""
    evidence = (implementation_evidence or "").strip()
    if not evidence:
        raise ValidationError({"implementation_evidence": "Say what shows the change is in "
                                                          "place: the executed protocol, the "
                                                          "revised SOP, the first lot."})
    if implemented_on is None:
        raise ValidationError({"implemented_on": "Give the date the change took effect."})
    change = _step(actor=actor, change=change, step="implement", changes=lambda row, status: {
        "implemented_on": implemented_on, "implemented_by": actor,
        "implementation_evidence": evidence})
    _tell(change, actor=actor, party="sponsor", title=f"{change.reference} implemented",
          body=evidence)
    return change


@transaction.atomic
def change_control_close(*, actor: User, change: ChangeControl) -> ChangeControl:
    """The CDMO's QA lead closes an implemented change control (closed is final)."""
    now = timezone.now()
    return _step(actor=actor, change=change, step="close",
                 changes=lambda row, status: {"closed_at": now, "closed_by": actor})


@transaction.atomic
def change_control_withdraw(*, actor: User, change: ChangeControl, reason: str
                            ) -> ChangeControl:
    """The CDMO's QA lead withdraws a change before the sponsor has answered, with its
    reason; the sponsor is told if it was asked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the change is withdrawn."})
    asked = change.status != ChangeControl.Status.DRAFT
    change = _step(actor=actor, change=change, step="withdraw",
                   changes=lambda row, status: {"withdrawn_reason": reason})
    if asked:
        _tell(change, actor=actor, party="sponsor",
              title=f"{change.reference} withdrawn by the CDMO", body=reason)
    return change


#: The steps by name, for the pages and the API.
CHANGE_STEPS = {"submit": change_control_submit, "acknowledge": change_control_acknowledge,
                "implement": change_control_implement, "close": change_control_close,
                "withdraw": change_control_withdraw}


@transaction.atomic
def change_control_set_conditions(*, actor: User, change: ChangeControl,
                                  decision_conditions: str) -> ChangeControl:
    """The sponsor's QA lead states the conditions of an approval before signing it."""
    change = locked(change, "partnership")
    require(actor, "governance.changecontrol_conditions", change)
    conditions = (decision_conditions or "").strip()
    if not conditions:
        raise ValidationError({"decision_conditions": "State the conditions of the approval."})
    change.decision_conditions = conditions
    change.full_clean()
    change.save(update_fields=["decision_conditions", "updated_at"])
    return change


def _decide(*, actor: User, record: ChangeControl, event: str) -> ChangeControl:
    """The decision `event` its signer signed: the change moves on, the CDMO is told."""
    sources, target = ChangeControl.DECISIONS[event]
    if record.status not in sources:
        return record
    now = timezone.now()
    with recording(reason=DECISION_REASON.format(label=ChangeControl.SIGNATURES[event].label)):
        change = transition(record, target, clean=True, changes=lambda row, status: {
            "decided_by": actor, "decided_at": now})
    body = change.decision_conditions if target == \
        ChangeControl.Status.APPROVED_WITH_CONDITIONS else ""
    _tell(change, actor=actor, party="cdmo",
          title=f"{change.reference} {change.get_status_display().lower()} by the sponsor",
          body=body)
    return change


# Run by partnership.signatures.services.sign, in the signer's transaction, once the
# sponsor's QA lead has signed the decision (ChangeControl.SIGNATURES' `complete`).
def change_control_approve(*, actor: User, record: ChangeControl) -> ChangeControl:
    return _decide(actor=actor, record=record, event="approved")


def change_control_approve_with_conditions(*, actor: User, record: ChangeControl
                                           ) -> ChangeControl:
    return _decide(actor=actor, record=record, event="approved_with_conditions")


def change_control_reject(*, actor: User, record: ChangeControl) -> ChangeControl:
    return _decide(actor=actor, record=record, event="rejected")


def change_decision_reminders_send(*, now: datetime.datetime | None = None,
                                   partnerships: Batch = None) -> int:
    """Tell the sponsor's QA leads, once per change control and due date, that a decision
    is past its due date. The reminder row's unique key is claimed in the notification's
    savepoint, so a second run, a second worker or a run after a crash tells nobody twice."""
    now = now or timezone.now()
    today = now.astimezone(datetime.UTC).date()
    reminded = ChangeDecisionReminder.objects.filter(change_control=OuterRef("pk"),
                                                     due_date=OuterRef("decision_due"))
    told = 0
    for change in within(ChangeControl.objects.decision_overdue(today), partnerships).exclude(
            Exists(reminded)).select_related("partnership", "site").order_by("pk"):
        with transaction.atomic():
            _, created = ChangeDecisionReminder.objects.get_or_create(
                change_control=change, due_date=change.decision_due)
            if created:
                _tell(change, actor=None, party="sponsor",
                      title=f"Decision overdue: {change.reference} {change.title}",
                      body=f"The quality agreement gave until {change.decision_due:%d %b %Y} "
                           f"to decide on this change at {change.site.name}.")
                told += 1
    return told
