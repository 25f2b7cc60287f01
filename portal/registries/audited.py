"""The models whose changes the audit trail records, and the fields it leaves out.

Which records are GMP records is the domain's call, so the apps that own them register
each model here from their AppConfig.ready(), by label ("app_label.ModelName"), and the
trail reads the list back; `portal` names no model. Left out are fields that change
without anyone changing the record (a stored search vector, `updated_at`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class AuditedModel:
    label: str
    exclude: frozenset[str]


_models: dict[str, AuditedModel] = {}


def register(label: str, *, exclude: Iterable[str] = ()) -> None:
    """Audit the model `label` ("app_label.ModelName"), all its fields but `exclude`. Once
    per model (ready() may run twice in some test setups, with the same arguments)."""
    audited = AuditedModel(label=label, exclude=frozenset(exclude))
    if _models.get(label, audited) != audited:
        raise ImproperlyConfigured(f"Audited model {label!r} is registered twice.")
    _models[label] = audited


def audited_models() -> list[AuditedModel]:
    """Every audited model, in the order the apps registered them."""
    return list(_models.values())
