"""A migration operation of our own: many `CreateModel` applied as one.

Django re-renders the migration state after each operation, and each re-render of a new
model takes with it every model related to the models it points to: nearly all of ours
point to a partnership and a user, so a fresh database's `migrate` spent two minutes
re-rendering the same hundred models again and again. `CreateModels` adds all its models to
the state first and renders them once; the database work is each `CreateModel`'s own
(`schema_editor.create_model`: table, indexes, constraints, triggers from the model's
`triggers` option, foreign keys at the end of the migration). A proxy model has no table
of its own, so `CreateModel` leaves it alone: the triggers of a proxy (django-pghistory's
on a many-to-many's table) are installed here, as pgtrigger's `AddTrigger` would.

The squashed first migrations of our apps use it; later migrations use Django's operations.
"""

from django.db.migrations.operations.base import Operation
from pgtrigger.migrations import AddTrigger


class CreateModels(Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, operations):
        self.operations = operations

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"operations": self.operations}

    def state_forwards(self, app_label, state):
        rendered = state.__dict__.pop("apps", None)  # add them all before any render
        for operation in self.operations:
            operation.state_forwards(app_label, state)
        if rendered is not None:
            state.__dict__["apps"] = rendered
            state.reload_models([(app_label, operation.name_lower)
                                 for operation in self.operations], delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
        for add_trigger in self._proxy_triggers():
            add_trigger.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for add_trigger in reversed(self._proxy_triggers()):  # read the proxies where they are
            add_trigger.database_backwards(app_label, schema_editor, to_state, from_state)
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def _proxy_triggers(self):
        return [AddTrigger(operation.name_lower, trigger) for operation in self.operations
                if operation.options.get("proxy")
                for trigger in operation.options.get("triggers", [])]

    def describe(self):
        return f"Create {len(self.operations)} models"

    @property
    def migration_name_fragment(self):
        return "create_models"
