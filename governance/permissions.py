"""Who may do what in governance: role × party × state, each rule declared once, as its
parts (partnership.permissions says how a rule is declared and asked).

Which fields a party may change, and in which state, stays in each model's FIELD_RULES
(partnership/rules.py); which workflow step a status allows, in its WORKFLOW (and a
request's STEPS: which side takes each step).
"""

import rules

from partnership.permissions import (
    SEATED_ONLY,
    WRITER,
    denied,
    has_seat,
    invalid,
    is_authors_party,
    is_cdmo,
    is_of_a_party,
    is_receiving_party,
    is_sponsor,
    partnership_of,
    rule,
)


@rules.predicate
def meeting_not_cancelled(user, meeting) -> bool:
    return meeting.status != meeting.Status.CANCELLED


@rules.predicate
def meeting_has_started(user, meeting) -> bool:
    return meeting.has_started()


@rules.predicate
def is_requester(user, request) -> bool:
    """Of the party that sent the request."""
    return request.side_of(user) == "requester"


@rules.predicate
def request_is_editable(user, request) -> bool:
    """Not yet committed to by the receiver (Request.EDITABLE)."""
    return request.status in request.EDITABLE


@rules.predicate
def request_is_open(user, request) -> bool:
    return request.is_open


@rules.predicate
def has_justification(user, request) -> bool:
    return bool(request.emergency_justification)


@rules.predicate
def is_over_budget(user, request) -> bool:
    return request.over_emergency_budget


@rules.predicate
def notice_is_unacknowledged(user, notice) -> bool:
    return not notice.is_acknowledged


# --- Rules --------------------------------------------------------------------------------

# A writer of the partnership does these; which steps a status allows is the WORKFLOW's.
for name in ("actionitem_create", "actionitem_edit", "actionitem_transition",
             "meeting_create", "meeting_edit", "meeting_transition",
             "decision_create", "decision_edit",
             "risk_create", "risk_edit", "risk_transition",
             "notice_post"):
    rule(f"governance.{name}", WRITER)

rule("governance.meeting_minute", WRITER,
     (meeting_not_cancelled, invalid({"minutes": "A cancelled meeting has no minutes; "
                                                 "reschedule it first."})),
     (meeting_has_started, lambda meeting: meeting.not_started_error("minutes")))

rule("governance.request_send", WRITER,
     (is_of_a_party, denied("Only people of the sponsor or the CDMO send requests.")))
rule("governance.request_edit", WRITER,
     (is_requester, invalid({"status": "Only the party that sent the request edits it."})),
     (request_is_editable, invalid({"status": "An acknowledged request is no longer edited; "
                                              "cancel it or ask the other party."})),
     refusal="Only the party that sent the request edits it, and only until it is "
             "acknowledged.")
# Which side takes which step, from which status, is the request's STEPS (Request.check_step).
rule("governance.request_step", WRITER)
rule("governance.request_relay",
     (is_sponsor, denied("Only the sponsor relays a request to another partnership.")),
     WRITER,
     (request_is_open, invalid(lambda request: (
         f"A request that is {request.get_status_display().lower()} is no longer relayed; "
         "send a new request in the other partnership instead."))))
# The written justification of an emergency is the sending party's; once the emergency is
# over budget it is the reason the receiving party is asked to drop other work, so the
# receiving party reads it too (and both steering committees, who are of the two parties).
rule("governance.request_read_justification",
     (has_justification & (is_requester | (is_over_budget & is_receiving_party)),
      denied("The justification of an emergency within budget is the sending party's.")))

rule("governance.notice_edit",
     (is_authors_party, denied("Only the party that posted a notice can correct it.")),
     (notice_is_unacknowledged, invalid("An acknowledged notice cannot be changed; post a "
                                        "new one.")),
     WRITER)
rule("governance.notice_acknowledge", WRITER,
     (is_receiving_party, invalid("Only the other party can acknowledge this notice.")),
     (notice_is_unacknowledged, invalid("This notice has already been acknowledged.")))

# Thanking and rating concern the relationship, not the shared work: anyone with a seat
# (viewers and steering members included) may do it.
rule("governance.recognition_create", (has_seat, denied(SEATED_ONLY)))
rule("governance.survey_answer", (has_seat, denied(SEATED_ONLY)))


# --- The audit programme (governance.quality) -------------------------------------------
# Which part (CDMO QA lead, host, audit team, lead auditor) takes which step of an audit or
# a finding, from which status, is the model's STEPS (Audit.check_step, Finding.check_step).

@rules.predicate
def assures_quality(user, obj) -> bool:
    """A QA lead of the partnership, of either party."""
    return partnership_of(obj).role_of(user) == "qa_lead"


@rules.predicate
def audit_is_editable(user, audit) -> bool:
    return audit.status in audit.EDITABLE


def _audit_of(obj):
    return obj if type(obj).__name__ == "Audit" else obj.audit


@rules.predicate
def is_on_audit_team(user, obj) -> bool:
    """The lead auditor or one of the team of the audit (of a finding's audit)."""
    audit = _audit_of(obj)
    return audit.partnership.party_of(user) == "sponsor" and audit.is_on_team(user)


@rules.predicate
def is_lead_auditor(user, audit) -> bool:
    return user.pk == audit.lead_auditor_id


@rules.predicate
def audit_is_running(user, obj) -> bool:
    audit = _audit_of(obj)
    return audit.status in audit.RAISING


QA_LEADS = denied("Only the QA leads of either party plan and reschedule audits.")
rule("governance.audit_plan", WRITER, (assures_quality, QA_LEADS))
rule("governance.audit_edit", WRITER, (assures_quality, QA_LEADS),
     (audit_is_editable, invalid({"status": "An audit that has started keeps its plan."})))
rule("governance.audit_step", WRITER)
rule("governance.audit_report_write", WRITER,
     (is_lead_auditor, denied("Only the lead auditor writes the report.")),
     (audit_is_running, invalid({"report_summary": "The report is written while the audit "
                                                   "is in progress."})))
AUDIT_TEAM = denied("Only the lead auditor and the audit team raise and correct findings.")
NOT_RUNNING = invalid({"status": "Findings are raised and corrected while the audit is in "
                                 "progress, before its report is issued."})
rule("governance.finding_raise", WRITER, (is_on_audit_team, AUDIT_TEAM),
     (audit_is_running, NOT_RUNNING))
rule("governance.finding_edit", WRITER, (is_on_audit_team, AUDIT_TEAM),
     (audit_is_running, NOT_RUNNING))
rule("governance.finding_step", WRITER)


# --- Sites as the sponsor's QA sees them (governance.quality.sites.models) ---------------
# A site's qualification is the sponsor's judgement: its QA lead (its lead, where it seats
# none, as Audit.who_of lets the CDMO's lead act for a missing QA lead) adds a site, moves
# its status, permits subcontractors and sets the programme's intervals. Inspections are
# facts either party enters; subcontractors are the CDMO's to declare.

@rules.predicate
def is_sponsor_qa(user, obj) -> bool:
    """The sponsor's QA lead here, or a sponsor lead where the sponsor seats no QA lead."""
    from governance.quality.qa import acts_for_quality

    return acts_for_quality(partnership_of(obj), user, party="sponsor")


@rules.predicate
def entered_it(user, record) -> bool:
    """Of the party that entered the inspection or subcontractor."""
    return record.entered_by.organization_id == user.organization_id


@rules.predicate
def subcontractor_is_requested(user, subcontractor) -> bool:
    return subcontractor.status == subcontractor.Status.REQUESTED


@rules.predicate
def audit_may_be_cancelled(user, audit) -> bool:
    return audit.status in audit.EDITABLE


SPONSOR_QA = denied("Only the sponsor's QA lead decides on a site's qualification.")
rule("governance.sitequalification_create", WRITER, (is_sponsor_qa, SPONSOR_QA))
rule("governance.sitequalification_edit", WRITER, (is_sponsor_qa, SPONSOR_QA))
rule("governance.sitequalification_transition", WRITER, (is_sponsor_qa, SPONSOR_QA))
rule("governance.auditprogramme_edit", WRITER, (is_sponsor_qa, denied(
    "Only the sponsor's QA lead sets the audit programme's intervals.")))
rule("governance.inspection_create", WRITER)
rule("governance.inspection_edit", WRITER, (entered_it, denied(
    "Only the party that entered an inspection corrects it.")))
rule("governance.subcontractor_create", WRITER, (is_cdmo, denied(
    "The CDMO declares its subcontractors; the sponsor's QA lead permits them.")))
rule("governance.subcontractor_edit", WRITER, (is_cdmo, denied(
    "Only the CDMO corrects the subcontractors it declared.")),
    (subcontractor_is_requested, invalid({"status": "A subcontractor is corrected while it "
                                                    "awaits permission."})))
rule("governance.subcontractor_step", WRITER)
rule("governance.audit_cancel", WRITER, (assures_quality, QA_LEADS),
     (audit_may_be_cancelled, invalid({"status": "Only a planned or confirmed audit is "
                                                 "cancelled or postponed."})))
# --- The quality agreement, deviations and CAPAs (governance.quality) -------------------
# Which party takes which step of a deviation or a CAPA, from which status, is the model's
# STEPS (Deviation.check_step, Capa.check_step).

@rules.predicate
def acts_for_quality_here(user, obj) -> bool:
    """A QA lead of either party, or a party's lead where it seats no QA lead."""
    from governance.quality.qa import acts_for_quality

    return acts_for_quality(partnership_of(obj), user)


@rules.predicate
def agreement_is_editable(user, agreement) -> bool:
    return agreement.is_editable


@rules.predicate
def deviation_is_open(user, deviation) -> bool:
    return deviation.is_open


@rules.predicate
def deviation_is_investigated(user, deviation) -> bool:
    return deviation.status in (deviation.Status.OPEN, deviation.Status.INVESTIGATING)


@rules.predicate
def deviation_not_notified(user, deviation) -> bool:
    return deviation.sponsor_notified_at is None


@rules.predicate
def capa_is_active(user, capa) -> bool:
    return capa.status in capa.ACTIVE


@rules.predicate
def plays_in_capa(user, capa) -> bool:
    return bool(capa.who_of(user))


QUALITY_WRITERS = denied("Only the QA leads of either party (a party's lead, where it seats "
                         "no QA lead) write the quality agreement.")
rule("governance.qualityagreement_create", WRITER, (acts_for_quality_here, QUALITY_WRITERS))
rule("governance.qualityagreement_edit", WRITER, (acts_for_quality_here, QUALITY_WRITERS),
     (agreement_is_editable, invalid({"contract": "The agreement is executed: its matrix "
                                                  "changes with an amendment."})))
CDMO_REPORTS = denied("The CDMO reports and investigates its deviations.")
rule("governance.deviation_report", WRITER, (is_cdmo, CDMO_REPORTS))
rule("governance.deviation_edit", WRITER, (is_cdmo, CDMO_REPORTS),
     (deviation_is_open, invalid({"status": "A closed deviation keeps its record."})))
rule("governance.deviation_notify", WRITER, (is_cdmo, CDMO_REPORTS),
     (deviation_not_notified, invalid({"sponsor_notified_at": "The sponsor was notified "
                                                              "already."})))
rule("governance.deviation_investigate", WRITER, (is_cdmo, CDMO_REPORTS),
     (deviation_is_investigated, invalid({"status": "The investigation is recorded until "
                                                    "closure is asked for."})))
rule("governance.deviation_step", WRITER)
rule("governance.capa_create", WRITER)
rule("governance.capa_edit", WRITER,
     (plays_in_capa, denied("Only the CAPA's owner, their party's QA lead or the sponsor's "
                            "QA lead change its plan.")),
     (capa_is_active, invalid({"status": "An implemented CAPA keeps its plan."})))
rule("governance.capa_step", WRITER)
# --- Batches and their disposition (governance.quality.batches) -------------------------
# Which party's QA lead reviews a lot's batch record, from which status, is the model's
# STEPS (Batch.check_step); who signs its disposition, and when, its SIGNATURES.

@rules.predicate
def batch_is_unreviewed(user, batch) -> bool:
    return batch.status == batch.Status.MANUFACTURED


@rules.predicate
def batch_takes_certificates(user, batch) -> bool:
    return batch.status in batch.COA_OPEN


CDMO_LOTS = denied("Only the CDMO records its lots and attaches their certificates.")
rule("governance.batch_record", WRITER, (is_cdmo, CDMO_LOTS))
rule("governance.batch_edit", WRITER, (is_cdmo, CDMO_LOTS),
     (batch_is_unreviewed, invalid({"status": "A lot keeps its particulars once its batch "
                                              "record is reviewed."})))
rule("governance.batch_review", WRITER)
rule("governance.batch_certificate_attach", WRITER, (is_cdmo, CDMO_LOTS),
     (batch_takes_certificates, invalid({"file": "A lot released or rejected keeps the "
                                                 "certificates it was disposed of with."})))
# --- Change controls (governance.quality.changes) ----------------------------------------
# The CDMO raises and corrects its change controls; which party's QA lead takes which step
# (submit, acknowledge, implement, close, withdraw), from which status, is the model's
# STEPS (ChangeControl.check_step); who signs a decision, and when, its SIGNATURES.

@rules.predicate
def change_is_draft(user, change) -> bool:
    return change.status == change.Status.DRAFT


@rules.predicate
def change_awaits_decision(user, change) -> bool:
    return change.status == change.Status.AWAITING_DECISION


CDMO_CHANGES = denied("Only the CDMO raises and corrects its change controls.")
rule("governance.changecontrol_create", WRITER, (is_cdmo, CDMO_CHANGES))
rule("governance.changecontrol_edit", WRITER, (is_cdmo, CDMO_CHANGES),
     (change_is_draft, invalid(lambda change: {"status": (
         f"This change control is {change.get_status_display().lower()}: only a draft is "
         "edited. A submitted change control keeps what the sponsor was asked; withdraw it "
         "and raise a new one.")})))
rule("governance.changecontrol_step", WRITER)
rule("governance.changecontrol_conditions", WRITER,
     (is_sponsor_qa, denied("Only the sponsor's QA lead states the conditions of an "
                            "approval.")),
     (change_awaits_decision, invalid({"decision_conditions": "Conditions are stated while "
                                                              "the change awaits a decision."})))
