"""The search document every searched record carries, and the trigram indexes of the names
and numbers people type, matched by the global search."""

import re
from collections.abc import Callable

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Expression, Q, Value
from django.db.models.functions import Concat


def search_document_field(title: str, *text: str) -> models.GeneratedField:
    """The document global search (governance.overview.selectors.search) matches a record by: its
    title weighted A, its other text B, in English.

    Stored (computed by PostgreSQL on every write) and GIN-indexed in each searched model's
    Meta, so a search finds its matches in the index and ranks them from the stored value:
    no row's text is parsed again at search time, however many rows match."""
    vector = SearchVector(title, weight="A", config="english")
    if text:
        vector = vector + SearchVector(*text, weight="B", config="english")
    return models.GeneratedField(expression=vector, output_field=SearchVectorField(),
                                 db_persist=True)


def trigram_index(field: str | Expression, name: str) -> GinIndex:
    """A trigram GIN index on one text column that global search matches by similarity
    (portal.registries.search `names`): `column %> 'typed'` reads it, so a near-miss or a
    bare number finds its rows in the index instead of comparing every row.
    An expression (a person's `full_name()`) is indexed as such, and matches a search that
    uses the same expression. Needs the pg_trgm extension (governance's pg_trgm migration)."""
    if isinstance(field, str):
        return GinIndex(fields=[field], opclasses=["gin_trgm_ops"], name=name)
    return GinIndex(OpClass(field, name="gin_trgm_ops"), name=name)


def full_name(prefix: str = "") -> Concat:
    """A person's first and last name as one text, as people type it ("Mei Tanaka"): the
    expression of the people's trigram index, and of the search that reads it (from a
    membership: prefix "user__")."""
    return Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name")


def number_typed(prefix: str) -> Callable[[str], Q | None]:
    """Global search's `exact` for records quoted as PREFIX and a number (REQ-0042): what
    people type for number 42 — "REQ-0042", "REQ-42", "req 42" or "42" — as the condition
    `number=42`; None when something else was typed."""
    pattern = re.compile(rf"(?:{re.escape(prefix)}[\s-]*)?0*(\d{{1,9}})", re.IGNORECASE)

    def exact(typed: str) -> Q | None:
        found = pattern.fullmatch(typed.strip())
        return Q(number=int(found.group(1))) if found else None

    return exact
