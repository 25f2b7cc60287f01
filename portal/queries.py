"""Query helpers that know no domain."""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """How many rows a correlated queryset holds, as a column: `(SELECT COUNT(*) …)`.

    Why not Count(): an aggregate adds a GROUP BY over every selected column, and a grouped
    list can no longer be read in an index's order — its first page sorts the whole
    partnership's rows. A correlated count is worked out for the rows of the page only."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)
