"""Writes for parties, people and programs. Views, API, admin and commands all call these."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from partnership.models import (
    AcceptanceCriterion,
    CommunicationPlan,
    Contract,
    ContractDocument,
    CriterionResult,
    Deliverable,
    DeliverableReview,
    EscalationLevel,
    Membership,
    Milestone,
    NegotiationRound,
    Objective,
    ObjectiveReview,
    Organization,
    OrganizationDomain,
    Partnership,
    PointOfContact,
    Priority,
    PriorityChange,
    Program,
    SharedQuerySet,
    Site,
    TechTransfer,
    User,
    check_foreign_keys_refer_to_shared,
    check_refers_to_shared,
    has_internal_flag,
    internal_paths,
    is_shared,
    made_by,
    normalize_domain,
    validate_plain_address,
)
from partnership.notifications.services import notifications_withdraw, notify
from partnership.rules import PARTY_NAMES
from partnership.selectors import party_leads, party_people

PROGRAM_FIELDS = ("code", "name", "modality", "phase", "description", "is_internal")


def _set_program_sites(program: Program, sites) -> None:
    if sites is None:
        return
    sites = list(sites)
    if any(site.organization_id != program.partnership.cdmo_id for site in sites):
        raise ValidationError({"sites": "Choose sites of this partnership's CDMO."})
    program.sites.set(sites)


def _require_sponsor_writer(actor: User, partnership: Partnership) -> None:
    require_writer(actor, partnership)
    if actor.organization_id != partnership.sponsor_id:
        raise PermissionDenied("Programs are the sponsor's to describe.")


@transaction.atomic
def program_create(*, actor: User, partnership: Partnership, **fields) -> Program:
    _require_sponsor_writer(actor, partnership)
    program = shared_record_create(Program, PROGRAM_FIELDS, actor=actor,
                                   partnership=partnership, fields=fields)
    _set_program_sites(program, fields.get("sites"))
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    _require_sponsor_writer(actor, program.partnership)
    program = shared_record_update(program, PROGRAM_FIELDS, actor=actor, fields=fields)
    _set_program_sites(program, fields.get("sites"))
    return program


def _require_org_admin(actor: User) -> Organization:
    if not (actor.is_org_admin and actor.organization_id):
        raise PermissionDenied("Only organization admins manage people.")
    return actor.organization


def _require_operator(actor: User, permission: str) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(permission)):
        raise PermissionDenied("Only platform operators manage organizations' e-mail domains.")


@transaction.atomic
def organization_domain_add(*, actor: User, organization: Organization,
                            domain: str) -> OrganizationDomain:
    """Vouch that `domain` is `organization`'s. Platform operators only: the domains decide
    whose addresses an organization's admins may invite, so those admins cannot vouch for
    themselves."""
    _require_operator(actor, "partnership.add_organizationdomain")
    row = OrganizationDomain(organization=organization, domain=normalize_domain(domain),
                             added_by=actor)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def organization_domain_remove(*, actor: User, domain: OrganizationDomain) -> None:
    """New invitations stop there; the people already invited keep their accounts."""
    _require_operator(actor, "partnership.delete_organizationdomain")
    domain.delete()


def invitable_domains_hint(domains: list[str]) -> str:
    """The invite form's help and its error: where the organization's admins may invite."""
    if not domains:
        return ("Your organization has no verified e-mail domain yet: ask the Lockstep "
                "operators to add one.")
    listed = domains[0] if len(domains) == 1 else \
        f"{', '.join(domains[:-1])} or {domains[-1]}"
    return f"You can invite addresses at {listed} only."


def _require_own_domain(organization: Organization, email: str) -> None:
    domains = list(organization.domains.values_list("domain", flat=True))
    if email.rpartition("@")[2] not in domains:
        raise ValidationError({"email": invitable_domains_hint(domains)})


@transaction.atomic
def user_invite(
    *, actor: User, email: str, first_name: str, last_name: str, job_title: str = "",
    is_org_admin: bool = False,
) -> None:
    """Create a colleague in the admin's organization and e-mail them a set-password link.

    Only at the organization's verified domains: nobody takes an address (and locks its
    owner out) by inviting it into another organization first.

    An address that already has an account is answered exactly like a new one, so that
    inviting does not tell an admin who else uses the portal: the same checks pass or fail,
    nothing is created and the account is not touched, and one e-mail is queued either way
    — to a new person their invitation; to the owner of the account a note that they were
    invited and already have one (send_invitation_notice_task). Hence nothing is returned:
    the caller cannot tell the two apart either."""
    from partnership.tasks import send_invitation_notice_task, send_invitation_task

    organization = _require_org_admin(actor)
    email = email.strip().lower()
    try:
        validate_plain_address(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    _require_own_domain(organization, email)
    user = User(
        email=email, first_name=first_name, last_name=last_name, job_title=job_title,
        organization=organization, is_org_admin=is_org_admin, time_zone=actor.time_zone,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)  # the same errors for all
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: someone may take the address meanwhile
                user.save()
        except IntegrityError:
            existing = User.objects.get(email=email)
        else:
            transaction.on_commit(lambda: send_invitation_task.delay(user.pk))
            return
    day = timezone.now().date().isoformat()
    transaction.on_commit(
        lambda: send_invitation_notice_task.delay(existing.pk, actor.pk, day))


@transaction.atomic
def membership_set(*, actor: User, user: User, partnership: Partnership, role: str) -> Membership:
    """Give a colleague a seat (or a new role) in one of the organization's partnerships."""
    organization = _require_org_admin(actor)
    if user.organization_id != organization.pk:
        raise PermissionDenied("Admins assign people of their own organization only.")
    if organization.pk not in (partnership.sponsor_id, partnership.cdmo_id):
        raise PermissionDenied("Your organization is not a party to that partnership.")
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    membership = membership or Membership(partnership=partnership, user=user)
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    organization = _require_org_admin(actor)
    if membership.user.organization_id != organization.pk:
        raise PermissionDenied("Admins remove people of their own organization only.")
    membership.delete()


@transaction.atomic
def profile_update(
    *, actor: User, first_name: str, last_name: str, job_title: str, time_zone: str
) -> User:
    actor.first_name, actor.last_name = first_name, last_name
    actor.job_title, actor.time_zone = job_title, time_zone
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=["first_name", "last_name", "job_title", "time_zone"])
    return actor


@transaction.atomic
def api_token_create(*, actor: User) -> Token:
    """A new token replaces the old one, so a leaked token is revoked by making another."""
    Token.objects.filter(user=actor).delete()
    return Token.objects.create(user=actor)


def api_token_revoke(*, actor: User) -> None:
    Token.objects.filter(user=actor).delete()


CONTRACT_FIELDS = ("kind", "reference", "title", "parent", "effective_date", "expiry_date",
                   "renewal_notice_days", "is_internal")


def require_writer(actor: User, partnership: Partnership) -> None:
    if not partnership.can_write(actor):
        raise PermissionDenied("Your role in this partnership is read-only.")


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


def _check_owners(partnership: Partnership, fields: dict, current=None) -> None:
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
                         validate: Callable[[Any], None] | None = None):
    """Create a SharedRecord of the actor's party: validated, saved, authored.
    `validate(record)`, if given, checks the unsaved record before full_clean()."""
    require_writer(actor, partnership)
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
                         validate: Callable[[Any], None] | None = None):
    """Change a SharedRecord. Only the party that wrote it may hide it from (or show it to)
    the other party. Whatever changes how internal it is (its own flag, or a parent it
    inherits the flag from through INTERNAL_VIA) keeps to the internal rule as the records
    then stand (_keep_to_internal_rule): it neither hides the other party's records from
    that party, nor leaves a record one party sees linked to one it does not. Hiding takes
    back what its notifications told the other party. `links(record)`, if given, sets the
    record's many-to-many links once it is saved, so that they are checked as they will
    stand (a risk made shared while it drops its internal milestones). `validate(record)`,
    if given, checks the record with the changes applied, before full_clean().

    The row is re-read under a lock and the changes applied to it, never to the caller's
    copy: a ModelForm has already written the new values into its instance, so comparing
    with that copy would miss a change of `is_internal`, or of a field the model's
    FIELD_RULES keep from the actor's party. Use the record it returns."""
    require_writer(actor, record.partnership)
    model = type(record)
    record = model._default_manager.select_for_update(of=("self",)).select_related(
        "partnership").get(pk=record.pk)
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
    if validate is not None:
        validate(record)
    record.full_clean()
    check_foreign_keys_refer_to_shared(record)
    with transaction.atomic():  # a refusal below takes the save back with it
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


def _others_work_beneath(record, actor: User) -> dict:
    """{model: ids} of the records beneath `record` (inheriting its flag through
    INTERNAL_VIA, at every depth) that the other party wrote or owns (models.made_by) and
    sees, as the database stands: what hiding `record` would take from their authors."""
    partnership = record.partnership
    other = _other_organization_id(partnership, actor)
    model = type(record)
    found: dict = {}
    for kind, records in islice(_beneath(model, model._default_manager.filter(pk=record.pk)),
                                1, None):
        condition = made_by(kind, partnership, other)
        if condition is not None:
            found.setdefault(kind, set()).update(
                records.filter(condition).filter(pk__in=_seen(kind, other).values("pk"))
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
    pointing = [_plural(crossing.holders.model) for crossing in seen if crossing.into]
    if pointing:
        reasons.append(f"{' and '.join(dict.fromkeys(pointing))} that the other party sees "
                       "refer to it")
    reasons += list(dict.fromkeys(
        f"its {crossing.beneath} link internal {_plural(crossing.targets.model)}"
        if crossing.beneath else f"it links internal {_plural(crossing.targets.model)}"
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
            pk__in=_seen(kind, other).values("pk"))
        if lost.filter(pk__in=_seen(kind, own).values("pk")).exists():
            named.append(_plural(kind))
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


def _tell_link_cut(crossing: "Crossing", holder_ids: set, *, actor: User) -> None:
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


@dataclass(frozen=True)
class Crossing:
    """Links of `field` (a foreign key or many-to-many field of the holders' model) from
    `holders` to `targets`, through which an organization that sees the holders would read
    records it may not see: links into the records a change makes more or less internal
    (`into`), or out of them. `beneath` is the kind below the changed record holding them
    (None for the record itself), for the error's words."""

    field: Any
    holders: QuerySet
    targets: QuerySet
    into: bool
    beneath: str | None = None

    def exists(self) -> bool:
        return self.holders.filter(**{f"{self.field.name}__in": self.targets}).exists()

    def seen_by(self, organization_id: int) -> "Crossing":
        """The same links, less those `organization_id` does not see at either end."""
        return replace(
            self, holders=self.holders.filter(
                pk__in=_seen(self.holders.model, organization_id).values("pk")),
            targets=self.targets.filter(
                pk__in=_seen(self.targets.model, organization_id).values("pk")))

    def cut_unseen_by(self, organization_id: int) -> set:
        """Cut the links that `organization_id` does not see at both ends (the foreign key
        emptied, the many-to-many link removed); returns the ids of the holders it does not
        see whose link was cut: the other party's records, whose people are told."""
        holders = _seen(self.holders.model, organization_id).values("pk")
        targets = _seen(self.targets.model, organization_id).values("pk")
        if self.field.many_to_many:
            through = self.field.remote_field.through
            source = self.field.m2m_field_name()
            target = self.field.m2m_reverse_field_name()
            cut = through._default_manager.filter(**{
                f"{source}__in": self.holders.values("pk"),
                f"{target}__in": self.targets.values("pk"),
            }).exclude(**{f"{source}__in": holders, f"{target}__in": targets})
            pairs = list(cut.values_list("pk", f"{source}_id"))
            through._default_manager.filter(pk__in=[pk for pk, _ in pairs]).delete()
            cut_holders = {holder for _, holder in pairs}
        else:
            linked = self.holders.filter(**{f"{self.field.name}__in": self.targets})
            cut_holders = set(linked.filter(
                ~Q(pk__in=holders) | ~Q(**{f"{self.field.name}__in": targets}))
                .values_list("pk", flat=True))
            changes = {self.field.attname: None}
            if any(field.name == "updated_at" for field in self.holders.model._meta.fields):
                changes["updated_at"] = timezone.now()
            self.holders.model._default_manager.filter(pk__in=cut_holders).update(**changes)
        unseen = set(self.holders.model._default_manager.filter(pk__in=cut_holders).exclude(
            pk__in=holders).values_list("pk", flat=True))
        return unseen


def links_past_internal(model, rows, organization_ids) -> list[Crossing]:
    """The links through which one of `organization_ids` would read a record it may not
    see, among those touching `rows` (a queryset of `model`) and every record beneath them
    that inherits their flag through INTERNAL_VIA, as the database stands now: a record the
    organization sees (_seen) with a foreign key or a many-to-many link to one it does not.

    Found through the model relations in both directions, hidden ones included, so a new
    kind is covered as soon as it has its field. Kinds with no notion of internal (reminders
    sent, people, sites) hide nothing and are not counted. Only the crossings with at least
    one such link are returned."""
    crossings: list[Crossing] = []
    for position, (kind, records) in enumerate(_beneath(model, rows)):
        beneath = _plural(kind) if position else None
        for organization_id in organization_ids:
            seen = records.filter(pk__in=_seen(kind, organization_id).values("pk"))
            for field in _links_from(kind):
                crossings.append(Crossing(field, seen, _unseen(field.related_model,
                                                               organization_id),
                                          into=False, beneath=beneath))
            unseen = records.filter(pk__in=_unseen(kind, organization_id).values("pk"))
            for relation in _links_to(kind):
                crossings.append(Crossing(relation.field, _seen(relation.related_model,
                                                                organization_id),
                                          unseen, into=True, beneath=beneath))
    return [crossing for crossing in crossings if crossing.exists()]


def _follows_internal_rule(model) -> bool:
    return has_internal_flag(model) or any(internal_paths(model))


def _seen(model, organization_id: int) -> SharedQuerySet:
    """The rows of `model` people of `organization_id` see under the internal rule, in the
    partnerships their organization is a party to (a request relayed into another of the
    sponsor's partnerships is no page of this CDMO's), whatever the model's own manager."""
    return SharedQuerySet(model).filter(
        Q(partnership__sponsor_id=organization_id) | Q(partnership__cdmo_id=organization_id)
    ).seen_by(organization_id)


def _unseen(model, organization_id: int) -> SharedQuerySet:
    """The rows of `model` the internal rule alone hides from people of `organization_id`,
    wherever they are: a link to another partnership's record is shown only to those who
    see both (governance.selectors.request_links), not refused here."""
    return SharedQuerySet(model).exclude(
        pk__in=SharedQuerySet(model).seen_by(organization_id).values("pk"))


def _plural(model) -> str:
    return str(model._meta.verbose_name_plural)


def _reverse_relations(model) -> list:
    """The relations of other models pointing at `model`, hidden ones (related_name="+")
    included, less the tables Django makes for many-to-many links (the field declaring a
    link is found on its own model)."""
    return [field for field in model._meta.get_fields(include_hidden=True)
            if field.auto_created and not field.concrete
            and not field.related_model._meta.auto_created]


def _beneath(model, rows):
    """(model, queryset) of `rows` and, at every depth, of the records that inherit their
    flag from them through INTERNAL_VIA: all that a change of their flag shows or hides."""
    yield model, rows
    for relation in _reverse_relations(model):
        child = relation.related_model
        if relation.field.name in getattr(child, "INTERNAL_VIA", ()):
            yield from _beneath(child, child._default_manager.filter(
                **{f"{relation.field.name}__in": rows}))


def _links_from(model) -> list:
    """Foreign keys and many-to-many fields of `model` to kinds that can be internal, less
    the parents it inherits its flag from (it is as internal as they are, by definition)."""
    inherited = getattr(model, "INTERNAL_VIA", ())
    return [field for field in model._meta.get_fields()
            if field.is_relation and not field.auto_created and field.related_model
            and (field.many_to_one or field.one_to_one or field.many_to_many)
            and field.name not in inherited and _follows_internal_rule(field.related_model)]


def _links_to(model) -> list:
    """Relations of kinds that can be internal pointing at `model`, less the records that
    inherit their flag from it (they are beneath it, and as internal as it is)."""
    return [relation for relation in _reverse_relations(model)
            if _follows_internal_rule(relation.related_model)
            and relation.field.name not in getattr(relation.related_model, "INTERNAL_VIA", ())]


def _reference_check(actor: User) -> Callable[[Contract], None]:
    """A contract's reference is unique among the contracts of its partnership that the
    actor's party sees, and is checked against those only: an answer that depended on the
    other party's internal contracts would tell whoever probes with references which
    numbers that party uses (DESIGN §2). The database keeps the same rule
    (Contract.Meta.constraints), shared and internal apart, so it never compares with a
    contract of the other party that the actor cannot see either."""

    def check(contract: Contract) -> None:
        taken = Contract.objects.filter(partnership_id=contract.partnership_id,
                                        reference=contract.reference)
        if contract.pk is not None:
            taken = taken.exclude(pk=contract.pk)
        if taken.seen_by(actor.organization_id).exists():
            raise ValidationError({"reference": "Another contract of this partnership "
                                                "already has this reference."})
    return check


@transaction.atomic
def contract_create(*, actor: User, partnership: Partnership, **fields) -> Contract:
    return shared_record_create(Contract, CONTRACT_FIELDS, actor=actor,
                                partnership=partnership, fields=fields,
                                validate=_reference_check(actor))


@transaction.atomic
def contract_update(*, actor: User, contract: Contract, **fields) -> Contract:
    return shared_record_update(contract, CONTRACT_FIELDS, actor=actor, fields=fields,
                                validate=_reference_check(actor))


@transaction.atomic
def contract_transition(*, actor: User, contract: Contract, status: str) -> Contract:
    """Move a contract along its lifecycle; an illegal step is refused whatever the door."""
    require_writer(actor, contract.partnership)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    Contract.WORKFLOW.check(contract.status, status)
    contract.status = status
    contract.full_clean()
    contract.save(update_fields=["status", "updated_at"])
    return contract


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def latest_round_day() -> datetime.date:
    """The last day a draft or an answer may be dated: today in UTC, and one day more, so
    that someone whose today is already tomorrow in UTC (east of it, up to UTC+14) can
    date theirs today. A later date is not yet a fact, and the turnaround it gives is
    held against the other party."""
    return timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)


def _refuse_future(field: str, value: datetime.date | None, what: str) -> None:
    if value is not None and value > latest_round_day():
        raise ValidationError({field: f"{what} cannot be dated in the future."})


@transaction.atomic
def negotiation_round_add(*, actor: User, contract: Contract, sent_on, summary: str,
                          answered_on=None) -> NegotiationRound:
    """Record a draft sent by the actor's party; the other party's last draft, if still
    open, is answered by it on that day. Only the other party dates the answer to this new
    draft, so an `answered_on` given here is refused (NegotiationRound.FIELD_RULES).

    The dates of a contract's rounds run forward and stop today (latest_round_day): a new
    draft is dated no earlier than the last draft or answer before it. Otherwise the sender
    would decide the other party's turnaround (a draft backdated by decades, answered
    today) or its own (a draft dated in 2100 answers the other party's in 2100 too)."""
    require_writer(actor, contract.partnership)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)  # rounds are numbered
    if contract.status != Contract.Status.NEGOTIATION:
        raise ValidationError("Rounds are recorded while the contract is in negotiation.")
    party = contract.partnership.party_of(actor)
    last = contract.rounds.order_by("-number").first()
    _refuse_future("sent_on", sent_on, "A draft")
    earlier = [(day, f"round {round_.number} was {how}")
               for round_ in contract.rounds.all()
               for day, how in ((round_.sent_on, "sent"), (round_.answered_on, "answered"))
               if day is not None and sent_on is not None and day > sent_on]
    if earlier:
        day, what = max(earlier, key=lambda pair: pair[0])
        raise ValidationError({"sent_on": f"A new draft cannot be dated before {_day(day)}, "
                                          f"when {what}."})
    if last and last.answered_on is None and last.sent_by != party:
        # This draft is the answer to the other side's: the actor's party dates its own.
        check_field_rules(last, actor=actor, changes={"answered_on": sent_on})
        last.answered_on = sent_on
        last.full_clean()
        last.save(update_fields=["answered_on"])
    round_ = NegotiationRound(
        partnership=contract.partnership, contract=contract,
        number=(last.number + 1) if last else 1, sent_by=party, sent_on=sent_on,
        summary=summary, created_by=actor,
    )
    check_field_rules(round_, actor=actor, changes={"answered_on": answered_on})
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def negotiation_round_answer(*, actor: User, round_: NegotiationRound,
                             answered_on) -> NegotiationRound:
    """The party that answered a draft (by signing it, say, without a new draft) dates its
    answer, and it alone corrects that date: the other party's median turnaround would
    otherwise be the party that wrote it down's to decide."""
    require_writer(actor, round_.partnership)
    # The contract first, as negotiation_round_add locks it: a new round is not added
    # meanwhile, dated before this answer.
    Contract.objects.select_for_update().get(pk=round_.contract_id)
    round_ = NegotiationRound.objects.select_for_update().select_related("partnership").get(
        pk=round_.pk)
    check_field_rules(round_, actor=actor, changes={"answered_on": answered_on})
    _refuse_future("answered_on", answered_on, "An answer")
    following = NegotiationRound.objects.filter(
        contract_id=round_.contract_id, number__gt=round_.number).order_by("number").first()
    if answered_on is not None and following is not None and \
            answered_on > following.sent_on:
        raise ValidationError({"answered_on": (
            f"The answer cannot come after the next draft, round {following.number}, sent "
            f"on {_day(following.sent_on)}.")})
    round_.answered_on = answered_on
    round_.full_clean()
    round_.save(update_fields=["answered_on"])
    return round_


@transaction.atomic
def contract_document_upload(*, actor: User, contract: Contract, file) -> ContractDocument:
    require_writer(actor, contract.partnership)
    document = ContractDocument(partnership=contract.partnership, contract=contract, file=file,
                                name=file.name[:200], size=file.size, uploaded_by=actor)
    document.full_clean()
    document.save()
    return document


DELIVERABLE_FIELDS = ("sow", "title", "description", "due_date", "responsible_party",
                      "is_internal")


@transaction.atomic
def deliverable_create(*, actor: User, partnership: Partnership, **fields) -> Deliverable:
    return shared_record_create(Deliverable, DELIVERABLE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)


@transaction.atomic
def deliverable_update(*, actor: User, deliverable: Deliverable, **fields) -> Deliverable:
    return shared_record_update(deliverable, DELIVERABLE_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def acceptance_criterion_add(*, actor: User, deliverable: Deliverable,
                             text: str) -> AcceptanceCriterion:
    """Criteria are agreed before work starts: the receiving party states what it will
    check, while the deliverable is planned, and the responsible party agrees to them by
    starting the work (deliverable_transition). Neither party fixes them alone: the party
    that delivers cannot write its own easy criteria and start at once, nor the receiving
    party add one once the work is under way."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().select_related("partnership").get(
        pk=deliverable.pk)
    if deliverable.partnership.party_of(actor) != deliverable.receiving_party:
        raise PermissionDenied("The receiving party states the acceptance criteria: it "
                               "reviews the delivery against them.")
    if deliverable.status != Deliverable.Status.PLANNED:
        raise ValidationError("The acceptance criteria were agreed when work started; "
                              "they cannot change now.")
    criterion = AcceptanceCriterion(partnership=deliverable.partnership,
                                    deliverable=deliverable, text=text, created_by=actor)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def deliverable_transition(*, actor: User, deliverable: Deliverable,
                           status: str) -> Deliverable:
    """The responsible party moves its deliverable on: it starts the work, which agrees to
    the criteria the receiving party stated (and fixes who delivers: Deliverable.FIELD_RULES),
    and it marks the work delivered. The receiving party's step is its review."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().select_related("partnership").get(
        pk=deliverable.pk)
    Deliverable.WORKFLOW.check(deliverable.status, status)
    if status == Deliverable.Status.IN_PROGRESS:
        if deliverable.partnership.party_of(actor) != deliverable.responsible_party:
            raise PermissionDenied("Only the responsible party starts the work: starting it "
                                   "agrees to the acceptance criteria.")
        if not deliverable.criteria.exists():
            raise ValidationError("Agree at least one acceptance criterion before work starts.")
        deliverable.criteria_agreed_at = timezone.now()
    if status == Deliverable.Status.DELIVERED and \
            deliverable.partnership.party_of(actor) != deliverable.responsible_party:
        raise PermissionDenied("Only the responsible party marks its deliverable delivered.")
    deliverable.status = status
    deliverable.save(update_fields=["status", "criteria_agreed_at", "updated_at"])
    return deliverable


@transaction.atomic
def deliverable_review(*, actor: User, deliverable: Deliverable, results: dict[int, tuple],
                       comment: str = "") -> DeliverableReview:
    """The receiving party judges each criterion; all met accepts, anything else rejects and
    reopens the work. `results` maps criterion id to (met, comment)."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.partnership.party_of(actor) != deliverable.receiving_party:
        raise PermissionDenied("The receiving party reviews a deliverable.")
    if deliverable.status != Deliverable.Status.DELIVERED:
        raise ValidationError("Only a delivered deliverable can be reviewed.")
    criteria = list(deliverable.criteria.all())
    missing = [c.text for c in criteria if c.pk not in results]
    if missing:
        raise ValidationError(f"Judge every criterion; missing: {'; '.join(missing)}.")
    accepted = all(results[c.pk][0] for c in criteria)
    if not accepted and not comment.strip():
        raise ValidationError({"comment": "Say why the deliverable is rejected."})
    review = DeliverableReview.objects.create(
        partnership=deliverable.partnership, deliverable=deliverable, comment=comment,
        decision="accepted" if accepted else "rejected", reviewed_by=actor)
    CriterionResult.objects.bulk_create([
        CriterionResult(review=review, criterion=c, met=bool(results[c.pk][0]),
                        comment=results[c.pk][1] or "") for c in criteria])
    if accepted:
        deliverable.status = Deliverable.Status.ACCEPTED
    else:
        deliverable.status = Deliverable.Status.IN_PROGRESS
        deliverable.rejection_count += 1
    deliverable.save(update_fields=["status", "rejection_count", "updated_at"])
    return review


@transaction.atomic
def contact_set(*, actor: User, partnership: Partnership, function: str, primary: User,
                backup: User | None = None) -> PointOfContact:
    """Name the actor's own party's contact (and backup) for a function."""
    require_writer(actor, partnership)
    party = partnership.party_of(actor)
    contact = PointOfContact.objects.filter(partnership=partnership, party=party,
                                            function=function).first()
    contact = contact or PointOfContact(partnership=partnership, party=party, function=function)
    contact.primary, contact.backup = primary, backup
    contact.full_clean()
    contact.save()
    return contact


def _tell_the_other_party(*, actor: User, partnership: Partnership, title: str,
                          changes: list[str]) -> None:
    """What both parties follow (the escalation path, the communication plan) is changed by
    one of them: the other party's leads are told, old → new, like the agreed settings."""
    if not changes:
        return
    other = Partnership.other_party(partnership.party_of(actor))
    notify(recipients=party_leads(partnership=partnership, party=other),
           kind="communication_changed", partnership=partnership,
           title=f"{actor} changed {title}",
           url=reverse("partnership:communication_detail", args=[partnership.pk]),
           body="\n".join(changes), actor=actor)


def _quoted(text: str) -> str:
    return f"“{text}”" if text.strip() else "(none)"


@transaction.atomic
def communication_plan_update(*, actor: User, partnership: Partnership, ground_rules: str,
                              meeting_cadence: str) -> CommunicationPlan:
    """Either party rewrites the ground rules and the cadence both follow; the other
    party's leads are told of each change, old → new."""
    require_writer(actor, partnership)
    plan, _ = CommunicationPlan.objects.get_or_create(partnership=partnership)
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    labels = {"ground_rules": "Ground rules", "meeting_cadence": "Meeting cadence"}
    before = {name: getattr(plan, name) for name in labels}
    plan.ground_rules, plan.meeting_cadence = ground_rules, meeting_cadence
    plan.full_clean()
    plan.save()
    _tell_the_other_party(
        actor=actor, partnership=partnership, title="the communication plan",
        changes=[f"{label}: {_quoted(before[name])} → {_quoted(getattr(plan, name))}"
                 for name, label in labels.items() if getattr(plan, name) != before[name]])
    return plan


def _names(people) -> str:
    return ", ".join(sorted(str(person) for person in people)) or "nobody"


@transaction.atomic
def escalation_level_set(*, actor: User, partnership: Partnership, level: int, name: str,
                         days_allowed: int, people) -> EscalationLevel:
    """Create or replace one level of the path; its people must hold seats in the partnership.

    Whoever creates a level names people of both sides (or adds the other side's while it
    has nobody there yet); from then on each party changes its own people there (as with an
    objective's owners): otherwise one party could take the other's steering member off the
    level its overdue items escalate to. Its name and the
    days it allows are both parties' to change, and the other party's leads are told of
    every change, old → new, since the jobs escalate both parties' items by it."""
    require_writer(actor, partnership)
    people = list(people)
    seated = set(partnership.seated_people().filter(pk__in=[p.pk for p in people])
                 .values_list("pk", flat=True))
    outsiders = [str(p) for p in people if p.pk not in seated]
    if outsiders:
        raise ValidationError({"people": f"Not members of this partnership: "
                                         f"{', '.join(outsiders)}."})
    if not people:
        raise ValidationError({"people": "Name at least one person at this level."})
    row = EscalationLevel.objects.select_for_update().filter(
        partnership=partnership, level=level).first()
    other = Partnership.other_party(partnership.party_of(actor))
    before = None
    if row is not None:
        before = (row.name, row.days_allowed, list(row.people.all()))
        # The other party's people who still hold a seat stay as they are; one who has left
        # the partnership since may be dropped by either party.
        theirs = list(partnership.seated_people(party=other).filter(
            pk__in=[person.pk for person in before[2]]))
        named = {person.pk for person in people
                 if person.organization_id == partnership.organization_id_of(other)}
        if theirs and named != {person.pk for person in theirs}:
            raise ValidationError({"people": f"Only {PARTY_NAMES[other]} changes its own "
                                             f"people at this level: keep {_names(theirs)}."})
    row = row or EscalationLevel(partnership=partnership, level=level)
    row.name, row.days_allowed = name, days_allowed
    row.full_clean()
    row.save()
    row.people.set(people)
    if before is None:
        changes = [f"New level {level}: {name}, {days_allowed} days before it moves up, "
                   f"people: {_names(people)}"]
    else:
        changes = [f"{label}: {old} → {new}" for label, old, new in (
            ("Name", before[0], row.name),
            ("Days before it moves up", before[1], row.days_allowed),
            ("People", _names(before[2]), _names(people))) if old != new]
    _tell_the_other_party(actor=actor, partnership=partnership,
                          title=f"level {level} of the escalation path", changes=changes)
    return row


@transaction.atomic
def priorities_set(*, actor: User, partnership: Partnership, titles: list[str],
                   reason: str) -> PriorityChange:
    """Replace the sponsor's ranking (top first); kept with who, when and why."""
    role = partnership.role_of(actor)
    if partnership.party_of(actor) != "sponsor" or role not in ("lead", "admin"):
        raise PermissionDenied("Only the sponsor's leads set the priorities.")
    titles = [title.strip() for title in titles if title.strip()]
    if not titles:
        raise ValidationError({"titles": "List at least one piece of work."})
    if len(set(titles)) != len(titles):
        raise ValidationError({"titles": "Each line must be different."})
    if len(titles) > Priority.MAX_RANK:
        raise ValidationError({"titles": f"Rank at most {Priority.MAX_RANK} pieces of work."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the priorities change: the CDMO will read it."})
    before = list(Priority.objects.select_for_update().filter(partnership=partnership)
                  .values_list("title", flat=True))
    if before == titles:
        raise ValidationError({"titles": "This is the current ranking already."})
    Priority.objects.filter(partnership=partnership).delete()
    Priority.objects.bulk_create(Priority(partnership=partnership, rank=rank, title=title)
                                 for rank, title in enumerate(titles, start=1))
    change = PriorityChange.objects.create(partnership=partnership, changed_by=actor,
                                           reason=reason.strip(), before=before, after=titles)
    notify(recipients=party_people(partnership=partnership, party="cdmo"),
           kind="priority_changed", partnership=partnership,
           title=f"{partnership.sponsor} changed its priorities",
           url=reverse("partnership:priority_list", args=[partnership.pk]),
           body=f"New ranking: {'; '.join(titles)}. Why: {change.reason}", actor=actor)
    return change


@transaction.atomic
def site_set_status(*, actor: User, site: Site, status: str, status_date=None) -> Site:
    """A CDMO's decision to close a site: a risk every sponsor using it must see."""
    if not (actor.is_org_admin and actor.organization_id == site.organization_id):
        raise PermissionDenied("Only the site's organization admins change its status.")
    site.status, site.status_date = status, status_date
    site.full_clean()
    site.save(update_fields=["status", "status_date"])
    return site


OBJECTIVE_FIELDS = ("title", "measure_of_success", "sponsor_owner", "cdmo_owner",
                    "review_date", "is_internal")


@transaction.atomic
def objective_create(*, actor: User, partnership: Partnership, **fields) -> Objective:
    require_writer(actor, partnership)
    _check_owners(partnership, fields)
    return shared_record_create(Objective, OBJECTIVE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, **fields) -> Objective:
    """Change an objective; each party changes its own owner only (Objective.FIELD_RULES,
    checked by shared_record_update)."""
    require_writer(actor, objective.partnership)
    current = Objective.objects.select_for_update().get(pk=objective.pk)
    _check_owners(current.partnership, fields, current)
    return shared_record_update(current, OBJECTIVE_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def objective_review(*, actor: User, objective: Objective, status: str, note: str,
                     next_review_date) -> ObjectiveReview:
    """Record how an objective stands; the objective takes the new status and review date."""
    require_writer(actor, objective.partnership)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    review = ObjectiveReview(partnership=objective.partnership, objective=objective,
                             status=status, note=note, reviewed_by=actor)
    review.full_clean()
    review.save()
    objective.status, objective.review_date = status, next_review_date
    objective.full_clean()
    objective.save(update_fields=["status", "review_date", "updated_at"])
    return review


@transaction.atomic
def tech_transfer_create(*, actor: User, partnership: Partnership, program: Program,
                         site: Site, title: str, is_internal: bool = False) -> TechTransfer:
    """A transfer starts with its six standard milestones, to be planned and owned."""
    require_writer(actor, partnership)
    transfer = TechTransfer(partnership=partnership, program=program, site=site, title=title,
                            is_internal=is_internal, author_organization_id=actor.organization_id,
                            created_by=actor)
    transfer.full_clean()
    transfer.save()
    Milestone.objects.bulk_create(
        Milestone(partnership=partnership, tech_transfer=transfer, kind=kind, position=index)
        for index, kind in enumerate(Milestone.Kind.values))
    return transfer


MILESTONE_FIELDS = ("sponsor_owner", "cdmo_owner", "planned_date", "actual_date", "note")


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, deliverables=None,
                     **fields) -> Milestone:
    """Plan a milestone, name its owners (each party its own: Milestone.FIELD_RULES), link
    the deliverables it depends on. A field left out (a PATCH, a form without it) stays as
    it is; `deliverables` None keeps them."""
    partnership = milestone.partnership
    require_writer(actor, partnership)
    milestone = Milestone.objects.select_for_update().select_related("partnership").get(
        pk=milestone.pk)
    check_field_rules(milestone, actor=actor,
                      changes={name: fields[name] for name in MILESTONE_FIELDS if name in fields})
    _check_owners(partnership, fields, milestone)
    if deliverables is not None:
        deliverables = list(deliverables)
        if any(d.partnership_id != partnership.pk for d in deliverables):
            raise ValidationError({"deliverables": "Choose deliverables of this partnership."})
        check_refers_to_shared(milestone, "deliverables", deliverables)
    for name in MILESTONE_FIELDS:
        if name in fields:
            setattr(milestone, name, fields[name])
    milestone.full_clean()
    milestone.save()
    if deliverables is not None:
        milestone.deliverables.set(deliverables)
    return milestone


@transaction.atomic
def partnership_thresholds_set(*, actor: User, partnership: Partnership,
                               negotiation_round_threshold: int,
                               negotiation_turnaround_threshold: int,
                               acknowledgement_hours: int | None = None,
                               sponsor_emergency_budget: int | None = None,
                               cdmo_emergency_budget: int | None = None) -> Partnership:
    """The settings both parties agree: early-warning thresholds of contract negotiation,
    the time to acknowledge a formal request and each party's monthly emergency budget.
    Either party's leads set them; a value left out (None) stays as it is. Since one side
    changes what both agreed, the other side's leads are told of each change, old → new."""
    if partnership.role_of(actor) not in ("lead", "admin"):
        raise PermissionDenied("Only the leads of either party change the settings.")
    # Read under a lock: a settings form has already put its values on `partnership`.
    agreed = Partnership.objects.select_for_update().get(pk=partnership.pk)
    before = {name: getattr(agreed, name) for name in Partnership.AGREED_SETTINGS}
    partnership.negotiation_round_threshold = negotiation_round_threshold
    partnership.negotiation_turnaround_threshold = negotiation_turnaround_threshold
    requests = {"acknowledgement_hours": acknowledgement_hours,
                "sponsor_emergency_budget": sponsor_emergency_budget,
                "cdmo_emergency_budget": cdmo_emergency_budget}
    for name, value in requests.items():
        if value is not None:
            setattr(partnership, name, value)
    partnership.full_clean()
    partnership.save(update_fields=["negotiation_round_threshold",
                                    "negotiation_turnaround_threshold", *requests])
    changes = [f"{label}: {before[name]} → {getattr(partnership, name)}"
               for name, label in Partnership.AGREED_SETTINGS.items()
               if getattr(partnership, name) != before[name]]
    if changes:
        other = Partnership.other_party(partnership.party_of(actor))
        notify(recipients=party_leads(partnership=partnership, party=other),
               kind="partnership_settings", partnership=partnership,
               title=f"{actor} changed the partnership's agreed settings",
               url=reverse("partnership:partnership_settings", args=[partnership.pk]),
               body="\n".join(changes), actor=actor)
    return partnership
