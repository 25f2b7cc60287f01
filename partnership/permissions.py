"""Who may do what: role × party × state, each rule declared once with django-rules; and,
at the end of this module, the partnership app's own rules, topic by topic.

A rule is declared as its parts, in the order a service checks them, each with what the
service answers when that part fails:

    rule("governance.notice_edit",
         (is_authors_party, denied("Only the party that posted a notice can correct it.")),
         (notice_is_unacknowledged, invalid("An acknowledged notice cannot be changed.")),
         WRITER)

A part about the person (their role, their party) refuses with PermissionDenied (403); a
part about the record as it stands (a request already acknowledged, a meeting not yet
started) with a ValidationError saying why not now (400, or the form's error). The rule is
all its parts together, registered in one django-rules RuleSet, and everything asks it:
the service enforces it (`require`, the authority: the refusal of the part that failed), a
view or template asks which buttons to show (`can`, `{% can %}`), so a button is shown
exactly when its service would go ahead; an edit page refuses the person before showing
its form (`require_person`) and leaves the record's state to the service.

Each app declares its rules in its own `permissions.py`, imported by its AppConfig.ready()
(partnership's are here). Rules are tested with `rules.test_rule` on our own rule set, not
through `user.has_perm`: Django lets a superuser pass every `has_perm`, and a platform
operator is no party to any partnership's work (DESIGN §2).

A predicate takes `(user, obj)` where `obj` is a partnership or a record of one. Which
fields of a record a party may change, and in which state, stays in the model's
FIELD_RULES (partnership/rules.py), checked by the services beside these; which workflow
step a status allows, in its WORKFLOW. The user's role in a partnership is read once per
request (Partnership.hold_role_of) however many rules a page asks.
"""

from collections.abc import Callable
from functools import reduce
from operator import and_

import rules
from django.core.exceptions import PermissionDenied, ValidationError

RULES = rules.RuleSet()
#: A refusal makes the exception a service raises when a part fails, from the record.
Refusal = Callable[[object], Exception]
_PARTS: dict[str, tuple[tuple[rules.Predicate, Refusal], ...]] = {}
_REFUSALS: dict[str, str] = {}


def denied(message: str) -> Refusal:
    """The person may not: 403 with `message`."""
    return lambda obj: PermissionDenied(message)


def invalid(message) -> Refusal:
    """Not now, as the record stands: a ValidationError of `message` (a text, a {field:
    text} dict, or a function of the record giving one)."""
    return lambda obj: ValidationError(message(obj) if callable(message) else message)


def rule(name: str, *parts: tuple[rules.Predicate, Refusal], refusal: str | None = None
         ) -> None:
    """Declare rule `name` once, as `parts` ((predicate, refusal), checked in this order).
    The rule is all of them; `refusal` is what a page refusing the whole rule says, by
    default the first part's words."""
    if name in _PARTS:
        raise ValueError(f"Rule {name!r} is declared twice")
    if refusal is None:
        first = parts[0][1](None)
        refusal = " ".join(getattr(first, "messages", None) or [str(first)])
    RULES.add_rule(name, reduce(and_, (predicate for predicate, _ in parts)))
    _PARTS[name] = parts
    _REFUSALS[name] = refusal


def can(user, name: str, obj=None) -> bool:
    """Whether `user` may do `name` to `obj` (a partnership or one of its records)."""
    if name not in _PARTS:
        raise KeyError(f"Unknown rule {name!r}")
    return bool(getattr(user, "is_authenticated", False) and RULES.test_rule(name, user, obj))


def require(user, name: str, obj=None) -> None:
    """What a service calls before it acts: raise the refusal of the first part of rule
    `name` that `user` and `obj` fail (PermissionDenied, or a ValidationError saying why
    not now); nothing when the rule holds."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_REFUSALS[name])
    for predicate, refusal in _PARTS[name]:
        if not predicate.test(user, obj):
            raise refusal(obj)


def require_person(user, name: str, obj=None) -> None:
    """Raise the first refusal of rule `name` that is about the person (PermissionDenied):
    what an edit page checks before it shows its form. A part about the record's state is
    left to the service, whose ValidationError then shows on the form."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_REFUSALS[name])
    for predicate, refusal in _PARTS[name]:
        if not predicate.test(user, obj):
            error = refusal(obj)
            if isinstance(error, PermissionDenied):
                raise error


def require_whole(user, name: str, obj=None) -> None:
    """Raise PermissionDenied unless the whole rule holds: a page that is nothing but the
    action (an edit dialog) refuses so, in the words of the first part that fails — the
    person's role or party, or why the record, as it stands, takes no such change (a
    lead opening the edit page of an agreed definition is told it is agreed, not that
    the lead's role is read-only)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_REFUSALS[name])
    for predicate, refusal in _PARTS[name]:
        if not predicate.test(user, obj):
            error = refusal(obj)
            if isinstance(error, PermissionDenied):
                raise error
            raise PermissionDenied(" ".join(error.messages))


def partnership_of(obj):
    """The partnership `obj` is, or belongs to."""
    return obj if type(obj).__name__ == "Partnership" else obj.partnership


# --- Predicates: (user, a partnership or one of its records) ---------------------------

@rules.predicate
def is_writer(user, obj) -> bool:
    """Leads, members, QA leads and the organizations' admins write; viewers and steering
    members read (Partnership.can_write)."""
    return partnership_of(obj).can_write(user)


@rules.predicate
def has_seat(user, obj) -> bool:
    """A seat of either party, whatever its role (an admin without one has none)."""
    return partnership_of(obj).role_of(user) not in (None, "admin")


@rules.predicate
def is_of_a_party(user, obj) -> bool:
    return partnership_of(obj).party_of(user) is not None


@rules.predicate
def is_lead(user, obj) -> bool:
    return partnership_of(obj).role_of(user) == "lead"


@rules.predicate
def is_steering(user, obj) -> bool:
    return partnership_of(obj).role_of(user) == "steering"


@rules.predicate
def is_sponsor(user, obj) -> bool:
    return partnership_of(obj).party_of(user) == "sponsor"


@rules.predicate
def is_cdmo(user, obj) -> bool:
    return partnership_of(obj).party_of(user) == "cdmo"


@rules.predicate
def is_authors_party(user, record) -> bool:
    """The user belongs to the party that wrote `record`."""
    return record.author_organization_id == user.organization_id


@rules.predicate
def is_org_admin(user, obj=None) -> bool:
    return bool(user.is_org_admin)


@rules.predicate
def is_receiving_party(user, record) -> bool:
    """The user's party is the one `record` is addressed to (its `receiving_party`): the
    party that reviews a deliverable, answers a request, reads a notice."""
    return partnership_of(record).party_of(user) == record.receiving_party


READ_ONLY = "Your role in this partnership is read-only."
SEATED_ONLY = "Only people with a seat in this partnership can do this."
#: The first part of every rule a writer of the partnership may take.
WRITER = (is_writer, denied(READ_ONLY))


# --- The partnership app's rules ---------------------------------------------------------


@rules.predicate
def leads_here(user, obj) -> bool:
    """A lead of the partnership, or an admin of one of its organizations without a seat
    (Partnership.role_of): who speaks for a party about what both agreed."""
    return partnership_of(obj).role_of(user) in ("lead", "admin")


@rules.predicate
def has_organization(user, obj=None) -> bool:
    return user.organization_id is not None


@rules.predicate
def admins_the_site(user, site) -> bool:
    """Of the organization the site belongs to (an admin of it, with is_org_admin)."""
    return user.organization_id == site.organization_id


@rules.predicate
def is_recipient(user, notification) -> bool:
    return notification.recipient_id == user.pk


def is_operator_with(permission: str) -> rules.Predicate:
    """A platform operator (active staff) holding Django's `permission`."""
    return rules.predicate(
        lambda user: user.is_active and user.is_staff and user.has_perm(permission),
        name=f"is_operator_with:{permission}")


# Parties: the writer rule every page's `requires_write` stands for, and every shared
# record's create and change start from (partnership.records); seats, sites, domains.
rule("partnership.partnership_write", WRITER)
rule("partnership.partnership_settings_change",
     (leads_here, denied("Only the leads of either party change the settings.")))
SITE_ADMINS = denied("Only the site's organization admins change its status.")
rule("partnership.site_status_change", (is_org_admin, SITE_ADMINS),
     (admins_the_site, SITE_ADMINS))
PEOPLE_ADMINS = denied("Only organization admins manage people.")
rule("partnership.people_manage", (is_org_admin, PEOPLE_ADMINS),
     (has_organization, PEOPLE_ADMINS))


@rules.predicate
def seats_a_colleague(user, membership) -> bool:
    """The seat is of someone of the user's own organization."""
    return membership.user.organization_id == user.organization_id


rule("partnership.membership_set", (is_org_admin, PEOPLE_ADMINS),
     (has_organization, PEOPLE_ADMINS),
     (seats_a_colleague, denied("Admins assign people of their own organization only.")),
     (is_of_a_party, denied("Your organization is not a party to that partnership.")))
rule("partnership.membership_remove", (is_org_admin, PEOPLE_ADMINS),
     (has_organization, PEOPLE_ADMINS),
     (seats_a_colleague, denied("Admins remove people of their own organization only.")))
rule("partnership.membership_role_change", (is_org_admin, PEOPLE_ADMINS),
     (has_organization, PEOPLE_ADMINS),
     (seats_a_colleague, denied("Admins change the roles of people of their own "
                                "organization only.")))


# Access of people: an admin of their organization, or a platform operator (Django admin),
# deactivates, unlocks or resets the two-factor of a person; an organization admin decides
# whether its people must use two-factor.
@rules.predicate
def is_colleague(user, person) -> bool:
    return user.organization_id is not None and person.organization_id == user.organization_id


@rules.predicate
def is_someone_else(user, person) -> bool:
    return person.pk != user.pk


ACCESS_ADMINS = denied("Only an admin of their organization or a platform operator can "
                       "change a person's access.")
ADMINS_THE_PERSON = (is_org_admin & is_colleague) | is_operator_with("partnership.change_user")
rule("partnership.person_access_manage", (ADMINS_THE_PERSON, ACCESS_ADMINS))
rule("partnership.person_deactivate", (ADMINS_THE_PERSON, ACCESS_ADMINS),
     (is_someone_else, invalid("You cannot deactivate your own account: ask another admin "
                               "of your organization.")))

@rules.predicate
def is_operator(user, obj=None) -> bool:
    return bool(user.is_active and user.is_staff)


# A person's account history (admin and operator flags, locks, organization) is about their
# access, not shared work: the person, an admin of their organization and the operators read
# it; others who share a partnership with them see the person, not that history (404).
rule("partnership.person_history_view",
     (~is_someone_else | (is_org_admin & is_colleague) | is_operator,
      denied("Only the person, an admin of their organization or an operator reads the "
             "history of their account.")))
rule("partnership.organization_two_factor_set", (is_org_admin, PEOPLE_ADMINS),
     (has_organization, PEOPLE_ADMINS))
OPERATORS = denied("Only platform operators manage organizations' e-mail domains.")
rule("partnership.organizationdomain_add",
     (is_operator_with("partnership.add_organizationdomain"), OPERATORS))
rule("partnership.organizationdomain_remove",
     (is_operator_with("partnership.delete_organizationdomain"), OPERATORS))

# Programs and contracts. Which party dates a round or its answer: NegotiationRound's
# FIELD_RULES.
SPONSORS = (is_sponsor, denied("Programs are the sponsor's to describe."))
rule("partnership.program_create", WRITER, SPONSORS)
rule("partnership.program_edit", WRITER, SPONSORS)
for name in ("contract_create", "contract_edit", "contract_transition",
             "negotiationround_add", "negotiationround_answer", "contractdocument_upload"):
    rule(f"partnership.{name}", WRITER)


# Deliverables: the responsible party does the work, the receiving party states its
# criteria and reviews it. Which party sets its SOW and who delivers: its FIELD_RULES.
@rules.predicate
def is_responsible_party(user, deliverable) -> bool:
    return partnership_of(deliverable).party_of(user) == deliverable.responsible_party


rule("partnership.deliverable_create", WRITER)
rule("partnership.deliverable_edit", WRITER)
rule("partnership.deliverable_start", WRITER, (is_responsible_party, denied(
    "Only the responsible party starts the work: starting it agrees to the acceptance "
    "criteria.")))
rule("partnership.deliverable_deliver", WRITER, (is_responsible_party, denied(
    "Only the responsible party marks its deliverable delivered.")))
rule("partnership.acceptancecriterion_add", WRITER, (is_receiving_party, denied(
    "The receiving party states the acceptance criteria: it reviews the delivery against "
    "them.")))
rule("partnership.deliverable_review", WRITER, (is_receiving_party, denied(
    "The receiving party reviews a deliverable.")))
#: The rule of each step of Deliverable.WORKFLOW, by the status it leads to (the receiving
#: party's step is its review: deliverable_review).
DELIVERABLE_STEPS = {"in_progress": "partnership.deliverable_start",
                     "delivered": "partnership.deliverable_deliver"}

# The communication plan: any writer of either party. Which party changes which people of
# an escalation level is the service's check, made against the level as it stands.
for name in ("pointofcontact_set", "communicationplan_edit", "escalationlevel_set"):
    rule(f"partnership.{name}", WRITER)

# The sponsor's priorities and the shared objectives. Which party names which owner: the
# objectives' FIELD_RULES.
SPONSOR_LEADS = denied("Only the sponsor's leads set the priorities.")
rule("partnership.priority_set", (is_sponsor, SPONSOR_LEADS), (leads_here, SPONSOR_LEADS))
for name in ("objective_create", "objective_edit", "objective_review"):
    rule(f"partnership.{name}", WRITER)

# Tech transfers. Which party names which owner of a milestone: the milestones' FIELD_RULES.
rule("partnership.techtransfer_create", WRITER)
rule("partnership.milestone_edit", WRITER)

# Notifications: each is its recipient's.
rule("partnership.notification_mark_read",
     (is_recipient, denied("Only its recipient marks a notification read.")))

# The audit trail: the auditor's export of a partnership's history is for its leads and QA
# leads, of either party (each reads only what their party may see).


@rules.predicate
def leads_or_assures_quality(user, obj) -> bool:
    return partnership_of(obj).role_of(user) in ("lead", "qa_lead")


rule("partnership.audit_export", (leads_or_assures_quality, denied(
    "Only the partnership's leads and QA leads export its audit trail.")))
