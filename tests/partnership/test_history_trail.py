"""The audit trail (partnership.history): every audited model, changed through each door,
leaves an event row with the door, the person, the fields and the reason; QuerySet.update(),
bulk_create and raw SQL too; and the event tables refuse UPDATE, DELETE and TRUNCATE.

The generic cases are built from portal.registries.audited: a model registered there
(partnership.history.tracking.audit) is changed here through every door."""

import pytest
from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, models, transaction
from django.test import RequestFactory

from partnership.history.context import HistoryMiddleware, command, current, recording
from partnership.history.selectors import Formatter
from partnership.history.tracking import event_model, tracked_fields
from partnership.models import Program, ProgramEvent
from portal.registries.audited import audited_model, audited_models

LABELS = [entry.label for entry in audited_models()]
DOORS = ["page", "api", "job", "command", "update"]


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def _field_to_change(model):
    """A tracked field of `model` a generic test can change, and how."""
    hidden = audited_model(model._meta.label).hidden  # recorded, not shown: not this test's
    for field in tracked_fields(model):
        if field.primary_key or field.is_relation or field.name in ("partnership", "email") \
                or field.name in hidden:
            continue
        if isinstance(field, models.CharField | models.TextField) and not field.choices \
                and not field.unique:
            return field, lambda value, field=field: ((value or "") + " (changed)")[
                :field.max_length or 1000]
        if isinstance(field, models.BooleanField):
            return field, lambda value: not value
        if field.choices:
            return field, lambda value, field=field: next(
                code for code, _label in field.flatchoices if code != value)
    for field in tracked_fields(model):  # a unique name (a domain): made longer, still unique
        if isinstance(field, models.CharField) and field.unique and field.name != "email":
            return field, lambda value: "changed." + value
    for field in tracked_fields(model):  # only numbers (a programme's intervals): one more
        if isinstance(field, models.IntegerField) and not field.is_relation \
                and not field.primary_key and field.name not in hidden:
            return field, lambda value: (value or 0) + 1
    return None, None


def _row(model, world):
    """A row of `model` in the test world (a permission, group or many-to-many link is
    made)."""
    link_of = audited_model(model._meta.label).link_of
    if link_of is not None:
        field = apps.get_model(link_of[0])._meta.get_field(link_of[1])
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        owner = field.model._base_manager.order_by("pk").first()
        taken = through.objects.filter(**{source: owner}).values(f"{target}_id")
        other = field.related_model._base_manager.exclude(pk__in=taken).order_by("pk").first()
        assert owner is not None and other is not None, f"no {model._meta.label} to make"
        return model.objects.create(**{source: owner, target: other})
    if model._meta.proxy:
        target = Permission.objects.first() if "permission" in model._meta.model_name \
            else Group.objects.create(name="Auditors")
        through = model._meta.concrete_model
        field = next(f for f in through._meta.fields if f.related_model is type(target))
        return model.objects.create(user=world.alice, **{field.name: target})
    row = model._base_manager.order_by("pk").first()
    assert row is not None, f"the test world has no {model._meta.label}"
    return row


def _through_door(door, world, change):
    """Run `change()` as door `door` would: the request middleware (page, api), a Celery
    job's signals, manage.py's command context; `update` is QuerySet.update() as a page."""
    if door in ("page", "api", "update"):
        request = RequestFactory().post("/api/v1/x/" if door == "api" else "/p/1/x/")
        request.user = world.alice
        HistoryMiddleware(lambda request: change())(request)
    elif door == "job":
        task = type("Task", (), {"name": "tests.generic_job"})()
        task_prerun.send(sender=task, task_id="t-1", task=task)
        try:
            change()
        finally:
            task_postrun.send(sender=task, task_id="t-1", task=task)
    else:
        with command(["manage.py", "generic_command"]):
            change()


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("label", LABELS)
def test_every_audited_model_is_recorded_through_every_door(world, label, door):
    model = apps.get_model(label)
    row = _row(model, world)
    events = event_model(model).objects.order_by("-pgh_id")
    if model._meta.proxy:  # a link is made or removed, never changed
        def change():
            with recording(reason="Generic test"):
                model.objects.filter(pk=row.pk).delete()
        _through_door(door, world, change)
        event = events.first()
        assert event.pgh_label == "delete"
    else:
        field, new_value = _field_to_change(model)
        assert field is not None, f"no field of {label} to change"
        value = new_value(getattr(row, field.attname))

        def change():
            with recording(reason="Generic test"):
                if door == "update":
                    model._base_manager.filter(pk=row.pk).update(**{field.attname: value})
                else:
                    setattr(row, field.attname, value)
                    row.save(update_fields=[field.name])
        _through_door(door, world, change)
        event = events.filter(pgh_obj_id=row.pk).first()
        assert event.pgh_label == "update"
        assert getattr(event, field.attname) == value
        before = events.filter(pgh_obj_id=row.pk, pgh_id__lt=event.pgh_id).first()
        entry = Formatter(model, world.alice).entries([event], before)[0]
        assert [change.field.lower() for change in entry.changes] == [
            str(field.verbose_name).lower()]
    context = event.pgh_context
    expected_door = "page" if door == "update" else door
    assert context["door"] == expected_door
    assert context["reason"] == "Generic test"
    assert context["user"] == (world.alice.pk if expected_door in ("page", "api") else None)
    assert context.get("task") == ("tests.generic_job" if door == "job" else None)
    assert current() is None  # the door's context closed with it


def test_bulk_create_and_raw_sql_are_recorded(world):
    with recording(door="command", command="import", reason="Loaded from the old system"):
        created = Program.objects.bulk_create([Program(
            partnership=world.acme_contoso, author_organization=world.acme,
            code=f"BLK-{n}", name=f"Bulk {n}") for n in range(3)])
        with connection.cursor() as cursor:
            cursor.execute("UPDATE partnership_program SET name = 'Renamed in SQL' "
                           "WHERE id = %s", [created[0].pk])
    rows = ProgramEvent.objects.filter(pgh_obj_id__in=[p.pk for p in created])
    assert rows.filter(pgh_label="insert").count() == 3
    renamed = rows.get(pgh_label="update")
    assert renamed.name == "Renamed in SQL"
    assert renamed.pgh_context == {"door": "command", "command": "import",
                                   "reason": "Loaded from the old system"}


def test_a_change_outside_any_door_is_still_recorded(world):
    Program.objects.filter(pk=world.acme_program.pk).update(name="Quietly renamed")
    event = ProgramEvent.objects.filter(pgh_obj_id=world.acme_program.pk).latest("pgh_id")
    assert event.name == "Quietly renamed" and event.pgh_context is None


@pytest.mark.parametrize("label", LABELS)
def test_event_tables_refuse_update_delete_and_truncate(world, label):
    model = apps.get_model(label)
    row = _row(model, world)  # a link is made: an event
    if not model._meta.proxy:
        field, new_value = _field_to_change(model)
        model._base_manager.filter(pk=row.pk).update(
            **{field.attname: new_value(getattr(row, field.attname))})
    table = event_model(model)._meta.db_table
    assert event_model(model).objects.exists()
    for statement in (f'UPDATE "{table}" SET pgh_label = \'forged\'',
                      f'DELETE FROM "{table}"', f'TRUNCATE "{table}"'):
        with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert event_model(model).objects.exists()
    assert not event_model(model).objects.filter(pgh_label="forged").exists()
