"""What awaits a person across their partnerships (DESIGN §8, My work): ONE table whose rows
every app adds for the records it owns. My work belongs to `governance`, which may not
import `metrics`; the apps register a provider here from their AppConfig.ready().

A provider is `provider(*, user) -> list[Item]`: the items awaiting `user` that he can act
on, at most ROWS_PER_PROVIDER of them, read through its app's selectors (DESIGN §2) in a
fixed number of queries however much there is. `items()` merges them by due date, so the
page costs the same number of queries whatever the person has on his plate.
"""

import datetime
from collections.abc import Callable
from typing import NamedTuple

#: The most items one provider gives: the page pages through what the providers return, and
#: each record kind's own list holds the rest.
ROWS_PER_PROVIDER = 50


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


_providers: list[Callable[..., list[Item]]] = []


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
