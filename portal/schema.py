"""Names of the API schema's enums, one per choice set of the models' fields.

drf-spectacular names an enum after the field (`status` → StatusEnum); when two models'
`status` fields hold different choices it falls back to names like "Status4a1Enum" and warns,
and `manage.py check --deploy` fails on the warning. Naming every choice set after the model
and field it belongs to (ContractStatusEnum), or after what several fields share (the sponsor /
CDMO choice of `rated_party`, `responsible_party` … is PartyEnum), keeps the names stable and
readable without a hand-kept list that each new model would have to extend.
"""

from collections.abc import Iterator, Mapping

from inflection import camelize


def _common_suffix(names: list[str]) -> str:
    """The words that every snake_case name ends with: rated_party, responsible_party → party."""
    reversed_words = [name.split("_")[::-1] for name in names]
    common = []
    for words in zip(*reversed_words, strict=False):
        if len(set(words)) > 1:
            break
        common.append(words[0])
    return "_".join(reversed(common))


#: Choice sets that live in portal's registries rather than on a model field.
REGISTRY_CHOICES = {"NotificationKindEnum": "portal.registries.notification_kinds.choices"}


def choice_enum_names() -> dict[str, list[tuple] | str]:
    """{enum name: its choices} for every choice set of every installed model's fields, and
    of the registries' (an import path, which drf-spectacular resolves and calls)."""
    from django.apps import apps

    users: dict[tuple, list[tuple[str, str]]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                choices = tuple((value, str(label)) for value, label in field.flatchoices
                                if value not in ("", None))
                users.setdefault(choices, []).append((model.__name__, field.name))
    names: dict[str, list[tuple] | str] = dict(REGISTRY_CHOICES)
    for choices, fields in sorted(users.items(), key=lambda item: sorted(item[1])):
        models = sorted({model for model, _ in fields})
        shared = _common_suffix(sorted({field for _, field in fields}))
        if len(models) > 1 and shared:
            name = camelize(shared)
        else:
            model, field = min(fields)
            name = f"{model}{camelize(field)}"
        while f"{name}Enum" in names:  # the same words for another set: say whose it is
            name = f"{min(fields)[0]}{name}"
        names[f"{name}Enum"] = list(choices)
    return names


class ChoiceEnumNames(Mapping):
    """SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], worked out from the models when the
    schema is first generated (settings load before the models do)."""

    def __init__(self) -> None:
        self._names: dict[str, list[tuple] | str] | None = None

    def _load(self) -> dict[str, list[tuple] | str]:
        if self._names is None:
            self._names = choice_enum_names()
        return self._names

    def __getitem__(self, name: str) -> list[tuple] | str:
        return self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
