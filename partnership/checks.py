"""The system check of the scoping declarations (partnership.scoping), run by every
`manage.py` command and at start-up: a declaration the rule cannot follow fails loudly here
rather than letting a record slip into another partnership or vanish from everyone.

- partnership.E001: a parent named in PARENT or INTERNAL_VIA is not a foreign key of the
  model (a parent named by PARENT must itself belong to a partnership);
- partnership.E002: a record hidden with a parent (INTERNAL_VIA) whose partnership could
  differ from that parent's: it must derive from PartnershipChild with that PARENT;
- partnership.E003: an INTERNAL_VIA parent may be empty, and the model does not say so in
  INTERNAL_VIA_NULLABLE (joined through, an empty parent would hide the row from everyone);
- partnership.E004: INTERNAL_VIA_NULLABLE names a field that is no INTERNAL_VIA parent;
- partnership.E005: a PartnershipChild has no partnership to copy the parent's into.
"""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from partnership.parties.models import Partnership
from partnership.scoping import PartnershipChild


def _foreign_key(model, name: str):
    """The many-to-one (or one-to-one) field `name` of `model`, or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and (field.many_to_one or field.one_to_one) else None


def belongs_to_a_partnership(model) -> bool:
    """Whether rows of `model` carry the partnership they belong to."""
    field = _foreign_key(model, "partnership")
    return field is not None and \
        field.related_model is Partnership


def _error(model, message: str, hint: str, number: int) -> checks.Error:
    return checks.Error(message, hint=hint, obj=model, id=f"partnership.E{number:03d}")


def check_scoped_model(model) -> list[checks.Error]:
    """The errors of one model's scoping declarations (the module's docstring lists them)."""
    errors = []
    child = issubclass(model, PartnershipChild)
    scoped = belongs_to_a_partnership(model)
    parents = getattr(model, "INTERNAL_VIA", ())
    nullable = getattr(model, "INTERNAL_VIA_NULLABLE", ())
    if child:
        parent = _foreign_key(model, model.PARENT) if model.PARENT else None
        if parent is None or not belongs_to_a_partnership(parent.related_model):
            errors.append(_error(
                model, f"PARENT = {model.PARENT!r} is not a foreign key of {model.__name__} "
                       "to a record of a partnership.",
                "Name the foreign key to the parent whose partnership the row takes.", 1))
        if not scoped:
            errors.append(_error(
                model, f"{model.__name__} is a PartnershipChild without a partnership.",
                "Give it a `partnership` foreign key to partnership.Partnership.", 5))
    for name in parents:
        field = _foreign_key(model, name)
        if field is None:
            errors.append(_error(
                model, f"INTERNAL_VIA names {name!r}, which is not a foreign key of "
                       f"{model.__name__}.",
                "Name the foreign keys to the parents whose flag hides its rows.", 1))
            continue
        if scoped and not (child and model.PARENT == name):
            errors.append(_error(
                model, f"The partnership of {model.__name__} could differ from that of its "
                       f"parent {name!r}, which hides it (INTERNAL_VIA).",
                f"Derive it from partnership.scoping.PartnershipChild with PARENT = "
                f"{name!r}.", 2))
        if field.null and name not in nullable:
            errors.append(_error(
                model, f"The INTERNAL_VIA parent {name!r} of {model.__name__} may be empty.",
                "Make it required, or list it in INTERNAL_VIA_NULLABLE: a row without it "
                "then inherits nothing from it.", 3))
    for name in nullable:
        if name not in parents:
            errors.append(_error(
                model, f"INTERNAL_VIA_NULLABLE names {name!r}, which is not in the "
                       f"INTERNAL_VIA of {model.__name__}.",
                "List only INTERNAL_VIA parents there.", 4))
    return errors


def check_scoped_models(app_configs=None, **kwargs) -> list[checks.Error]:
    """Registered by PartnershipConfig.ready() for every app's models: governance's and the
    later apps' records follow the same rule."""
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    return [error for config in configs for model in config.get_models()
            for error in check_scoped_model(model)]
