"""The kinds of record that carry a discussion, registered by their apps from
AppConfig.ready(): a comment names its record by the kind's model name and the record's id,
and is seen only by those who see that record, through the record's own `visible_to`."""

from django.db.models import Q
from django.http import Http404

_kinds: dict[str, type] = {}


def register(*models) -> None:
    """Give each of `models` (shared records of a partnership, each with a page) a
    discussion."""
    for model in models:
        _kinds[model._meta.model_name] = model


def models() -> dict[str, type]:
    """{record type: model} of every kind with a discussion."""
    return dict(_kinds)


def record_type_of(record) -> str:
    name = record._meta.model_name
    if _kinds.get(name) is not type(record):
        raise ValueError(f"{type(record).__name__} has no discussion: register it.")
    return name


def model_of(record_type: str):
    """The model of `record_type`; 404 for a kind without a discussion."""
    model = _kinds.get(record_type)
    if model is None:
        raise Http404
    return model


def seen_records(user, record_type: str | None = None) -> Q:
    """Filter of the comments (or of rows with `record_type` / `record_id`) whose record
    `user` sees, each kind through its own visible_to: of one kind, or of every kind."""
    condition = Q(pk__in=[])
    for name, model in _kinds.items():
        if record_type is None or name == record_type:
            condition |= Q(record_type=name,
                           record_id__in=model.objects.visible_to(user).values("pk"))
    return condition
