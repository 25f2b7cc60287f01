"""What global search looks through: each app registers the kinds of record it wants found.

The search page belongs to governance's overview, but programs, contracts and the records of
later apps are found there too; rather than list them by hand, each app registers here from
its AppConfig.ready() and the search reads this list. The registry imports no app.

A kind of record is found two ways, and shown by its `__str__`, `get_absolute_url()` and
`partnership`:
- by its `search_document` (a stored, GIN-indexed tsvector: whole words, the last one as a
  prefix), unless `full_text` is off;
- by the trigram similarity of what was typed to its `names`: the short texts people type
  from memory — numbers and codes (`DEV-2291`, `SOW-NWM-05`), titles, people's names — each
  a column (or expression) with a trigram GIN index (`partnership.search.trigram_index`),
  so that `2291`, or `velarimb` for Velarimab, finds it too;
- by the number it is quoted by (`REQ-0042`, `REQ-42` or `42` for request 42): `exact` turns
  what was typed into the condition of that record (None: no number typed), and such a match
  ranks above every other. Numbers like these are not trigram names: `REQ-0043` is a close
  near-miss of `REQ-0042`, so every record of the kind would be "similar".
`snippet_fields` name the text fields whose matching passage is shown under the title (none:
the title alone), and `noun` is how the search box's label names the kind ("Search programs,
… of your partnerships").
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Model, Q, QuerySet


@dataclass(frozen=True)
class Searchable:
    heading: str  # the group's heading on the results page, e.g. "Meetings"
    model: type[Model]  # whose `search_document` is matched
    records: Callable[..., QuerySet]  # (user) -> the records the user may see
    noun: str  # in the search box's label, e.g. "meetings"
    snippet_fields: tuple[str, ...] = ()
    names: tuple[str | Expression, ...] = ()  # matched by trigram word similarity
    full_text: bool = True  # the model has a `search_document`
    exact: Callable[[str], Q | None] | None = None  # (typed) -> the record it numbers


_searchables: list[Searchable] = []


def register(heading: str, *, model: type[Model], records: Callable[..., QuerySet],
             noun: str, snippet_fields: tuple[str, ...] = (),
             names: tuple[str | Expression, ...] = (), full_text: bool = True,
             exact: Callable[[str], Q | None] | None = None) -> None:
    """Add a kind of record once (ready() may run twice in some test setups); results are
    grouped in the order the kinds were registered."""
    if not full_text and not names:
        raise ValueError(f"{heading}: a kind is found by its search_document, its names or both")
    if any(entry.heading == heading for entry in _searchables):
        return
    _searchables.append(Searchable(heading, model, records, noun, tuple(snippet_fields),
                                   tuple(names), full_text, exact))


def searchables() -> tuple[Searchable, ...]:
    return tuple(_searchables)


def nouns() -> str:
    """What the search looks through, in words: "programs, contracts … and thank-yous"."""
    words = [entry.noun for entry in _searchables]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
