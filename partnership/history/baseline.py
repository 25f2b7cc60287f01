"""The starting point of the audit trail for rows that were there before it: a "snapshot"
event (shown as "recorded as it stood") for each row of an audited table that has no event
yet, so its first change afterwards diffs against what it was, not against nothing.

Run by a data migration of each app (partnership, governance) once its event tables exist,
and safe to run again (a row with an event is left alone). Cheap on big tables: one
INSERT … SELECT per table, the anti-join on the event table's indexed object column (its
row id for a link table, whose events keep no object).
"""

import json

from django.db import connection

SNAPSHOT = "snapshot"
CONTEXT = {"door": "command", "command": "migrate", "reason": "Recorded as it stood when "
           "the audit trail began"}


def event_models(apps, app_label: str) -> list:
    """(event model, tracked model) of every event table of `app_label`, as the
    migration's state has them: `<Model>Event` records `<Model>`."""
    found = []
    for model in apps.get_app_config(app_label).get_models():
        names = {field.name for field in model._meta.fields}
        if model.__name__.endswith("Event") and {"pgh_id", "pgh_label"} <= names:
            found.append((model, apps.get_model(app_label, model.__name__[:-len("Event")])))
    return found


def snapshot_sql(event, tracked) -> str:
    """The INSERT … SELECT of the snapshots of `tracked`'s rows that have no event."""
    quote = connection.ops.quote_name
    columns = [field.column for field in event._meta.local_fields
               if not field.name.startswith("pgh_")]
    has_object = any(field.name == "pgh_obj" for field in event._meta.fields)
    into = ["pgh_created_at", "pgh_label", "pgh_context", *(["pgh_obj_id"] if has_object
                                                           else []), *columns]
    values = ["clock_timestamp()", "%s", "%s::jsonb", *(['t."id"'] if has_object else []),
              *(f"t.{quote(column)}" for column in columns)]
    match = '"pgh_obj_id"' if has_object else '"id"'
    return (f"INSERT INTO {quote(event._meta.db_table)} ({', '.join(map(quote, into))}) "
            f"SELECT {', '.join(values)} FROM {quote(tracked._meta.db_table)} t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {quote(event._meta.db_table)} e "
            f'WHERE e.{match} = t."id")')


def record_baseline(apps, schema_editor, app_label: str) -> None:
    """A snapshot event for each row of `app_label`'s audited tables without one."""
    with schema_editor.connection.cursor() as cursor:
        for event, tracked in event_models(apps, app_label):
            cursor.execute(snapshot_sql(event, tracked), [SNAPSHOT, json.dumps(CONTEXT)])
