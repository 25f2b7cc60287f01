"""Where the events of a record's History come from: the record's own event table, and those
of its parts and links, each read through the registry's declarations
(portal.registries.audited), so a part declared there shows in its parent's History with no
code of its own.

Each Source gives its events annotated with `pgh_parent`, the id of the record whose
History shows them, read from the events themselves (a round's `contract`, a criterion
result's review's `deliverable`, a signature's `object_id`): a part or link deleted since is
still found, and a part shows where it belonged when it changed.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, OuterRef, Subquery

from partnership.history.tracking import event_model
from portal.registries.audited import ANY_RECORD, AuditedModel, audited_model, audited_models


@dataclass(frozen=True)
class Source:
    """One kind of event in the History of `target` records: their own (`entry` is the
    target's), a part's, or a many-to-many link's (`link` names the field)."""

    model: type[models.Model]
    entry: AuditedModel
    target: type[models.Model]

    @property
    def own(self) -> bool:
        return self.model is self.target

    @property
    def link(self):
        """The many-to-many field whose links these are, or None."""
        if self.entry.link_of is None:
            return None
        owner, name = self.entry.link_of
        return apps.get_model(owner)._meta.get_field(name)

    @property
    def owner(self) -> type[models.Model] | None:
        """The model a link belongs to (the owner of the many-to-many field)."""
        field = self.link
        return field.model if field is not None else None

    @property
    def path_fields(self) -> set[str]:
        """The fields of a part that name where it belongs: not news when it is made."""
        if self.own:
            return set()
        if self.link is not None:
            return {self.link.m2m_field_name()}
        if self.entry.part_of == ANY_RECORD:
            return set(ANY_RECORD)
        return {self.entry.part_of.partition("__")[0]}

    def events(self) -> models.QuerySet:
        """Every event of this source, with `pgh_parent`: the target record it belongs to."""
        events = event_model(self.model).objects.all()
        if self.entry.part_of == ANY_RECORD:
            events = events.filter(content_type_id=ContentType.objects.get_for_model(
                self.target).pk)
        return events.annotate(pgh_parent=_parent(self.model, self.target))

    def of(self, ids) -> models.QuerySet:
        """The events of the records `ids` (a list, or a queryset of ids)."""
        return self.events().filter(pgh_parent__in=ids)


def _parent(model, target):
    """An expression of `model`'s events giving the id of the `target` record they belong
    to: the model's own id, a foreign key on its part_of path (followed through the events of
    each part on the way), the record id of an ANY_RECORD part, a link's owner."""
    entry = audited_model(model._meta.label)
    if model is target:
        return F("pgh_obj_id")
    if entry.link_of is not None:
        field = apps.get_model(entry.link_of[0])._meta.get_field(entry.link_of[1])
        return _through(field.model, field.m2m_field_name() + "_id", target)
    if entry.part_of == ANY_RECORD:
        return F("object_id")
    head, _, rest = entry.part_of.partition("__")
    field = model._meta.get_field(head)
    if not rest:
        return F(field.attname)
    return _through(field.related_model, field.attname, target, rest)


def _through(model, attname: str, target, path: str | None = None):
    """The target id of the `model` record that `attname` of an event names, read from the
    latest event of that record (so a part removed since still leads to its parent)."""
    if model is target:
        return F(attname)
    inner = _parent(model, target) if path is None else _path(model, path, target)
    return Subquery(event_model(model).objects.filter(pgh_obj_id=OuterRef(attname))
                    .order_by("-pgh_id").annotate(parent=inner).values("parent")[:1])


def _path(model, path: str, target):
    head, _, rest = path.partition("__")
    field = model._meta.get_field(head)
    if not rest:
        return F(field.attname)
    return _through(field.related_model, field.attname, target, rest)


def _leads_to(entry: AuditedModel, target) -> bool:
    """Whether events of `entry` show in the History of `target` records."""
    if entry.link_of is not None:
        owner = apps.get_model(entry.link_of[0])
        return owner is target or _leads_to(audited_model(owner._meta.label), target)
    if entry.part_of == ANY_RECORD:
        return True
    if not entry.part_of:
        return False
    model = apps.get_model(entry.label)
    for name in entry.part_of.split("__"):
        model = model._meta.get_field(name).related_model
    return model is target


@cache
def sources(target) -> tuple[Source, ...]:
    """The sources of the History of a `target` record: its own events first, then its
    parts' and links' in the registry's order."""
    own = audited_model(target._meta.label)
    found = [Source(target, own, target)]
    for entry in audited_models():
        if entry is not own and (entry.part_of or entry.link_of) and _leads_to(entry, target):
            found.append(Source(apps.get_model(entry.label), entry, target))
    return tuple(found)


def is_part(model) -> bool:
    """Whether `model` shows only in another record's History (a part or a link)."""
    entry = audited_model(model._meta.label)
    return entry is not None and bool(entry.part_of or entry.link_of)
