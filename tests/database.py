"""What the tests' emptying of the database shares: which tables hold rows.

PostgreSQL's TRUNCATE makes each table's files anew, which costs seconds across the ~150
tables however few rows they hold; DELETE of the few tables that hold rows costs a
fraction of a second.
"""

from django.db import connection


def table_names() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True,
                                                              include_views=False))


def tables_holding_rows(tables: list[str]) -> list[str]:
    """Those of `tables` with at least one row, in one query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables),
            tables)
        return [table for (table,) in cursor.fetchall()]


def delete_statements(tables: list[str]) -> list[str]:
    """DELETE of every row of those of `tables` that hold any."""
    quote = connection.ops.quote_name
    return [f"DELETE FROM {quote(table)}" for table in tables_holding_rows(tables)]
