"""Time pages rendered through the test client, in process: the cockpit, My work, the
start page, the partnership list, the bell, and global search and its type-ahead for
"batch" (the benchmark's search), with their query counts. For comparing a page before and
after a change on the same data (not the HTTP benchmark: no gunicorn, no network).

    PLAIN_HTTP_LOOPBACK=true .venv/bin/python tests/perf/render_timing.py \
        --email nora@northwind.example [--partnership PK] [--runs 50] [--profile cockpit]

Each page is rendered `--runs` times after two warm-up renders; the median and p95 of the
wall time are printed, with the queries of one render, the Python function calls of one
render (cProfile's count: the same under any load, unlike the times on a shared machine) and
the size of the response, and the model instances one render builds, by model (INSTANCES=1).
"""

import argparse
import os
import statistics
import sys
import time
from collections import Counter

sys.path.insert(0, os.getcwd())  # the checkout to time: run from its root
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PLAIN_HTTP_LOOPBACK", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models.signals import post_init  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from partnership.models import Partnership, User  # noqa: E402


def pages(user: User, partnership: Partnership) -> dict[str, str]:
    return {
        "cockpit": reverse("partnership:partnership_detail", args=[partnership.pk]),
        "my_work": reverse("governance:my_work"),
        "start": reverse("landing"),
        "partnerships": reverse("partnership:partnership_list"),
        "bell_count": reverse("portal:notification_bell"),
        "bell_preview": reverse("portal:notification_preview"),
        "quality_desk": reverse("governance:quality_desk"),
        "search": reverse("governance:search") + "?q=batch",
        "suggestions": reverse("governance:search_suggestions") + "?q=batch",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="nora@northwind.example")
    parser.add_argument("--partnership", type=int)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--profile", help="a page name: print a cProfile of its renders")
    args = parser.parse_args()
    user = User.objects.get(email=args.email)
    partnership = (Partnership.objects.get(pk=args.partnership) if args.partnership
                   else Partnership.objects.visible_to(user).order_by("pk").first())
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    print(f"user {user.email}, partnership {partnership.pk} {partnership}, runs {args.runs}")
    for name, url in pages(user, partnership).items():
        if args.only and name not in args.only:
            continue
        for _ in range(2):
            response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((sql, time.perf_counter() - start, params))

        built = Counter()

        def instance(sender, built=built, **kwargs):
            built[sender.__name__] += 1

        post_init.connect(instance, weak=False)
        with connection.execute_wrapper(count):
            response = client.get(url)
        post_init.disconnect(instance)
        import cProfile
        import pstats
        counter = cProfile.Profile()
        counter.enable()
        client.get(url)
        counter.disable()
        calls = pstats.Stats(counter).total_calls  # load-independent: Python work per render
        if args.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                client.get(url)
            profiler.disable()
            order = os.environ.get("PROFILE_SORT", "cumulative")
            pattern = os.environ.get("PROFILE_PATTERN",
                                     r"/(governance|partnership|metrics|portal|templates)/")
            pstats.Stats(profiler).sort_stats(order).print_stats(pattern, 70)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        sql_ms = sum(seconds for _sql, seconds, _params in queries) * 1000
        if os.environ.get("SHOW_SQL"):
            for sql, seconds, _params in queries:
                print(f"  {seconds * 1000:6.1f} ms  {sql[:300]}")
        if os.environ.get("EXPLAIN_MS"):  # the plans of the queries slower than that
            for sql, seconds, params in queries:
                if seconds * 1000 >= float(os.environ["EXPLAIN_MS"]):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) " + sql,
                                       params)
                        plan = "\n    ".join(row[0] for row in cursor.fetchall())
                    print(f"  {seconds * 1000:6.1f} ms  {sql}\n    {plan}")
        print(f"{name:13} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
              f"{len(queries):3d} queries ({sql_ms:5.1f} ms SQL)  {calls:7d} calls  "
              f"{len(response.content):8d} B  {sum(built.values()):5d} instances")
        if os.environ.get("INSTANCES"):
            print("  " + ", ".join(f"{model} {n}" for model, n in built.most_common()))


if __name__ == "__main__":
    main()
