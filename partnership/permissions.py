"""Who may do what: role × party × state, declared once with django-rules; and, at the end
of this module, the partnership app's own rules, topic by topic.

Each app declares its rules in its own `permissions.py` (partnership's are here, so they
are declared whenever anything asks a rule), imported by its AppConfig.ready():

    declare("governance.risk_transition", is_writer,
            refusal="Your role in this partnership is read-only.")

and everything asks the same rule: the service enforces it (`require`, the authority), a
view or template asks which buttons to show (`can`, `{% can %}`), the API answers 403 through
the same `require` in the service. Rules are tested with `rules.test_rule` on our own rule
set, not through `user.has_perm`: Django lets a superuser pass every `has_perm`, and a
platform operator is no party to any partnership's work (DESIGN §2).

A predicate takes `(user, obj)` where `obj` is a partnership or a record of one; the
party-and-state rules of a record (which party may change which field) stay in the model's
FIELD_RULES (partnership/rules.py), checked by the services beside these. When a record
may take a step (a deliverable's state) is the model's (its WORKFLOW and properties such
as Deliverable.criteria_open): a page shows a button when both say yes.

A service whose rule narrows the writer rule (only the sponsor's writers describe
programs) requires `partnership.partnership_write` first, so that a viewer is told their
role is read-only, and then its own rule.
"""

import rules
from django.core.exceptions import PermissionDenied

RULES = rules.RuleSet()
_refusals: dict[str, str] = {}


def declare(name: str, predicate: rules.Predicate, *, refusal: str) -> None:
    """Declare rule `name` once; `refusal` is what a refused user is told."""
    if name in _refusals:
        raise ValueError(f"Rule {name!r} is declared twice")
    RULES.add_rule(name, predicate)
    _refusals[name] = refusal


def can(user, name: str, obj=None) -> bool:
    """Whether `user` may do `name` to `obj` (a partnership or one of its records)."""
    if name not in _refusals:
        raise KeyError(f"Unknown rule {name!r}")
    return bool(getattr(user, "is_authenticated", False) and RULES.test_rule(name, user, obj))


def require(user, name: str, obj=None) -> None:
    """Raise PermissionDenied with the rule's refusal unless `user` may do `name` to `obj`."""
    if not can(user, name, obj):
        raise PermissionDenied(_refusals[name])


def partnership_of(obj):
    """The partnership `obj` is, or belongs to."""
    return obj if type(obj).__name__ == "Partnership" else obj.partnership


@rules.predicate
def is_writer(user, obj) -> bool:
    """Leads, members, QA leads and the organizations' admins write; viewers and steering
    members read (Partnership.can_write)."""
    return partnership_of(obj).can_write(user)


@rules.predicate
def is_lead(user, obj) -> bool:
    return partnership_of(obj).role_of(user) == "lead"


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


# --- The partnership app's rules ---------------------------------------------------------

READ_ONLY = "Your role in this partnership is read-only."


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
declare("partnership.partnership_write", is_writer, refusal=READ_ONLY)
declare("partnership.partnership_settings_change", leads_here,
        refusal="Only the leads of either party change the settings.")
declare("partnership.site_status_change", is_org_admin & admins_the_site,
        refusal="Only the site's organization admins change its status.")
declare("partnership.people_manage", is_org_admin & has_organization,
        refusal="Only organization admins manage people.")
declare("partnership.organizationdomain_add",
        is_operator_with("partnership.add_organizationdomain"),
        refusal="Only platform operators manage organizations' e-mail domains.")
declare("partnership.organizationdomain_remove",
        is_operator_with("partnership.delete_organizationdomain"),
        refusal="Only platform operators manage organizations' e-mail domains.")

# Programs and contracts. Which party dates a round or its answer: NegotiationRound's
# FIELD_RULES.
SPONSORS = "Programs are the sponsor's to describe."
declare("partnership.program_create", is_sponsor & is_writer, refusal=SPONSORS)
declare("partnership.program_edit", is_sponsor & is_writer, refusal=SPONSORS)
declare("partnership.contract_create", is_writer, refusal=READ_ONLY)
declare("partnership.contract_edit", is_writer, refusal=READ_ONLY)
declare("partnership.contract_transition", is_writer, refusal=READ_ONLY)
declare("partnership.negotiationround_add", is_writer, refusal=READ_ONLY)
declare("partnership.negotiationround_answer", is_writer, refusal=READ_ONLY)
declare("partnership.contractdocument_upload", is_writer, refusal=READ_ONLY)


# Deliverables: the responsible party does the work, the receiving party states its
# criteria and reviews it. Which party sets its SOW and who delivers: its FIELD_RULES.
@rules.predicate
def is_responsible_party(user, deliverable) -> bool:
    return partnership_of(deliverable).party_of(user) == deliverable.responsible_party


declare("partnership.deliverable_create", is_writer, refusal=READ_ONLY)
declare("partnership.deliverable_edit", is_writer, refusal=READ_ONLY)
declare("partnership.deliverable_start", is_responsible_party & is_writer,
        refusal="Only the responsible party starts the work: starting it agrees to the "
                "acceptance criteria.")
declare("partnership.deliverable_deliver", is_responsible_party & is_writer,
        refusal="Only the responsible party marks its deliverable delivered.")
declare("partnership.acceptancecriterion_add", is_receiving_party & is_writer,
        refusal="The receiving party states the acceptance criteria: it reviews the "
                "delivery against them.")
declare("partnership.deliverable_review", is_receiving_party & is_writer,
        refusal="The receiving party reviews a deliverable.")
#: The rule of each step of Deliverable.WORKFLOW, by the status it leads to (the receiving
#: party's step is its review: deliverable_review).
DELIVERABLE_STEPS = {"in_progress": "partnership.deliverable_start",
                     "delivered": "partnership.deliverable_deliver"}

# The communication plan: any writer of either party. Which party changes which people of
# an escalation level is the service's check, made against the level as it stands.
declare("partnership.pointofcontact_set", is_writer, refusal=READ_ONLY)
declare("partnership.communicationplan_edit", is_writer, refusal=READ_ONLY)
declare("partnership.escalationlevel_set", is_writer, refusal=READ_ONLY)

# The sponsor's priorities and the shared objectives. Which party names which owner: the
# objectives' FIELD_RULES.
declare("partnership.priority_set", is_sponsor & leads_here,
        refusal="Only the sponsor's leads set the priorities.")
declare("partnership.objective_create", is_writer, refusal=READ_ONLY)
declare("partnership.objective_edit", is_writer, refusal=READ_ONLY)
declare("partnership.objective_review", is_writer, refusal=READ_ONLY)

# Tech transfers. Which party names which owner of a milestone: the milestones' FIELD_RULES.
declare("partnership.techtransfer_create", is_writer, refusal=READ_ONLY)
declare("partnership.milestone_edit", is_writer, refusal=READ_ONLY)

# Notifications: each is its recipient's.
declare("partnership.notification_mark_read", is_recipient,
        refusal="Only its recipient marks a notification read.")
