"""Who may do what: role × party × state, declared once with django-rules.

Each app declares its rules in its own `permissions.py`, imported by its AppConfig.ready():

    declare("governance.risk_transition", is_writer,
            refusal="Your role in this partnership is read-only.")

and everything asks the same rule: the service enforces it (`require`, the authority), a
view or template asks which buttons to show (`can`, `{% can %}`), the API answers 403 through
the same `require` in the service. Rules are tested with `rules.test_rule` on our own rule
set, not through `user.has_perm`: Django lets a superuser pass every `has_perm`, and a
platform operator is no party to any partnership's work (DESIGN §2).

A predicate takes `(user, obj)` where `obj` is a partnership or a record of one; the
party-and-state rules of a record (which party may change which field) stay in the model's
FIELD_RULES (partnership/rules.py), checked by the services beside these.
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
