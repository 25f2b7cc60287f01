"""Who may do what in governance: role × party × state, each rule declared once.

A rule is declared as its parts, in the order its service checks them, each with what the
service answers when that part fails: a part about the person (their role, their party)
refuses with PermissionDenied (403), a part about the record as it stands (a request
already acknowledged, a meeting not yet started) with a ValidationError saying why not now
(400, or the form's error). The rule itself is all its parts together, registered with
partnership.permissions (django-rules): a page asks it which buttons to show (`page_can`,
`{% can %}`), so a button is shown exactly when its service would go ahead, and the
service enforces it with `require`, which gives the refusal of the part that failed.

Which fields a party may change, and in which state, stays in each model's FIELD_RULES
(partnership/rules.py); which workflow step a status allows, in its WORKFLOW (and a
request's STEPS: which side takes each step).
"""

from collections.abc import Callable
from functools import reduce
from operator import and_

import rules
from django.core.exceptions import PermissionDenied, ValidationError

from partnership import permissions as partnership_permissions
from partnership.permissions import (
    can,
    declare,
    is_authors_party,
    is_receiving_party,
    is_sponsor,
    partnership_of,
)

READ_ONLY = "Your role in this partnership is read-only."
SEATED_ONLY = "Only people with a seat in this partnership can do this."

#: A refusal makes the exception a service raises when a part fails, from the record.
Refusal = Callable[[object], Exception]
_PARTS: dict[str, tuple[tuple[rules.Predicate, Refusal], ...]] = {}
_ROLES = "_governance_roles"


def denied(message: str) -> Refusal:
    """The person may not: 403 with `message`."""
    return lambda obj: PermissionDenied(message)


def invalid(message) -> Refusal:
    """Not now, as the record stands: a ValidationError of `message` (a text, a {field:
    text} dict, or a function of the record giving one)."""
    return lambda obj: ValidationError(message(obj) if callable(message) else message)


def rule(name: str, *parts: tuple[rules.Predicate, Refusal], refusal: str | None = None
         ) -> None:
    """Declare rule `name` as `parts` ((predicate, refusal), checked in this order). The
    rule is all of them; `refusal` is what `partnership.permissions.require` says when it
    is asked (a page refusing the whole rule), by default the first part's words."""
    if refusal is None:
        first = parts[0][1](None)
        refusal = " ".join(getattr(first, "messages", None) or [str(first)])
    declare(name, reduce(and_, (predicate for predicate, _ in parts)), refusal=refusal)
    _PARTS[name] = parts


def require(user, name: str, obj) -> None:
    """What a service calls before it acts: raise the refusal of the first part of rule
    `name` that `user` and `obj` fail (PermissionDenied, or a ValidationError saying why
    not now); nothing when the rule holds."""
    for predicate, refusal in _PARTS[name]:
        if not predicate.test(user, obj):
            raise refusal(obj)


def require_person(user, name: str, obj) -> None:
    """Raise the first refusal of rule `name` that is about the person (PermissionDenied):
    what an edit page checks before it shows its form. A part about the record's state is
    left to the service, whose ValidationError then shows on the form."""
    for predicate, refusal in _PARTS[name]:
        if not predicate.test(user, obj):
            error = refusal(obj)
            if isinstance(error, PermissionDenied):
                raise error


def remember_role(user, partnership, role: str | None) -> None:
    """Let the rules take `role` as the user's role in `partnership` while this user object
    lives (one request): a page that asks several rules, or a list that asks one per row,
    then reads the seat once, not once per question. Only pages and API views call it,
    with the role they read for the request; a service given a user loaded anew reads the
    seat itself."""
    known = getattr(user, _ROLES, None)
    if known is None:
        known = {}
        setattr(user, _ROLES, known)
    known[partnership.pk] = role


def role_in(user, partnership) -> str | None:
    """The user's role in the partnership (Partnership.role_of), as remembered for this
    request if a page read it already."""
    known = getattr(user, _ROLES, None) or {}
    if partnership.pk in known:
        return known[partnership.pk]
    return partnership.role_of(user)


def page_can(view, name: str, obj=None) -> bool:
    """`can` asked by a page under /p/<id>/ (PartnershipMixin): the role the page read for
    its partnership stands for the user's seat in every rule it asks."""
    remember_role(view.request.user, view.partnership, view.role)
    return can(view.request.user, name, obj)


def page_require(view, name: str, obj=None) -> None:
    """A page refuses (403, with the rule's refusal) unless rule `name` holds: `page_can`,
    for a page that is nothing but the action (an edit dialog)."""
    remember_role(view.request.user, view.partnership, view.role)
    partnership_permissions.require(view.request.user, name, obj)


# --- Predicates: (user, a partnership or one of its records) ---------------------------

@rules.predicate
def writes(user, obj) -> bool:
    """Leads, members, QA leads and the organizations' admins write; viewers and steering
    members read (Partnership.can_write)."""
    partnership = partnership_of(obj)
    return partnership.can_write(user, role=role_in(user, partnership))


@rules.predicate
def has_seat(user, obj) -> bool:
    """A seat of either party, whatever its role (an admin without one has none)."""
    partnership = partnership_of(obj)
    return partnership.party_of(user) is not None and \
        role_in(user, partnership) not in (None, "admin")


@rules.predicate
def is_of_a_party(user, obj) -> bool:
    return partnership_of(obj).party_of(user) is not None


@rules.predicate
def is_steering(user, obj) -> bool:
    return role_in(user, partnership_of(obj)) == "steering"


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

WRITER = (writes, denied(READ_ONLY))

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
declare("governance.request_read_justification",
        has_justification & (is_requester | (is_over_budget & is_steering)),
        refusal="The justification is the sending party's and the steering committee's.")

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
