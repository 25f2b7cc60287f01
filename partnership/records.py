"""Writes every record of a partnership goes through, whatever its topic: who may write,
who may be named on it, the field rules, and the internal rule (partnership.scoping) kept
when a shared record is created or changed."""

from collections.abc import Callable
from contextlib import nullcontext
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.discussion import kinds as discussion_kinds
from partnership.discussion.models import Comment
from partnership.history.context import recording
from partnership.notifications.services import notifications_withdraw, notify
from partnership.parties.models import Membership, Partnership, User
from partnership.permissions import require
from partnership.scoping import (
    Crossing,
    SharedQuerySet,
    beneath,
    check_foreign_keys_refer_to_shared,
    is_shared,
    links_past_internal,
    made_by,
    plural,
    rows_seen_by,
)
from partnership.signatures.models import Signature
from portal.locking import locked

#: The writer rule (partnership.permissions): a record's own rule, where it has one,
#: is given to shared_record_create / shared_record_update as `rule`.
WRITE = "partnership.partnership_write"


def are_seated(partnership: Partnership, people, *, party: str | None = None,
               roles=None) -> bool:
    """Whether each of `people` (None left out) holds a seat in the partnership, of `party`
    and with one of `roles` if given: Partnership.seated_people, checked by every service
    that names people on a record, whatever door the names came through."""
    ids = {person.pk for person in people if person is not None}
    return not ids or partnership.seated_people(party=party, roles=roles).filter(
        pk__in=ids).count() == len(ids)


#: Owners act on what they own (review an objective, update a milestone), so they hold a
#: seat in a role that writes, on their own side.
OWNER_PARTIES = {"sponsor_owner": "sponsor", "cdmo_owner": "cdmo"}
OWNER_ERRORS = {
    "sponsor": "Choose someone of the sponsor with a seat in this partnership who can act "
               "on it (a lead, member or QA lead).",
    "cdmo": "Choose someone of the CDMO with a seat in this partnership who can act on it "
            "(a lead, member or QA lead).",
}


def check_owners(partnership: Partnership, fields: dict, current=None) -> None:
    """The owners named anew in `fields` (of `current`, when it exists) hold their seats. An
    owner who has left the partnership since keeps the record until someone is named
    instead, so an unrelated edit is not refused for it."""
    errors = {}
    for name, party in OWNER_PARTIES.items():
        person = fields.get(name)
        if person is None or (current is not None and
                              person.pk == getattr(current, f"{name}_id")):
            continue
        if not are_seated(partnership, [person], party=party, roles=Membership.WRITING_ROLES):
            errors[name] = OWNER_ERRORS[party]
    if errors:
        raise ValidationError(errors)


def check_field_rules(record, *, actor: User, changes: dict) -> None:
    """Refuse, field by field, the `changes` ({field: new value}) to `record` that its
    model's FIELD_RULES (partnership.rules) do not let the actor's party make now. Every
    service that changes such a record calls it on the row it read under its lock."""
    rules = getattr(type(record), "FIELD_RULES", None)
    if rules is not None:
        rules.check(record, record.partnership.party_of(actor), changes)


def shared_record_create(model, allowed: tuple[str, ...], *, actor: User,
                         partnership: Partnership, fields: dict,
                         validate: Callable[[Any], None] | None = None, rule: str = WRITE):
    """Create a SharedRecord of the actor's party: validated, saved, authored, if the actor
    may (`rule`, asked of the partnership). `validate(record)`, if given, checks the unsaved
    record before full_clean()."""
    require(actor, rule, partnership)
    record = model(partnership=partnership, author_organization_id=actor.organization_id,
                   created_by=actor,
                   **{name: fields[name] for name in allowed if name in fields})
    if validate is not None:
        validate(record)
    record.full_clean()
    check_foreign_keys_refer_to_shared(record)
    record.save()
    return record


def shared_record_update(record, allowed: tuple[str, ...], *, actor: User, fields: dict,
                         links: Callable[[Any], None] | None = None,
                         validate: Callable[[Any], None] | None = None, rule: str = WRITE,
                         reason: str | None = None):
    """Change a SharedRecord, if the actor may (`rule`, asked of the row as it stands), in
    the fields of `allowed` that `fields` names: a field left out stays as it is. Only the
    party that wrote it may hide it from (or show it to) the other party. Whatever
    changes how internal it is (its own flag, or a parent it inherits the flag from
    through INTERNAL_VIA) keeps to the internal rule as the records
    then stand (_keep_to_internal_rule): it neither hides the other party's records from
    that party, nor leaves a record one party sees linked to one it does not. Hiding takes
    back what its notifications told the other party. `links(record)`, if given, sets the
    record's many-to-many links once it is saved, so that they are checked as they will
    stand (a risk made shared while it drops its internal milestones). `validate(record)`,
    if given, checks the record with the changes applied, before full_clean().

    The row is re-read under a lock (portal.locking.locked) and the changes applied to it,
    never to the caller's copy, which may be stale: what it compares with (`is_internal`,
    the fields the model's FIELD_RULES keep from the actor's party) is the database's.
    A record whose change needs a reason (partnership.history.reasons: executed, accepted,
    signed …) is changed only with one: `reason`, or else the one the page or the API
    request gave; without it the save is refused with a field error on `reason`. The
    reason is kept with the change in the record's history.

    Use the record it returns."""
    model = type(record)
    record = locked(record, "partnership")
    require(actor, rule, record)
    # What decides how internal it is: its own flag, and the parents it inherits one from.
    flags = {"is_internal": "is_internal", **{
        name: model._meta.get_field(name).attname for name in getattr(model, "INTERNAL_VIA", ())}}
    before = {name: getattr(record, attname) for name, attname in flags.items()}
    was_shared = is_shared(record) if any(name in fields for name in flags) else None
    check_field_rules(record, actor=actor,
                      changes={name: fields[name] for name in allowed if name in fields})
    for name in allowed:
        if name in fields:
            setattr(record, name, fields[name])
    changed = [name for name, attname in flags.items()
               if getattr(record, attname) != before[name]]
    if changed and actor.organization_id != record.author_organization_id and (
            "is_internal" in changed or is_shared(record) != was_shared):
        raise ValidationError({changed[0]: "Only the party that wrote it can change "
                                           "whether it is internal."})
    if changed and was_shared and not is_shared(record) and _signed_by_other_party(record, actor):
        raise ValidationError({changed[0]: "The other party has signed this record, or one "
                                           "beneath it: it stays shared."})
    if changed and was_shared and not is_shared(record):
        discussed = _discussed_by_other_party(record, actor)
        if discussed is not None:
            raise ValidationError({changed[0]: f"The other party has commented on {discussed} "
                                               "(or attached files to it); it cannot become "
                                               "internal."})
    if validate is not None:
        validate(record)
    record.full_clean()
    check_foreign_keys_refer_to_shared(record)
    reasoned = recording(reason=reason) if reason is not None else nullcontext()
    with transaction.atomic(), reasoned:  # a refusal below takes the save back with it
        others = _others_work_beneath(record, actor) if changed else {}
        record.save()
        if links is not None:
            links(record)
        if changed:
            _keep_to_internal_rule(record, changed[0], actor=actor, others_work=others)
    if record.is_internal and not before["is_internal"]:
        notifications_withdraw(record=record)
    return record


def _other_organization_id(partnership: Partnership, actor: User) -> int:
    return partnership.organization_id_of(Partnership.other_party(partnership.party_of(actor)))


def _signed_by_other_party(record, actor: User) -> bool:
    """Whether the other party signed `record` or a record beneath it (inheriting its flag):
    hiding it would hide that party's own signature from it."""
    other = Partnership.other_party(record.partnership.party_of(actor))
    model = type(record)
    return any(Signature.objects.of_model(kind).filter(
        object_id__in=records.values("pk"), party=other).exists()
        for kind, records in beneath(model, model._default_manager.filter(pk=record.pk)))


def _discussed_by_other_party(record, actor: User) -> str | None:
    """What of `record` the other party commented on (a file is posted with a comment):
    "this <kind>", "a record beneath this <kind>" (inheriting its flag), or None. Hiding
    it would hide that party's own words and files from it, with their discussion."""
    other = _other_organization_id(record.partnership, actor)
    registered = discussion_kinds.models()
    model = type(record)
    comments = Comment.objects.filter(partnership=record.partnership_id,
                                      author_organization_id=other)
    found = None
    for depth, (kind, records) in enumerate(beneath(model,
                                                    model._default_manager.filter(pk=record.pk))):
        name = kind._meta.model_name
        if registered.get(name) is kind and comments.filter(
                record_type=name, record_id__in=records.values("pk")).exists():
            found = "this" if depth == 0 else "a record beneath this"
            break
    return None if found is None else f"{found} {model._meta.verbose_name}"


def _others_work_beneath(record, actor: User) -> dict:
    """{model: ids} of the records beneath `record` (inheriting its flag through
    INTERNAL_VIA, at every depth) that the other party wrote or owns (scoping.made_by) and
    sees, as the database stands: what hiding `record` would take from their authors."""
    partnership = record.partnership
    other = _other_organization_id(partnership, actor)
    model = type(record)
    found: dict = {}
    for kind, records in islice(beneath(model, model._default_manager.filter(pk=record.pk)),
                                1, None):
        condition = made_by(kind, partnership, other)
        if condition is not None:
            found.setdefault(kind, set()).update(
                records.filter(condition).filter(pk__in=rows_seen_by(kind, other).values("pk"))
                .values_list("pk", flat=True))
    return found


def _keep_to_internal_rule(record, field: str, *, actor: User, others_work: dict) -> None:
    """Once `record` is saved with a change of `field` (its flag, or the parent it inherits
    one from) that makes it more or less internal, and before the transaction ends:

    - refused while records the other party wrote or owns beneath it (`others_work`, read
      before the change) would disappear from that party: one party does not hide the
      other's records from their own authors. The error names the kinds of those the actor
      sees; when it sees none (the other party's own internal records), it says only that
      the other party has records beneath it — one bit about what the actor cannot see,
      rather than the other party's records silently hidden from themselves;
    - refused while a record one party sees would link to one that party may not see
      (links_past_internal), if the actor sees both ends of the link: the error names the
      kinds in the way, all of them records the actor sees;
    - otherwise the links of that kind the actor does not see (held by, or pointing at, the
      other party's internal records) are cut, their holders' people told: the change and
      its answer are the same as if those links had never been there."""
    partnership = record.partnership
    own, other = actor.organization_id, _other_organization_id(partnership, actor)
    reasons = _others_work_lost(others_work, own=own, other=other)
    model = type(record)
    crossings = links_past_internal(model, model._default_manager.filter(pk=record.pk),
                                    [partnership.sponsor_id, partnership.cdmo_id])
    seen = [crossing for crossing in crossings if crossing.seen_by(own).exists()]
    pointing = [plural(crossing.holders.model) for crossing in seen if crossing.into]
    if pointing:
        reasons.append(f"{' and '.join(dict.fromkeys(pointing))} that the other party sees "
                       "refer to it")
    reasons += list(dict.fromkeys(
        f"its {crossing.beneath} link internal {plural(crossing.targets.model)}"
        if crossing.beneath else f"it links internal {plural(crossing.targets.model)}"
        for crossing in seen if not crossing.into))
    if reasons:
        change = "moved there" if field != "is_internal" else \
            "made internal" if record.is_internal else "shared"
        raise ValidationError({field: f"It cannot be {change} while {' and '.join(reasons)}."})
    for crossing in crossings:
        _tell_link_cut(crossing, crossing.cut_unseen_by(own), actor=actor)


def _others_work_lost(others_work: dict, *, own: int, other: int) -> list[str]:
    """The refusal's reason when some of `others_work` ({model: ids}) is no longer seen by
    its party `other`: naming only the kinds the actor's party (`own`) sees."""
    named, unnamed = [], False
    for kind, ids in others_work.items():
        lost = SharedQuerySet(kind).filter(pk__in=ids).exclude(
            pk__in=rows_seen_by(kind, other).values("pk"))
        if lost.filter(pk__in=rows_seen_by(kind, own).values("pk")).exists():
            named.append(plural(kind))
        elif lost.exists():
            unnamed = True
    if named:
        return [f"the other party's {' and '.join(named)} sit beneath it"]
    return ["the other party has records beneath it"] if unnamed else []


#: Fields naming the people a record is theirs to keep up: told when a link of it is cut.
PEOPLE_FIELDS = ("created_by", "owner", "sponsor_owner", "cdmo_owner")


def _people_of(record) -> list:
    """The people named on `record`, or else on the parents it inherits its flag from."""
    names = {field.name for field in record._meta.get_fields()}
    people = [getattr(record, name) for name in PEOPLE_FIELDS if name in names]
    if any(people):
        return people
    return [person for name in getattr(type(record), "INTERNAL_VIA", ())
            for person in _people_of(getattr(record, name))]


def _url_of(record) -> str:
    """A record's page, or else its parent's (a milestone is shown on its transfer)."""
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    return _url_of(getattr(record, type(record).INTERNAL_VIA[0]))


def _tell_link_cut(crossing: Crossing, holder_ids: set, *, actor: User) -> None:
    """Tell the people of each record in `holder_ids` whose link `crossing` cut that the
    record it pointed at is no longer shared with them. Nothing they could not tell: the
    record is gone from their pages anyway. Not its title (the point of hiding it), nor
    which of the other party's people hid it; notify() keeps to those who see the holder."""
    model = crossing.holders.model
    target = crossing.targets.model._meta.verbose_name
    for holder in model._default_manager.filter(pk__in=holder_ids).select_related(
            "partnership"):
        notify(recipients=_people_of(holder), kind="link_removed",
               partnership=holder.partnership, record=holder, url=_url_of(holder),
               title=f"A link was removed from {model._meta.verbose_name} “{holder}”",
               body=f"{actor.organization} no longer shares the {target} it referred to "
                    f"({crossing.field.verbose_name}), so the link is gone.")
