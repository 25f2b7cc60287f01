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
    is_of_a_party,
    is_receiving_party,
    is_sponsor,
    is_steering,
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
# The written justification of an emergency is the sending party's, and goes to the
# steering committee once it is over budget.
rule("governance.request_read_justification",
     (has_justification & (is_requester | (is_over_budget & is_steering)),
      denied("The justification is the sending party's and the steering committee's.")))

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
