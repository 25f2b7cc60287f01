"""Links that apps add to the top bar (DESIGN §8) for the people they concern only.

Whether a link concerns someone is read from their partnerships: the app hands a
per-partnership annotation, added to the query the top bar already runs for the partnership
switcher (so no page pays a query for it), and a test of the annotated rows. `portal`
knows no app: apps register from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url_name: str
    #: user -> {name: expression on Partnership rows}
    annotate: Callable[..., dict]
    #: the user's annotated partnerships -> whether the link shows
    shown: Callable[[list], bool]


_links: list[Link] = []


def register(link: Link) -> None:
    """Add a link once (ready() may run twice in some test setups)."""
    if all(known.key != link.key for known in _links):
        _links.append(link)


def annotations(user) -> dict:
    """The annotations every registered link asks of the user's partnerships."""
    return {name: expression for link in _links
            for name, expression in link.annotate(user).items()}


def links(partnerships) -> list[Link]:
    """The links shown to someone with these (annotated) partnerships, in registry order."""
    return [link for link in _links if link.shown(partnerships)]
