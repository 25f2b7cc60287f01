"""State machines declared once per model, and the one helper that moves a record along.

A model declares `WORKFLOW = Workflow({status: {next status: button label}})`; a service
moves a record with `transition(record, status, ...)`, whichever door the step came from.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models

from portal.locking import locked


class Workflow:
    """`transitions` maps a status to {next status: button label}."""

    def __init__(self, transitions: dict[str, dict[str, str]]):
        self.transitions = transitions

    def next_statuses(self, current: str) -> dict[str, str]:
        return self.transitions.get(current, {})

    def check(self, current: str, target: str, labels: dict[str, str] | None = None) -> None:
        """Refuse a step the workflow does not allow; `labels` names the statuses in words."""
        if target not in self.next_statuses(current):
            labels = labels or {}
            raise ValidationError({"status": f"A record that is “{labels.get(current, current)}” "
                                             f"cannot become “{labels.get(target, target)}”."})


def transition(record: models.Model, status: str, *,
               guard: Callable[[models.Model, str], None] | None = None,
               changes: Callable[[models.Model, str], dict] | None = None,
               clean: bool = False) -> models.Model:
    """Move `record` to `status` as its model's WORKFLOW allows, and return the saved row.

    The row is read again under a lock, so the step is checked against the status in the
    database, not the caller's copy. `guard(row, status)` raises to refuse a step the
    workflow allows in general but not now (a meeting not yet started cannot be held);
    `changes(row, status)` returns the other fields the step sets (a completion time).
    `clean` runs the model's full_clean() before saving. Call it inside the service's
    transaction, after the service has checked who may take the step.
    """
    row = locked(record)
    type(row).WORKFLOW.check(row.status, status,
                             labels=dict(row._meta.get_field("status").flatchoices))
    if guard is not None:
        guard(row, status)
    row.status = status
    fields = ["status"]
    for name, value in (changes(row, status) if changes is not None else {}).items():
        setattr(row, name, value)
        fields.append(name)
    if clean:
        row.full_clean()
    if any(field.name == "updated_at" for field in row._meta.concrete_fields):
        fields.append("updated_at")
    row.save(update_fields=fields)
    return row
