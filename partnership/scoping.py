"""THE scoping rule of DESIGN §2, written once: which records of a partnership a user sees.

A user sees a partnership when they hold a seat in it or are an admin of one of its two
organizations (`PartnershipQuerySet.visible_to`, partnership.parties.models), and its
records less those the other party marked internal. A record is internal through its own
flag (SharedRecord.is_internal) or through a parent it sits beneath: the rounds of an
internal contract are as internal as the contract. Everything here reads the declarations
below, so a new kind of record follows the rule as soon as it declares them:

- INTERNAL_VIA: the foreign keys to the parents whose flag hides its rows (and theirs in
  turn: a milestone of a transfer of an internal program is as internal as the program);
- INTERNAL_VIA_NULLABLE: those of them that may be empty; a row without such a parent
  inherits nothing from it (any other nullable one is an error: partnership.checks);
- MADE_BY: lookups to the organization or party that wrote or owns a row;
- PARENT (PartnershipChild): the parent whose partnership is the row's.

Views, API viewsets, exports and tasks start from `Model.objects.visible_to(user)`; the
view mixins and the API base viewset that apply it are in partnership.scoping_views.
"""

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone


def has_internal_flag(model) -> bool:
    """Whether rows of `model` carry their own `is_internal` flag (SharedRecord's)."""
    return any(field.name == "is_internal" for field in model._meta.get_fields())


@cache
def _flags(model) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """_flags_beneath of `model`, worked out once: the declarations are the classes'."""
    return tuple(_flags_beneath(model))


def _flags_beneath(model, prefix: str = "", optional: tuple[str, ...] = ()):
    """(lookup prefix, empty parents) of each `is_internal` flag that hides rows of `model`:
    the row's own ("") and those of the parents named in INTERNAL_VIA, at every depth, each
    with the paths of the INTERNAL_VIA_NULLABLE parents on the way (a row without one of
    them is not hidden by the flags beyond it)."""
    if has_internal_flag(model):
        yield prefix, optional
    nullable = getattr(model, "INTERNAL_VIA_NULLABLE", ())
    for name in getattr(model, "INTERNAL_VIA", ()):
        path = f"{prefix}{name}"
        yield from _flags_beneath(model._meta.get_field(name).related_model, f"{path}__",
                          (*optional, path) if name in nullable else optional)


def can_be_internal(model) -> bool:
    """Whether any row of `model` can be hidden from a party: the one test of "does the
    internal rule apply here", for the querysets, the link checks and the link search.
    Never for the audit trail's event rows (partnership.history): snapshots of a record,
    read only through their record, whose own flag decides."""
    if hasattr(model, "pgh_tracked_model"):
        return False
    return bool(_flags(model))


def internal_rule(model, organization_id: int | None) -> Q:
    """Filter of the rows of `model` that people of `organization_id` may see under the
    internal rule alone: each flag on the way up (the row's own, its INTERNAL_VIA parents')
    is off, or theirs. With None: the rows both parties see, whoever asks."""
    condition = Q()
    for prefix, optional in _flags(model):
        seen = Q(**{f"{prefix}is_internal": False})
        if organization_id is not None:
            seen |= Q(**{f"{prefix}author_organization_id": organization_id})
        for path in optional:
            seen |= Q(**{f"{path}__isnull": True})
        condition &= seen
    return condition


def shared_lookups(model) -> dict:
    """Filter of the rows of `model` that both parties see, whoever asks (a shared record
    may point only at those), as keyword lookups."""
    return {"pk__in": SharedQuerySet(model).filter(internal_rule(model, None)).values("pk")}


def is_shared(record) -> bool:
    """Whether both parties see `record` (an instance, saved or not): neither it nor any
    parent it inherits from through INTERNAL_VIA is internal."""
    if has_internal_flag(type(record)) and record.is_internal:
        return False
    parents = (getattr(record, name) for name in getattr(type(record), "INTERNAL_VIA", ()))
    return all(is_shared(parent) for parent in parents if parent is not None)


def made_by(model, partnership, organization_id: int) -> Q | None:
    """Filter of the rows of `model` (of `partnership`) that people of `organization_id`
    wrote or own, read from the model's MADE_BY: lookups that end at an organization (the
    author's, an uploader's, an owner's) or at a party field ('sponsor' / 'cdmo', who sent
    a negotiation round). None when MADE_BY names nobody: the rows are made with their
    parent (by whoever made it) or by the jobs."""
    party = "sponsor" if organization_id == partnership.sponsor_id else "cdmo"
    organization = type(partnership)._meta.get_field("sponsor").related_model
    condition = None
    for lookup in getattr(model, "MADE_BY", ()):
        target = model
        for name in lookup.split("__"):
            target = target._meta.get_field(name).related_model
        value = organization_id if target is organization else party
        condition = Q(**{lookup: value}) if condition is None else \
            condition | Q(**{lookup: value})
    return condition


def check_refers_to_shared(record, name: str, targets) -> None:
    """A record both parties see may refer (field `name`) only to records both parties see:
    through it the other party would read the title of an internal one. Refused with a field
    error; an internal record may refer to its own party's internal records."""
    model = record._meta.get_field(name).related_model
    ids = [target.pk for target in targets if target is not None]
    if not ids or not is_shared(record) or not can_be_internal(model):
        return
    shared = set(model._default_manager.filter(internal_rule(model, None), pk__in=ids)
                 .values_list("pk", flat=True))
    if any(pk not in shared for pk in ids):
        raise ValidationError({name: "Only a record marked internal can refer to an "
                                     "internal one."})


def check_foreign_keys_refer_to_shared(record) -> None:
    """check_refers_to_shared for each foreign key of `record`, except the parents it
    inherits its flag from (INTERNAL_VIA: those make it internal with them instead)."""
    inherited = set(getattr(type(record), "INTERNAL_VIA", ()))
    for field in record._meta.concrete_fields:
        if field.many_to_one and field.name not in inherited and \
                getattr(record, field.attname) is not None and \
                can_be_internal(field.related_model):
            check_refers_to_shared(record, field.name, [getattr(record, field.name)])


def visible_partnerships(user, partnership_model):
    """`partnership_model.objects.visible_to(user)`, built once for the user object (one per
    request) and shared as the subquery of every scoped queryset of the request: a page
    with thirty scoped reads builds the root of the rule once, not thirty times. Safe to
    share: it is never evaluated itself (a filter resolves a copy of it), and what the
    database says (the seats) is read when each query runs; what it is built from (the
    user's organization and whether he is its admin) is the key, so a changed user gets a
    new one."""
    key = (partnership_model, user.pk, user.organization_id, user.is_org_admin)
    cached = user.__dict__.get("_visible_partnerships")
    if cached is None or cached[0] != key:
        cached = (key, partnership_model.objects.visible_to(user))
        user.__dict__["_visible_partnerships"] = cached
    return cached[1]


class SharedQuerySet(models.QuerySet):
    """Queryset of a record that belongs to one partnership (every shared record)."""

    def visible_to(self, user) -> "SharedQuerySet":
        """Records of the user's partnerships, less those internal to the other party: the
        record's own flag, and that of each parent reached through INTERNAL_VIA."""
        if not user.is_authenticated:
            return self.none()
        partnership_model = self.model._meta.get_field("partnership").related_model
        return self.filter(partnership__in=visible_partnerships(user, partnership_model)
                           ).seen_by(user.organization_id)

    def seen_by(self, organization_id: int | None) -> "SharedQuerySet":
        """The rows people of `organization_id` may see under the internal rule alone."""
        return self.filter(internal_rule(self.model, organization_id))

    def open(self) -> "SharedQuerySet":
        """The rows still open: a model with a workflow names its open statuses in OPEN, so
        a reader of another app's records asks for them without knowing their names."""
        return self.filter(status__in=self.model.OPEN)


class SharedRecord(models.Model):
    """Base of every record shared inside a partnership.

    `is_internal` marks a record seen only by the party that wrote it (DESIGN §2), for
    example a sponsor's own assessment of its CDMO.
    """

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    is_internal = models.BooleanField(
        "internal", default=False, help_text="Only your own organization will see it."
    )
    author_organization = models.ForeignKey(
        "partnership.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    #: Who wrote a row (made_by): the party that may hide it, and that no one else may
    #: hide from, by hiding a parent it sits beneath.
    MADE_BY = ("author_organization",)

    class Meta:
        abstract = True

    @property
    def author_party(self) -> str | None:
        """'sponsor' or 'cdmo': the party that wrote the record."""
        if self.author_organization_id == self.partnership.sponsor_id:
            return "sponsor"
        if self.author_organization_id == self.partnership.cdmo_id:
            return "cdmo"
        return None


class PartnershipChild(models.Model):
    """Base of a record beneath a parent record of its partnership (a contract's rounds, a
    deliverable's reviews, a transfer's milestones, a program's transfers): PARENT names the
    foreign key to that parent, and the row's partnership is the parent's, copied from it
    whenever the row is saved, so the two cannot differ whatever a caller passes. Every
    model with INTERNAL_VIA parents is one, with its PARENT among them (partnership.checks):
    a row hidden with its parent must live in the parent's partnership."""

    #: The foreign key to the parent whose partnership the row takes.
    PARENT = ""

    objects = SharedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"partnership", "partnership_id"} & set(update_fields):
            partnership_id = self.parent_partnership_id()
            if partnership_id is not None:
                self.partnership_id = partnership_id
        super().save(*args, **kwargs)

    def parent_partnership_id(self) -> int | None:
        """The partnership of the parent, read from the parent the row holds when it holds
        one (as services pass it), else from the database; None without a parent."""
        field = self._meta.get_field(self.PARENT)
        if field.is_cached(self):
            parent = field.get_cached_value(self)
            return parent.partnership_id if parent is not None else None
        parent_id = getattr(self, field.attname)
        if parent_id is None:
            return None
        return field.related_model._base_manager.filter(pk=parent_id).values_list(
            "partnership_id", flat=True).first()


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
                pk__in=rows_seen_by(self.holders.model, organization_id).values("pk")),
            targets=self.targets.filter(
                pk__in=rows_seen_by(self.targets.model, organization_id).values("pk")))

    def cut_unseen_by(self, organization_id: int) -> set:
        """Cut the links that `organization_id` does not see at both ends (the foreign key
        emptied, the many-to-many link removed); returns the ids of the holders it does not
        see whose link was cut: the other party's records, whose people are told."""
        holders = rows_seen_by(self.holders.model, organization_id).values("pk")
        targets = rows_seen_by(self.targets.model, organization_id).values("pk")
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
    organization sees (rows_seen_by) with a foreign key or a many-to-many link to one it
    does not.

    Found through the model relations in both directions, hidden ones included, so a new
    kind is covered as soon as it has its field. Kinds with no notion of internal (reminders
    sent, people, sites) hide nothing and are not counted. Only the crossings with at least
    one such link are returned."""
    crossings: list[Crossing] = []
    for position, (kind, records) in enumerate(beneath(model, rows)):
        below = plural(kind) if position else None
        for organization_id in organization_ids:
            seen = records.filter(pk__in=rows_seen_by(kind, organization_id).values("pk"))
            for field in links_from(kind):
                crossings.append(Crossing(field, seen, rows_hidden_from(
                    field.related_model, organization_id), into=False, beneath=below))
            unseen = records.filter(pk__in=rows_hidden_from(kind, organization_id).values("pk"))
            for relation in links_to(kind):
                crossings.append(Crossing(relation.field, rows_seen_by(
                    relation.related_model, organization_id), unseen, into=True,
                    beneath=below))
    return [crossing for crossing in crossings if crossing.exists()]


def rows_seen_by(model, organization_id: int) -> SharedQuerySet:
    """The rows of `model` people of `organization_id` see under the internal rule, in the
    partnerships their organization is a party to (a request relayed into another of the
    sponsor's partnerships is no page of this CDMO's), whatever the model's own manager."""
    return SharedQuerySet(model).filter(
        Q(partnership__sponsor_id=organization_id) | Q(partnership__cdmo_id=organization_id)
    ).seen_by(organization_id)


def rows_hidden_from(model, organization_id: int) -> SharedQuerySet:
    """The rows of `model` the internal rule alone hides from people of `organization_id`,
    wherever they are: a link to another partnership's record is shown only to those who
    see both (governance.requests.selectors.request_links), not refused here."""
    return SharedQuerySet(model).exclude(
        pk__in=SharedQuerySet(model).seen_by(organization_id).values("pk"))


def plural(model) -> str:
    return str(model._meta.verbose_name_plural)


def _reverse_relations(model) -> list:
    """The relations of other models pointing at `model`, hidden ones (related_name="+")
    included, less the tables Django makes for many-to-many links (the field declaring a
    link is found on its own model) and the audit trail's event rows (snapshots of what a
    record was, partnership.history: no link anyone follows, read only with their record)."""
    return [field for field in model._meta.get_fields(include_hidden=True)
            if field.auto_created and not field.concrete
            and not field.related_model._meta.auto_created
            and not hasattr(field.related_model, "pgh_tracked_model")]


def beneath(model, rows):
    """(model, queryset) of `rows` and, at every depth, of the records that inherit their
    flag from them through INTERNAL_VIA: all that a change of their flag shows or hides."""
    yield model, rows
    for relation in _reverse_relations(model):
        child = relation.related_model
        if relation.field.name in getattr(child, "INTERNAL_VIA", ()):
            yield from beneath(child, child._default_manager.filter(
                **{f"{relation.field.name}__in": rows}))


def links_from(model) -> list:
    """Foreign keys and many-to-many fields of `model` to kinds that can be internal, less
    the parents it inherits its flag from (it is as internal as they are, by definition)."""
    inherited = getattr(model, "INTERNAL_VIA", ())
    return [field for field in model._meta.get_fields()
            if field.is_relation and not field.auto_created and field.related_model
            and (field.many_to_one or field.one_to_one or field.many_to_many)
            and field.name not in inherited and can_be_internal(field.related_model)]


def links_to(model) -> list:
    """Relations of kinds that can be internal pointing at `model`, less the records that
    inherit their flag from it (they are beneath it, and as internal as it is)."""
    return [relation for relation in _reverse_relations(model)
            if can_be_internal(relation.related_model)
            and relation.field.name not in getattr(relation.related_model, "INTERNAL_VIA", ())]
