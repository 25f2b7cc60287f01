"""Who may change which field of a record, and in which state (DESIGN §5): a rule, not a hope.

Each model that has such fields declares them once, as its FIELD_RULES, next to its
WORKFLOW. Its services check every change against them (whichever door it came through:
page, API, a job), and its forms ask them which fields to offer, so a page never shows a
field that the service would refuse.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

PARTY_NAMES = {"sponsor": "the sponsor", "cdmo": "the CDMO"}


@dataclass(frozen=True)
class OwnedBy:
    """`fields` are the party's own: only `party` ('sponsor', 'cdmo', or a function of the
    record giving one of them) sets or changes them; the other party reads them."""

    fields: tuple[str, ...]
    party: str | Callable[[models.Model], str]
    because: str = "it is theirs to say"

    def refusal(self, record: models.Model, party: str | None) -> str | None:
        owner = self.party(record) if callable(self.party) else self.party
        if party == owner:
            return None
        return f"Only {PARTY_NAMES.get(owner, owner)} changes this: {self.because}."


@dataclass(frozen=True)
class FixedOnce:
    """`fields` no longer change once the record's `status` is one of `statuses`."""

    fields: tuple[str, ...]
    statuses: Collection[str]
    because: str

    def refusal(self, record: models.Model, party: str | None) -> str | None:
        if record.status in self.statuses:
            return f"This is fixed now: {self.because}."
        return None


class FieldRules:
    """The rules of one model: OwnedBy and FixedOnce entries, any number of each."""

    def __init__(self, *rules: OwnedBy | FixedOnce):
        self.rules = rules

    def locked(self, record: models.Model, party: str | None) -> dict[str, str]:
        """{field: why} of every field `party` may not change on `record` as it stands."""
        found: dict[str, str] = {}
        for rule in self.rules:
            reason = rule.refusal(record, party)
            if reason:
                for name in rule.fields:
                    found.setdefault(name, reason)
        return found

    def check(self, record: models.Model, party: str | None, changes: Mapping) -> None:
        """Refuse, with a field error each, the `changes` ({field: new value}) that `party`
        may not make to `record` (as read under the service's lock, or built unsaved with
        its defaults). A value sent again unchanged is no change: a form or a PUT resends
        every field."""
        locked = self.locked(record, party)
        errors = {name: reason for name, reason in locked.items()
                  if name in changes and _differs(record, name, changes[name])}
        if errors:
            raise ValidationError(errors)


def _differs(record: models.Model, name: str, value) -> bool:
    field = record._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        current = getattr(record, field.attname)
        return (value.pk if isinstance(value, models.Model) else value) != current
    return getattr(record, name) != value
