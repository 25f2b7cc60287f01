"""The search document every searched record carries, matched by the global search."""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models


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
