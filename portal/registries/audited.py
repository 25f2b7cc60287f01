"""The models whose changes the audit trail records, and how their History reads them.

Which records are GMP records is the domain's call, so the apps that own them register
each model here from their models module (partnership.history.tracking.audit), by label
("app_label.ModelName"), and the trail reads the list back; `portal` names no model.

Each entry says:
- `exclude`: fields not recorded at all, because they change without anyone changing the
  record (a stored search vector, `updated_at`);
- `hidden`: fields recorded but not shown in a History (machinery such as a meeting's
  iCalendar `uid` and `sequence`): an inspector asking for the raw rows still has them;
- `part_of`: the path of foreign keys ("contract", "review__deliverable") to the record
  whose History shows this one's events, for a part that has no page of its own (a
  contract's negotiation rounds); or the pair ("content_type", "object_id") for a part
  that may belong to a record of any kind (a signature). Empty for a record with a page;
- `label_field`: the field of a part that names it in its parent's History ("Negotiation
  round 3" from a round's `number`), read from the event, so a deleted part is named too;
  or a function of the event that names it (a signature: who signed what, meaning what);
- `link_of`: for the table of a many-to-many field (a program's sites), the owner's label
  and the field's name, shown as "Sites: + Site A, − Site B" in the owner's History.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

#: `part_of` of a part that may belong to a record of any kind (content type and id).
ANY_RECORD = ("content_type", "object_id")


@dataclass(frozen=True)
class AuditedModel:
    label: str
    exclude: frozenset[str]
    hidden: frozenset[str] = frozenset()
    part_of: str | tuple[str, str] = ""
    label_field: str | Callable[[object], str] = ""
    link_of: tuple[str, str] | None = None


_models: dict[str, AuditedModel] = {}


def register(label: str, *, exclude: Iterable[str] = (), hidden: Iterable[str] = (),
             part_of: str | tuple[str, str] = "",
             label_field: str | Callable[[object], str] = "",
             link_of: tuple[str, str] | None = None) -> None:
    """Audit the model `label` ("app_label.ModelName"), all its fields but `exclude`. Once
    per model (ready() may run twice in some test setups, with the same arguments)."""
    audited = AuditedModel(label=label, exclude=frozenset(exclude), hidden=frozenset(hidden),
                           part_of=part_of, label_field=label_field, link_of=link_of)
    if _models.get(label, audited) != audited:
        raise ImproperlyConfigured(f"Audited model {label!r} is registered twice.")
    _models[label] = audited


def audited_models() -> list[AuditedModel]:
    """Every audited model, in the order the apps registered them."""
    return list(_models.values())


def audited_model(label: str) -> AuditedModel | None:
    return _models.get(label)

