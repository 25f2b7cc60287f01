"""Links that apps add to the top bar (DESIGN §8) for the people they concern only.

Whether a link concerns someone is read from their partnerships: the app hands a condition
on Partnership rows ("holds a QA lead's seat there"), and the link shows when at least one
of the person's partnerships meets it. Each condition becomes one uncorrelated EXISTS over
the person's partnerships, annotated on the query the top bar already runs for its few
partnerships (the switcher): PostgreSQL evaluates it once per query and stops at the first
partnership that meets it, so no page pays a query for the links, and none reads every one
of a sponsor's hundreds of partnerships for them. `portal` knows no app: apps register
from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url_name: str
    #: user -> a boolean expression on Partnership rows: the link shows to someone with at
    #: least one partnership where it holds
    condition: Callable[..., object]

    @property
    def check_name(self) -> str:
        return f"nav_{self.key}"


_links: list[Link] = []


def register(link: Link) -> None:
    """Add a link once (ready() may run twice in some test setups)."""
    if all(known.key != link.key for known in _links):
        _links.append(link)


def checks(user, partnerships) -> dict:
    """{name: EXISTS} for every registered link: whether one of `partnerships` (the user's,
    scoped) meets its condition. Annotate them on any query of the user's partnerships."""
    return {link.check_name: Exists(partnerships.order_by().annotate(
        nav_condition=link.condition(user)).filter(nav_condition=True))
        for link in _links}


def links(rows) -> list[Link]:
    """The links shown to the person whose partnership rows (annotated with `checks`) these
    are, in registry order: every row carries the same answers, so the first one says."""
    first = next(iter(rows), None)
    if first is None:
        return []
    return [link for link in _links if getattr(first, link.check_name, False)]
