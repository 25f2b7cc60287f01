"""The history of a record as its reader sees it: each event with the person, the time,
the door, the reason and each field's old → new value.

A history is read only once its record was read through the record's own scoping
(`history_record_get`: `Model.objects.visible_to(user)`), so it is readable exactly when the
record is. The values it names (a parent contract, an owner) are named only when the
reader may see them, through their own `visible_to`; else by their number.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from partnership.history.tracking import event_model, tracked_fields
from partnership.parties.models import Partnership, User
from portal.registries.audited import audited_models

#: Fields every shared record carries that say nothing of what changed.
QUIET = {"id", "partnership", "author_organization", "created_by", "created_at"}
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}


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


def history_models() -> dict[str, type[models.Model]]:
    """{model_name: model} of the audited records that have a page in a partnership: its
    shared records, its seats, and the partnership itself."""
    found = {}
    for entry in audited_models():
        model = apps.get_model(entry.label)
        if model is Partnership or any(f.name == "partnership" for f in model._meta.fields):
            found[model._meta.model_name] = model
    return found


def history_record_get(*, user, partnership: Partnership, record_type: str, pk: int):
    """The record whose history is asked for, read as its own pages read it (404 for a
    kind without a history, a record of another partnership or one the user may not see)."""
    model = history_models().get(record_type)
    if model is None:
        raise Http404
    if model is Partnership:
        if pk != partnership.pk:
            raise Http404
        return partnership
    record = model.objects.visible_to(user).filter(partnership=partnership, pk=pk).first()
    if record is None:
        raise Http404
    return record


def record_events(record) -> models.QuerySet:
    """The events of one record, newest first."""
    return event_model(type(record)).objects.filter(pgh_obj_id=record.pk).order_by("-pgh_id")


def previous_event(events: list, queryset: models.QuerySet):
    """The event before the oldest of `events` (a page, newest first), to diff it with."""
    if not events:
        return None
    return queryset.filter(pgh_id__lt=events[-1].pgh_id).first()


class Formatter:
    """Turns events of one kind of record into entries for `viewer`: a few queries per page
    (the people, then each kind of record the fields name), whatever its length."""

    def __init__(self, model, viewer):
        self.model, self.viewer = model, viewer
        self.fields = [f for f in tracked_fields(model) if f.name not in QUIET]
        self.names: dict = {}

    def load(self, events: list) -> None:
        wanted: dict = {}
        for event in events:
            context = event.pgh_context or {}
            if context.get("user"):
                wanted.setdefault(User, set()).add(context["user"])
            for f in self.fields:
                value = getattr(event, f.attname)
                if f.is_relation and value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
        for related, ids in wanted.items():
            manager = related._default_manager
            if not hasattr(manager, "visible_to"):
                continue
            rows = manager.visible_to(self.viewer).filter(pk__in=ids)
            self.names.update({(related, row.pk): str(row) for row in rows})

    def value(self, f, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if f.is_relation:
            return self.names.get((f.related_model, value), f"#{value}")
        if f.choices:
            labels = dict(f.flatchoices)
            if isinstance(value, list):
                return ", ".join(str(labels.get(v, v)) for v in value)
            return str(labels.get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j M Y H:i T")
        if isinstance(value, datetime.date):
            return date_format(value, "j M Y")
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def person(self, context: dict) -> str:
        user_id = context.get("user")
        if user_id:
            return self.names.get((User, user_id), "someone outside your partnerships")
        if context.get("task"):
            return f"the portal (job {context['task']})"
        if context.get("command"):
            return f"the portal (command {context['command']})"
        return "the portal" if context else "unknown: changed outside the portal's doors"

    def entry(self, event, before) -> Entry:
        context = event.pgh_context or {}
        changes = []
        for f in self.fields:
            new = getattr(event, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if event.pgh_label == "delete" or (before is not None and old == new):
                continue
            if before is None and new in (None, "", []):
                continue
            label = str(f.verbose_name)
            changes.append(Change(label[:1].upper() + label[1:],
                                  self.value(f, old) if before is not None else "—",
                                  self.value(f, new)))
        return Entry(at=event.pgh_created_at, action=ACTIONS.get(event.pgh_label, "changed"),
                     person=self.person(context), door=context.get("door") or "database",
                     reason=context.get("reason") or "", changes=changes,
                     kind=str(self.model._meta.verbose_name), record_id=event.pgh_obj_id)

    def entries(self, events: list, previous=None) -> list[Entry]:
        """Entries of `events` (one record's, newest first); `previous` precedes the last."""
        self.load([*events, *([previous] if previous is not None else [])])
        return [self.entry(event, events[i + 1] if i + 1 < len(events) else previous)
                for i, event in enumerate(events)]
