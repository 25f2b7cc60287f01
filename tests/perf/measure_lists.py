"""Figures of the main lists on a seed_scale set (docs/lists-at-scale.md). Not a test.

For the heavy lead of the set (its manifest's `heavy_lead_email`) in partnership 1 and
across all of their partnerships: each list's first page (median wall time through the
ORM, and PostgreSQL's execution time with the plan's first scan), the bounded count and a
full COUNT(*); then a few first pages with and without their index (dropped inside a
transaction that is rolled back). Run on a database built by `seed_scale --size large`:

    .venv/bin/python manage.py shell -c \
        "from tests.perf import measure_lists; measure_lists.main()"
"""

import statistics
import time

from django.db import connection, transaction

from governance.actions.filters import ActionItemFilter
from governance.actions.selectors import action_item_list
from governance.requests.filters import RequestFilter
from governance.requests.selectors import request_list
from partnership.models import Partnership, User
from portal.pagination import BoundedPaginator
from tests.perf.test_indexes import LISTS, first_page, orderings

HEAVY_LEAD = "lead1@sponsor01.example"


def timed(function, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def explain(queryset) -> tuple[float, str]:
    """PostgreSQL's execution time (ms) and the plan down its first branch to a scan."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]
    shape, node = [], plan["Plan"]
    while True:
        kind = node["Node Type"]
        if "Sort" in kind or "Scan" in kind or "Append" in kind:
            shape.append(f"{kind}({node.get('Index Name') or node.get('Relation Name', '')})")
        if "Scan" in kind or not node.get("Plans"):
            break
        node = node["Plans"][0]
    return plan["Execution Time"], " > ".join(shape)


def lists(user, partnership) -> None:
    cases = [(name, selector, filterset, ordering, partnership)
             for name, selector, filterset in LISTS for ordering in orderings(filterset)[:3]]
    cases += [(f"{name} (all)", selector, filterset, "", None)
              for name, selector, filterset in LISTS]
    print(f"{'list':22} {'sort':10} {'rows':>7} {'page ms':>8} {'exec ms':>8} "
          f"{'bounded':>8} {'count(*)':>8}  plan")
    for name, selector, filterset, ordering, scope in cases:
        page = first_page(selector, filterset, user=user, partnership=scope, ordering=ordering)
        rows = selector(user=user, partnership=scope) if scope else selector(user=user)
        executed, shape = explain(page)
        print(f"{name:22} {ordering or 'default':10} {rows.order_by().count():7d} "
              f"{timed(lambda page=page: list(page.all())):8.1f} {executed:8.1f} "
              f"{timed(lambda rows=rows: BoundedPaginator(rows, 25).count, 3):8.1f} "
              f"{timed(lambda rows=rows: rows.order_by().count(), 3):8.1f}  {shape[:90]}")


class Rollback(Exception):
    pass


def without_indexes(user, partnership) -> None:
    checks = [
        ("actions, one partnership, ?ordering=due", action_item_list, ActionItemFilter, "due",
         partnership, ["action_by_due", "action_all_by_due"]),
        ("actions, all partnerships, default", action_item_list, ActionItemFilter, "", None,
         ["action_all_by_due", "action_by_due"]),
        ("requests, one partnership, ?ordering=-sent", request_list, RequestFilter, "-sent",
         partnership, ["request_by_sent", "request_all_by_sent"]),
        ("requests, all partnerships, default", request_list, RequestFilter, "", None,
         ["request_all_by_sent", "request_by_sent"]),
        ("requests, one partnership, ?ordering=status", request_list, RequestFilter, "status",
         partnership, ["request_by_status"]),
    ]
    for label, selector, filterset, ordering, scope, indexes in checks:
        page = first_page(selector, filterset, user=user, partnership=scope, ordering=ordering)
        with_index = min(explain(page.all())[0] for _ in range(3))
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for index in indexes:
                        cursor.execute(f'DROP INDEX "{index}"')
                without, shape = min(explain(page.all()) for _ in range(3))
                raise Rollback
        except Rollback:
            pass
        print(f"{label:45} with: {with_index:6.1f} ms  without: {without:6.1f} ms  ({shape})")


def main() -> None:
    user = User.objects.get(email=HEAVY_LEAD)
    partnership = Partnership.objects.get(pk=1)
    lists(user, partnership)
    without_indexes(user, partnership)
