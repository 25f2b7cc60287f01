"""What "Coming up" on the partnership home lists: dated items each app registers.

A provider lists, for one person and partnership, its next dated items (meetings, the
person's deadlines …) within DAYS days, or further ahead for what has a time of its own;
the card merges every provider's items in date order and cuts them to the card's length.
A new kind of dated record adds itself from its app's AppConfig.ready(); the registry
imports no app.

`provider(*, user, partnership, exclude, limit)` returns at most `limit` `Dated` items in
date order, leaving out the records whose pk is in `exclude` (another card already shows
them). `template` renders one item's line (`entry.record`, `entry.date`, `entry.at`).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

#: How far ahead the deadlines of "Coming up" look, in days.
DAYS = 14


class Dated(NamedTuple):
    record: Any
    date: datetime.date
    at: datetime.datetime | None = None  # for what happens at a time (a meeting)


@dataclass(frozen=True)
class ComingUpKind:
    kind: str  # e.g. "meeting"; what `exclude` pks are of
    provider: Callable[..., Iterable[Dated]]
    template: str


_kinds: list[ComingUpKind] = []


def register(kind: str, *, provider: Callable[..., Iterable[Dated]], template: str) -> None:
    """Add a kind once (ready() may run twice in some test setups); items of one date and
    no time keep the order their kinds were registered in."""
    if any(entry.kind == kind for entry in _kinds):
        return
    _kinds.append(ComingUpKind(kind, provider, template))


def kinds() -> tuple[ComingUpKind, ...]:
    return tuple(_kinds)
