"""What "Recent activity" on the partnership home lists: each app registers its kinds.

The card reads every registered kind in one UNION query, newest first, so a new kind of
record adds itself to the card from its app's AppConfig.ready() without editing the card.
The registry imports no app.

`records(user)` gives the records the user may see that count as activity (a series of
meetings is scheduled once: its first meeting stands for it); `label` names the text field
shown (or is an expression of the record's fields that gives it); `url(partnership_id, pk)`
is where the line links to.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class ActivityKind:
    kind: str  # the badge, e.g. "Meeting"; unique, it tells the rows of the UNION apart
    records: Callable[..., QuerySet]
    label: str | Expression
    url: Callable[[int, int], str]


_kinds: list[ActivityKind] = []


def register(kind: str, *, records: Callable[..., QuerySet], label: str | Expression,
             url: Callable[[int, int], str]) -> None:
    """Add a kind once (ready() may run twice in some test setups)."""
    if any(entry.kind == kind for entry in _kinds):
        return
    _kinds.append(ActivityKind(kind, records, label, url))


def kinds() -> tuple[ActivityKind, ...]:
    return tuple(_kinds)
