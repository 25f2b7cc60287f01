"""How a model joins the audit trail: `audit(Model, exclude=...)`, called in its app's
models.py right after the model is defined.

Each audited model gets an event model `<Model>Event` (django-pghistory) in its own app,
filled by PostgreSQL triggers on insert, update and delete: a snapshot of the row's fields
with the context of the statement (who, door, reason; partnership.history.context) copied
into the row itself. So `QuerySet.update()`, `bulk_create` and raw SQL are recorded like a
service's save, and an event row needs no other table to say who did it. The event tables
refuse UPDATE and DELETE (row triggers) and TRUNCATE (a statement trigger).

It must run at import time, while Django loads the models: an event model is a model too.
The same call registers the model in portal.registries.audited, which the trail's tests and
pages read back (portal names no model).
"""

import pghistory
import pgtrigger
from django.db import models
from django.db.models.signals import pre_save

from portal.registries import audited

#: The name of each event table's protections, for pgtrigger.ignore in the tests' flush.
APPEND_ONLY = "append_only"
NO_TRUNCATE = "append_only_truncate"


class RefuseTruncate(pgtrigger.Trigger):
    """TRUNCATE fires no row trigger: a statement trigger refuses it on an event table."""

    when = pgtrigger.Before
    operation = pgtrigger.Truncate
    level = pgtrigger.Statement

    def get_func(self, model):
        return ("RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the audit trail is "
                "append-only', TG_TABLE_NAME;")


def event_model_name(model) -> str:
    return f"{model.__name__}Event"


def audit(model: type[models.Model], *, exclude=(), fields=None, hidden=(), part_of="",
          label="") -> type[models.Model]:
    """Record every change of `model`'s fields (all but `exclude`, or only `fields`) in its
    event table, and register it as audited (portal.registries.audited says what `hidden`,
    `part_of` and `label` mean). Its many-to-many fields among those are tracked too, each
    through a proxy of its table (`link_model`). Returns the model (usable as a decorator)."""
    names = [field.name for field in model._meta.concrete_model._meta.local_fields]
    if fields is not None:
        exclude = [name for name in names if name not in fields]
    audited.register(model._meta.label, exclude=exclude, hidden=hidden, part_of=part_of,
                     label_field=label)
    _track(model, exclude)
    for field in model._meta.local_many_to_many:
        if field.name not in exclude and (fields is None or field.name in fields):
            link = link_model(model, field)
            audited.register(link._meta.label, link_of=(model._meta.label, field.name))
            _track(link, ())
    return model


def _track(model, exclude) -> None:
    tracks_object = not model._meta.proxy
    pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
        exclude=list(exclude),
        obj_field=pghistory.ObjForeignKey(related_name="audit_events") if tracks_object
        else None,
        context_field=pghistory.ContextJSONField(),
        append_only=True,
        model_name=event_model_name(model),
        meta={"triggers": [RefuseTruncate(name=NO_TRUNCATE)],
              "indexes": [models.Index(fields=["pgh_created_at"],
                                       name=f"{model._meta.model_name[:18]}_ev_at")]},
    )(model)
    from partnership.history.reasons import refuse_change_without_reason

    pre_save.connect(refuse_change_without_reason, sender=model, weak=False,
                     dispatch_uid=f"audit-reason-{model._meta.label}")


def link_model(owner, field) -> type[models.Model]:
    """A proxy of the table of `owner`'s many-to-many `field` (a program's sites), which
    the trail tracks like a model: a link made is an insert, a link removed a delete. Named
    `<Owner><Field>Link` in the owner's app."""
    name = f"{owner.__name__}{field.name.title().replace('_', '')}Link"
    meta = type("Meta", (), {"proxy": True, "app_label": owner._meta.app_label,
                             "verbose_name": f"{field.verbose_name} link"})
    return type(name, (field.remote_field.through,), {
        "Meta": meta, "__module__": owner.__module__,
        "__doc__": f"A link of {owner.__name__}.{field.name}, as the audit trail follows it."})


def event_model(model) -> type[models.Model]:
    """The event model that records `model`'s changes."""
    return model.pgh_event_model


def tracked_fields(model) -> list:
    """The fields of `model` its event model snapshots, in the model's order."""
    snapshot = {field.name for field in event_model(model)._meta.fields}
    return [field for field in model._meta.concrete_fields if field.name in snapshot]


def protection_uris() -> list[str]:
    """Every event table's append-only triggers, as pgtrigger names them: what the tests'
    flush between transactional tests must be let past."""
    from django.apps import apps

    from portal.registries.audited import audited_models

    uris = []
    for entry in audited_models():
        label = event_model(apps.get_model(entry.label))._meta.label
        uris += [f"{label}:{APPEND_ONLY}", f"{label}:{NO_TRUNCATE}"]
    return uris
