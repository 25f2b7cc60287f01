"""Kinds of notification: what apps tell people about, and what each person can choose
a delivery for.

A notification's `kind` is a plain string, so a new kind needs no migration: the app that
sends it registers it here from its AppConfig.ready(), with the label the notification
settings page shows ("Notify me when…") and its place in that list. `notify()` refuses a
kind nobody registered, so a typo fails where it is made instead of filling a bell nobody
can switch off.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

#: The longest code a kind may have: the width of the `kind` column that stores it.
CODE_MAX_LENGTH = 24


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    #: Where the kind stands on the settings page and in the API's choices, smallest first.
    #: Numbers rather than registration order: apps register one after the other, while the
    #: page groups kinds by what a reader looks for, across apps.
    position: int


_kinds: dict[str, NotificationKind] = {}


def register(code: str, label: str, *, position: int) -> None:
    """Add a kind once (ready() may run twice in some test setups); the same code with a
    different label or position is a mistake and fails at start-up."""
    kind = NotificationKind(code=code, label=label, position=position)
    if not code or len(code) > CODE_MAX_LENGTH:
        raise ImproperlyConfigured(
            f"Notification kind {code!r}: a code of 1 to {CODE_MAX_LENGTH} characters.")
    if _kinds.get(code, kind) != kind:
        raise ImproperlyConfigured(f"Notification kind {code!r} is registered twice.")
    _kinds[code] = kind


def kinds() -> list[NotificationKind]:
    """Every registered kind, in the settings page's order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.position, kind.code))


def codes() -> list[str]:
    return [kind.code for kind in kinds()]


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs, for form and serializer choices."""
    return [(kind.code, kind.label) for kind in kinds()]


def is_registered(code: str) -> bool:
    return code in _kinds
