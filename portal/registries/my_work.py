"""What awaits a person across their partnerships (DESIGN §8, My work): ONE table whose rows
every app adds for the records it owns. My work belongs to `governance`, which may not
import `metrics`; the apps register a provider here from their AppConfig.ready().

A provider is `provider(*, user) -> list[Item]`: the items awaiting `user` that he can act
on, at most ROWS_PER_PROVIDER of each kind, read through its app's selectors (DESIGN §2) in
a fixed number of queries however much there is. `items()` merges them by due date, so the
page costs the same number of queries whatever the person has on his plate. A kind that
can hold more (a large sponsor's lead owns thousands of open actions) is also registered
as a `Kind`: the page then says "50 of 1,000+" and pages through all of that kind.
"""

import datetime
from collections.abc import Callable
from typing import NamedTuple

#: The most items of one kind the merged table holds: past it, the table says how many
#: more there are and links to that kind's own pages of My work (`Kind`).
ROWS_PER_PROVIDER = 50
#: How far a kind's rows are counted: "50 of 1,000+" rather than counting a large
#: sponsor's 13,000 open actions on every view.
COUNT_CAP = 1000


class Item(NamedTuple):
    """One row of My work."""

    kind: str  # the record kind in words: "Request", "Notice", "Action" …
    title: str
    url: str  # the record's page
    partnership: str  # the partnership's name
    due: datetime.date | None  # the day the step is due, if it has one
    status: str  # the record's status in words
    action: str  # the button's words: what the person does next
    action_url: str  # where the button leads
    note: str = ""  # a short remark beside the status ("Escalated: level 2", "Emergency")
    #: The button takes the step itself (POST to action_url, with status= this when given,
    #: and back to My work) rather than opening where the person takes it.
    posts: bool = False
    status_posted: str = ""


class Kind(NamedTuple):
    """A kind of row that can be more than the merged table shows (a lead's open actions):
    My work pages through it on its own (?kind=<key>), each page read with OFFSET … LIMIT
    from its ordered, scoped queryset. Its provider gives the first ROWS_PER_PROVIDER."""

    key: str  # in the URL: "actions"
    item_kind: str  # Item.kind of its rows: "Action"
    label: str  # in words, plural: "open actions you own"
    rows: Callable[..., list[Item]]  # (*, user, offset, limit) -> the rows of that window
    count: Callable[..., int]  # (*, user, cap) -> how many there are, counted up to cap


class Cut(NamedTuple):
    """A kind the merged table shows only the first rows of."""

    kind: Kind
    shown: int
    total: int  # counted up to COUNT_CAP
    more_than: bool  # the count stopped at COUNT_CAP


_providers: list[Callable[..., list[Item]]] = []
_kinds: list[Kind] = []


def register_kind(kind: Kind) -> None:
    """Add a pageable kind once (ready() may run twice in some test setups)."""
    if all(known.key != kind.key for known in _kinds):
        _kinds.append(kind)


def kind(key: str) -> Kind | None:
    return next((known for known in _kinds if known.key == key), None)


def cuts(found: list[Item], *, user) -> list[Cut]:
    """The kinds `found` (the merged items) holds only the first ROWS_PER_PROVIDER of, with
    their counts: one bounded count per kind that reached the limit, none otherwise."""
    result = []
    for known in _kinds:
        shown = sum(1 for item in found if item.kind == known.item_kind)
        if shown >= ROWS_PER_PROVIDER:
            total = known.count(user=user, cap=COUNT_CAP + 1)
            if total > shown:
                result.append(Cut(known, shown, min(total, COUNT_CAP), total > COUNT_CAP))
    return result


def register(provider: Callable[..., list[Item]]) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def _day(value) -> datetime.date | None:
    return value.date() if isinstance(value, datetime.datetime) else value


def items(*, user) -> list[Item]:
    """Every provider's items for `user`, the earliest due first; those without a date last,
    then by kind and title so the order is stable."""
    found = [item for provider in _providers for item in provider(user=user)]
    return sorted(found, key=lambda item: (item.due is None, _day(item.due) or datetime.date.max,
                                           item.kind, item.title.lower()))
