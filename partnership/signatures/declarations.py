"""How a record declares what is signed on it, and the content a signature is bound to.

A model lists its signed events in `SIGNATURES`, a mapping of event code to `Signed`:

    SIGNATURES = {
        "executed": Signed(
            "Contract executed",
            meanings={"approval": "Approved: executed on behalf of my organization"},
            fields=("kind", "reference", "title", "effective_date", "expiry_date"),
            children={"documents": ("name", "size")},
            parties=lambda contract: ("sponsor", "cdmo"), roles=("lead",),
            ready=lambda contract: None if contract.status == "negotiation" else "…",
            complete="partnership.contracts.services.contract_execute"),
    }

Everything else follows from it: the permission rule of each event (who may sign, and
when: partnership.signatures.register), the sign service, the dialog, the API action, the
display and the signature lines of PDF exports. A signature stores the SHA-256 of the
record's signed content (canonical JSON of the declared fields and children, with what
record and event they are); when the record's content no longer hashes the same, the
signature shows as no longer valid for the current content.
"""

import datetime
import decimal
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


def _both(record) -> tuple[str, ...]:
    return ("sponsor", "cdmo")


def _always(record) -> str | None:
    return None


@dataclass(frozen=True)
class Signed:
    """One signed event of a record.

    label: what the signature stands for ("Contract executed").
    meanings: {code: words} the signer chooses from (21 CFR 11.50: the meaning of it).
    fields: the record's fields (or attributes) that make up the signed content.
    children: {related name: fields} of rows beneath it that are part of that content
        (a deliverable's acceptance criteria), in primary-key order.
    parties: record -> the parties ('sponsor', 'cdmo') who sign.
    all_parties: whether each of those parties must sign (a contract) or one signature of
        any of them completes the event (minutes).
    roles: the seats that may sign (Membership.Role values).
    signers: record -> the ids of the only people who may sign it (an audit report: its
        lead auditor), on top of the parties and roles; None: anyone in them.
    ready: record -> None when it may be signed now, else why not (a 400 for the signer).
    complete: dotted path of a service `f(*, actor, record)` run, in the signer's
        transaction, once the event is complete for the current content (the contract
        becomes executed); None when completion changes nothing else.
    """

    label: str
    meanings: dict[str, str]
    fields: tuple[str, ...]
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parties: Callable[[models.Model], tuple[str, ...]] = _both
    all_parties: bool = True
    roles: tuple[str, ...] = ("lead", "member", "qa_lead")
    signers: Callable[[models.Model], tuple[int, ...]] | None = None
    ready: Callable[[models.Model], str | None] = _always
    complete: str | None = None


def signed_models() -> list[type[models.Model]]:
    """Every installed model that declares SIGNATURES, in app order."""
    return [model for model in apps.get_models() if getattr(model, "SIGNATURES", None)]


def record_label(model) -> str:
    """How a signature names the kind of record: "partnership.contract"."""
    return model._meta.label_lower


def declaration(record_or_model, event: str) -> Signed:
    """The declaration of `event` on a record (or model); KeyError if it has none."""
    return type(record_or_model).SIGNATURES[event] if isinstance(
        record_or_model, models.Model) else record_or_model.SIGNATURES[event]


def _plain(value):
    """A value as canonical JSON holds it: foreign keys by id, dates in ISO 8601 (UTC for
    moments), decimals as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _values(row, names: tuple[str, ...]) -> dict:
    values = {}
    for name in names:
        try:
            model_field = row._meta.get_field(name)
        except Exception:  # noqa: BLE001 - an attribute that is no field (a property)
            model_field = None
        if model_field is not None and model_field.many_to_one:
            values[name] = getattr(row, model_field.attname)
        else:
            values[name] = _plain(getattr(row, name))
    return values


def signed_content(record, event: str) -> dict:
    """What a signature of `event` on `record` is bound to, as a JSON-ready dict."""
    signed = declaration(record, event)
    content = {"record": record_label(type(record)), "id": record.pk, "event": event,
               "fields": _values(record, signed.fields)}
    if signed.children:
        content["children"] = {
            name: [_values(row, names) for row in sorted(
                getattr(record, name).all(), key=lambda row: row.pk)]
            for name, names in signed.children.items()}
    return content


def canonical_json(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(record, event: str) -> str:
    """SHA-256 (hex) of the record's signed content for `event`, as it stands."""
    return hashlib.sha256(canonical_json(signed_content(record, event)).encode()).hexdigest()
