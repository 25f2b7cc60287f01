"""When a change needs a reason, decided in one place (`needs_reason`).

A model declares it: `REASON_STATUSES`, the statuses in which its records are approved,
executed, accepted or published (a contract once executed), or a `needs_reason_for_change()`
method for anything else (a logged decision, always). Other mechanisms add their own rule
with `reason_rule` — e-signatures: a signed record changes only with a reason — and every
door keeps to the sum: the services refuse the change with a field error on `reason`, and
so does the save of any audited record whatever called it (`refuse_change_without_reason`).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from partnership.history.context import current_reason

REASON_REQUIRED = ("This record is approved, executed or signed: say why you change it "
                   "(the reason is kept in its history).")

_rules: dict[Callable[[object], bool], Callable[[type], bool]] = {}


def _any_model(model) -> bool:
    return True


def reason_rule(rule: Callable[[object], bool], *,
                applies_to: Callable[[type], bool] = _any_model) -> Callable[[object], bool]:
    """Add `rule(record) -> bool` to what makes a change need a reason (e.g. "it is
    signed"), for the models `applies_to(model)` accepts (the others' saves read nothing to
    ask it). A rule added twice counts once."""
    _rules.setdefault(rule, applies_to)
    return rule


def needs_reason(record) -> bool:
    """Whether changing `record` as it stands (its saved state) needs a reason: THE rule."""
    declared = getattr(record, "needs_reason_for_change", None)
    if declared is not None and declared():
        return True
    statuses = getattr(type(record), "REASON_STATUSES", ())
    if statuses and getattr(record, "status", None) in statuses:
        return True
    return any(rule(record) for rule, applies in _rules.items() if applies(type(record)))


def may_need_reason(model) -> bool:
    """Whether any record of `model` could ever need one (else no row is read to ask)."""
    return bool(getattr(model, "REASON_STATUSES", ()) or
                hasattr(model, "needs_reason_for_change") or
                any(applies(model) for applies in _rules.values()))


def check_reason(record, reason: str | None) -> None:
    """Refuse, as a field error on `reason`, a change of `record` (its saved state) that
    needs a reason when none is given."""
    if needs_reason(record) and not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})


def refuse_change_without_reason(sender, instance, raw=False, update_fields=None,
                                 **kwargs) -> None:
    """pre_save of every audited model: a change of a tracked field of a row that needs a
    reason, saved while no reason is given in the context (a service's `reason=`, the
    page's or the API's `reason`), is refused — whichever code saved it."""
    if raw or instance._state.adding or instance.pk is None or not may_need_reason(sender):
        return
    from partnership.history.tracking import tracked_fields

    before = sender._base_manager.filter(pk=instance.pk).first()
    if before is None or not needs_reason(before):
        return
    fields = [field for field in tracked_fields(sender)
              if update_fields is None or field.name in update_fields
              or field.attname in update_fields]
    if any(getattr(before, field.attname) != getattr(instance, field.attname)
           for field in fields):
        check_reason(before, current_reason())
