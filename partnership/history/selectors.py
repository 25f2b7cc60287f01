"""The history of a record as its reader sees it: each event with the person, the time,
the door, the reason and each field's old → new value.

A history is read only once its record was read through the record's own scoping
(`history_record_get`: `Model.objects.visible_to(user)`), so it is readable exactly when the
record is. The values it names (a parent contract, an owner) are named only when the
reader may see them, through their own `visible_to`; else by their number.
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format

from partnership.history.sources import Source, is_part
from partnership.history.tracking import tracked_fields
from partnership.parties.models import Organization, Partnership, User
from partnership.permissions import can
from portal.registries.audited import audited_model, audited_models

#: Fields every shared record carries that say nothing new when it is made; a later change
#: of one (a back-dated `created_at`) is shown like any other.
QUIET = {"id", "partnership", "author_organization", "created_by", "created_at"}
#: Fields that hold a number of bytes (a document's size), shown as "1.5 KB".
SIZES = {"size"}
#: Who made a change, or a person a field names, when the reader may not see them.
OUTSIDER = "someone outside your partnerships"
OPERATOR = "a Lockstep operator"
#: Fields of a party that its partners do not read in its History: how an organization
#: secures its own sign-in is its own business.
OWN_ONLY = {Organization: {"require_two_factor"}}
#: Fields a History shows only to those the named rule (partnership.permissions) lets read
#: them on the record as the event left it, as the record's own page and API do: the
#: justification of an emergency within budget is the sending party's.
READ_RULES = {"governance.Request": {
    "emergency_justification": "governance.request_read_justification"}}
DOOR_NAMES = {"page": "portal page", "api": "API", "admin": "Django admin",
              "job": "background job", "command": "management command",
              "database": "the database, outside the portal"}
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted",
           "snapshot": "recorded as it stood"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    action: str
    person: str
    door: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    record: str = ""
    kind: str = ""
    record_id: int | None = None
    #: The part of the record it changed ("Negotiation round 3"), empty for the record.
    part: str = ""
    #: The context of the statement (one per request or job), to merge a link's changes.
    context_id: object = None
    #: Whether it made or removed a many-to-many link (its one change says which).
    link: bool = False

    @property
    def via(self) -> str:
        """The door in words, for people (the API and the CSV keep the code)."""
        return DOOR_NAMES.get(self.door, self.door)


def history_models() -> dict[str, type[models.Model]]:
    """{model_name: model} of the audited records that have a page in a partnership: its
    shared records, its seats, the partnership itself and its two parties. Parts and links
    have none: their events show in their parent's History (partnership.history.sources)."""
    found = {}
    for entry in audited_models():
        model = apps.get_model(entry.label)
        if is_part(model):
            continue
        if model in (Partnership, Organization) or any(
                f.name == "partnership" for f in model._meta.fields):
            found[model._meta.model_name] = model
    return found


def history_record_get(*, user, partnership: Partnership, record_type: str, pk: int):
    """The record whose history is asked for, read as its own pages read it (404 for a
    kind without a history, a record of another partnership or one the user may not see).
    A party's History is read under a partnership it is party to."""
    model = history_models().get(record_type)
    if model is None:
        raise Http404
    if model is Partnership:
        if pk != partnership.pk:
            raise Http404
        return partnership
    if model is Organization:
        if pk not in (partnership.sponsor_id, partnership.cdmo_id):
            raise Http404
        return Organization.objects.get(pk=pk)
    record = model.objects.visible_to(user).filter(partnership=partnership, pk=pk).first()
    if record is None:
        raise Http404
    return record


class Formatter:
    """Turns events of one kind of record (or of a part, or of a link) into entries for
    `viewer`: a few queries per page (the people, then each kind of record the fields
    name), whatever its length. Formatters of one page share `names`, so each kind is read
    once for all of them (load_names)."""

    def __init__(self, model, viewer, *, source: Source | None = None, names=None):
        self.model, self.viewer, self.source = model, viewer, source
        entry = audited_model(model._meta.label)
        hidden = entry.hidden if entry is not None else frozenset()
        self.quiet = QUIET | (source.path_fields if source is not None else set())
        self.fields = [f for f in tracked_fields(model) if f.name not in hidden]
        link = source.link if source is not None else None
        self.link = link
        self.label_field = next((f for f in tracked_fields(model)
                                 if entry is not None and f.name == entry.label_field), None)
        self.names: dict = {} if names is None else names

    def wanted(self, pairs: list) -> dict:
        """{model: ids} of the people and records that the entries of `pairs` ((event, the
        event before it or None)) name: only the values they show, so a page reads the
        kinds it names and no other."""
        wanted: dict = {}
        for event, before in pairs:
            context = event.pgh_context or {}
            if context.get("user"):
                wanted.setdefault(User, set()).add(context["user"])
            if self.link is not None:
                for f in (self.link.m2m_field_name(), self.link.m2m_reverse_field_name()):
                    related = event._meta.get_field(f).related_model
                    wanted.setdefault(related, set()).add(getattr(event, f + "_id"))
                continue
            for f, old, new in self.raw_changes(event, before):
                if f.is_relation:
                    wanted.setdefault(f.related_model, set()).update(
                        value for value in (old, new) if value is not None)
            if self.label_field is not None and self.label_field.is_relation:
                wanted.setdefault(self.label_field.related_model, set()).add(
                    getattr(event, self.label_field.attname))
        return wanted

    def load(self, pairs: list) -> None:
        load_names(self.viewer, self.names, self.wanted(pairs))

    def value(self, f, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if f.is_relation:
            unnamed = OUTSIDER if f.related_model is User else f"#{value}"
            return self.names.get((f.related_model, value), unnamed)
        if f.name in SIZES and isinstance(value, int):
            return filesizeformat(value)
        choices = f.choices or getattr(getattr(f, "base_field", None), "choices", None)
        if choices:  # a choice, or a list of them (a site's capabilities)
            labels = dict(f.flatchoices if f.choices else f.base_field.flatchoices)
            if isinstance(value, list):
                return ", ".join(str(labels.get(v, v)) for v in value)
            return str(labels.get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j M Y H:i T")
        if isinstance(value, datetime.date):
            return date_format(value, "j M Y")
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(f, models.DecimalField):  # exact, without the stored trailing zeros
            try:
                return f"{decimal.Decimal(str(value)).normalize():f}"
            except decimal.InvalidOperation:
                return str(value)
        return str(value)

    def person(self, context: dict) -> str:
        user_id = context.get("user")
        if user_id:
            return self.names.get((User, user_id), OUTSIDER)
        if context.get("task"):
            return f"the portal (job {context['task']})"
        if context.get("command"):
            return f"the portal (command {context['command']})"
        return "the portal" if context else "unknown: changed outside the portal's doors"

    def part(self, event) -> str:
        """Which part of the record the event changed ("Negotiation round 3"), or ""."""
        if self.source is None or self.source.own:
            return ""
        if self.link is not None:
            owner = self.link.model
            if owner is self.source.target:
                return ""
            owner_id = getattr(event, self.link.m2m_field_name() + "_id")
            name = self.names.get((owner, owner_id), f"#{owner_id}")
            return f"{_capitalized(owner._meta.verbose_name)} {name}"
        entry = audited_model(self.model._meta.label)
        if callable(entry.label_field):
            return entry.label_field(event)
        kind = _capitalized(self.model._meta.verbose_name)
        if self.label_field is None:
            return f"{kind} #{event.pgh_obj_id}"
        return f"{kind} {self.value(self.label_field, getattr(event, self.label_field.attname))}"

    def changes(self, event, before) -> list[Change]:
        if self.link is not None:
            target = self.link.m2m_reverse_field_name() + "_id"
            name = self.names.get((self.link.related_model, getattr(event, target)),
                                  f"#{getattr(event, target)}")
            done = "removed" if event.pgh_label == "delete" else "added"
            return [Change(_capitalized(self.link.verbose_name), "", f"{done} {name}")]
        return [Change(_capitalized(f.verbose_name),
                       self.value(f, old) if before is not None else "—", self.value(f, new))
                for f, old, new in self.raw_changes(event, before)
                if not self.out_of_sight(f, old, new)]

    def out_of_sight(self, f, old, new) -> bool:
        """Whether a change of `f` only names records the reader may not see (a request
        relayed from another partnership's): not shown at all, as the record's own page and
        API do not show them. People are always shown, unnamed if need be."""
        if not f.is_relation or f.related_model is User or \
                not hasattr(f.related_model._default_manager, "visible_to"):
            return False
        return not any((f.related_model, value) in self.names
                       for value in (old, new) if value is not None)

    def raw_changes(self, event, before) -> list:
        """(field, old, new) of what `event` shows: each field it changed since `before`;
        of a record made, each field given, but those that say nothing new then (QUIET, and
        where a part belongs)."""
        changes = []
        if event.pgh_label == "delete":
            return changes
        own = getattr(event, "pgh_obj_id", None) == getattr(self.viewer, "organization_id", 0)
        ruled = READ_RULES.get(self.model._meta.label, {})
        for f in self.fields:
            if f.name in OWN_ONLY.get(self.model, ()) and not own:
                continue
            if f.name in ruled and not self.may_read(event, ruled[f.name]):
                continue
            new = getattr(event, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if before is not None and old == new:
                continue
            if before is None and (new in (None, "", []) or f.name in self.quiet):
                continue
            changes.append((f, old, new))
        return changes

    def may_read(self, event, rule: str) -> bool:
        """Whether the viewer may read a field under `rule` on the record as `event` left
        it (an unsaved copy built from the event's row; its partnership read once)."""
        record = self.model(**{f.attname: getattr(event, f.attname)
                               for f in tracked_fields(self.model)
                               if hasattr(event, f.attname)})
        partnership_id = getattr(event, "partnership_id", None)
        if partnership_id is not None:
            key = (Partnership, partnership_id, "row")
            if key not in self.names:
                self.names[key] = Partnership.objects.get(pk=partnership_id)
            record.partnership = self.names[key]
        return can(self.viewer, rule, record)

    def entry(self, event, before) -> Entry | None:
        """The entry of `event` (`before`: the same record's event before it), or None when
        it shows no change: an update of hidden fields only (a meeting's sequence)."""
        context = event.pgh_context or {}
        changes = self.changes(event, before)
        action = ACTIONS.get(event.pgh_label, "changed")
        if self.link is not None:
            action = "changed"
        elif action == "changed" and not changes:
            return None
        return Entry(at=event.pgh_created_at, action=action,
                     person=self.person(context), door=context.get("door") or "database",
                     reason=context.get("reason") or "", changes=changes,
                     kind=str(self.model._meta.verbose_name),
                     record_id=getattr(event, "pgh_obj_id", None), part=self.part(event),
                     context_id=event.pgh_context_id, link=self.link is not None)

    def entries(self, events: list, previous=None) -> list[Entry]:
        """Entries of `events` (one record's, newest first); `previous` precedes the last."""
        pairs = [(event, events[i + 1] if i + 1 < len(events) else previous)
                 for i, event in enumerate(events)]
        self.load(pairs)
        found = [self.entry(event, before) for event, before in pairs]
        return [entry for entry in found if entry is not None]


def _capitalized(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def load_names(viewer, names: dict, wanted: dict) -> None:
    """Add to `names` ({(model, id): name}) the records and people of `wanted` ({model:
    ids}) that `viewer` may see, through each kind's own `visible_to`; one query per kind.
    What the viewer may not see stays unnamed (shown by its number; a person as someone
    outside the reader's partnerships, an operator as one)."""
    for related, ids in wanted.items():
        ids = {pk for pk in ids if (related, pk) not in names}
        manager = related._default_manager
        if not ids or not hasattr(manager, "visible_to"):
            continue
        rows = {row.pk: str(row) for row in manager.visible_to(viewer).filter(pk__in=ids)}
        names.update({(related, pk): name for pk, name in rows.items()})
        if related is User and ids - rows.keys():
            # The portal's operators are in no partnership, and may be named as such.
            operators = User.objects.filter(pk__in=ids - rows.keys(), is_staff=True)
            names.update({(User, pk): OPERATOR
                          for pk in operators.values_list("pk", flat=True)})
