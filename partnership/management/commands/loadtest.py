"""`manage.py loadtest` (`make load`): the load test, from a fresh clone to a table.

On a copy of the benchmark's database (portal.bench.database; the set built as `make bench`
builds it), it starts gunicorn as production runs it and a Celery worker for the jobs the
writes queue, both on 127.0.0.1 only, then runs Locust headless (tests/perf/locustfile.py)
once per number of users — many different people, each logging in and walking their day,
writes included — for a bounded time, and reports throughput, median, p95 and the error
rate of each run beside the targets (no errors, p95 under 300 ms at 200 users). The copy is
dropped at the end, so the benchmark's set stays as built.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from partnership.parties.models import Membership, User
from portal.bench import database as bench_database
from portal.bench import rounds as timing
from portal.bench.dataset import password_of, prepare
from portal.bench.http import Gunicorn

#: The targets at 200 users: no errors, p95 under this.
MAX_P95_MS = 300
#: The seats of one person the load test walks (their partnerships at random among these).
SEATS_PER_PERSON = 8


def people(count: int) -> list[dict]:
    """`count` different people with a seat, spread over the organizations (every n-th of
    those seated, ordered by id, so the same set gives the same people): e-mail, id, the
    partnerships they walk, and whether they write there."""
    seated = list(User.objects.filter(is_active=True, memberships__isnull=False).distinct()
                  .order_by("pk").values_list("pk", "email"))
    if not seated:
        raise CommandError("the database holds nobody with a seat: build a data set first")
    stride = max(1, len(seated) // count)
    chosen = (seated[::stride] + seated)[:count]
    seats: dict[int, list[tuple[int, str]]] = {}
    for user_id, partnership_id, role in Membership.objects.filter(
            user_id__in=[pk for pk, _ in chosen]).order_by("user_id", "partnership_id"
                                                           ).values_list(
            "user_id", "partnership_id", "role"):
        seats.setdefault(user_id, []).append((partnership_id, role))
    found = []
    for pk, email in chosen:
        mine = seats[pk]
        writing = [p for p, role in mine if role in Membership.WRITING_ROLES]
        found.append({"email": email, "id": pk, "writes": bool(writing),
                      "partnerships": (writing or [p for p, _ in mine])[:SEATS_PER_PERSON]})
    return found


def summary(stats_csv: Path) -> dict:
    """Locust's aggregated row: requests, failures, requests/s, median and p95 (ms), and the
    slowest pages by p95."""
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    pages = sorted((row for row in rows if row["Name"] != "Aggregated"),
                   key=lambda row: float(row["95%"] or 0), reverse=True)
    return {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "rps": float(total["Requests/s"]), "median": float(total["Median Response Time"]),
            "p95": float(total["95%"]),
            "slowest": [(row["Type"], row["Name"], float(row["95%"])) for row in pages[:5]]}


class Command(BaseCommand):
    help = "Load-test the portal with Locust through gunicorn and a Celery worker."

    def add_arguments(self, parser):
        parser.add_argument("--size", default=os.environ.get("SIZE") or "large",
                            choices=("demo", "tiny", "small", "large"))
        parser.add_argument("--users", default="50,200",
                            help="Concurrent users of each run, comma-separated.")
        parser.add_argument("--seconds", type=int, default=120, help="Length of each run.")
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("BENCH_WORKERS", "3")))
        parser.add_argument("--output", default=str(settings.DATA_DIR / "load"))
        parser.add_argument("--database", choices=("copy", "in-place"), default="copy",
                            help="Write on a copy of the benchmark's database, dropped at the "
                                 "end (the set stays as built), or on the database itself.")

    def handle(self, *args, size: str, users: str, seconds: int, workers: int, output: str,
               database: str, **options):
        in_place = database == "in-place"
        database = bench_database
        try:
            counts = [int(part) for part in users.split(",")]
        except ValueError:
            raise CommandError("--users takes numbers separated by commas, e.g. 50,200") from None
        if not counts or min(counts) < 1 or seconds < 10 or workers < 1:
            raise CommandError("--users at least 1, --seconds at least 10, --workers 1 or more")
        url = prepare(size, self.say)
        walkers = people(max(counts))
        copy = url
        if not in_place:
            connections.close_all()  # the copy needs the database to itself
            copy = database.with_name(url, f"{database.name_of(url)}_load")
            database.drop(copy)
            self.say("Copying the database for the load test (its writes stay in the copy) …")
            database.create(copy, template=database.name_of(url))
        queue = f"load-{os.getpid()}"
        env = {**os.environ, "DATABASE_URL": copy, "REDIS_URL": settings.REDIS_URL,
               "DEBUG": "false", "PLAIN_HTTP_LOOPBACK": "true", "CELERY_QUEUE": queue,
               "SESSION_IDLE_MINUTES": "60", "DJANGO_SETTINGS_MODULE": "portal.settings"}
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        started = datetime.now(UTC)
        runs = []
        with tempfile.NamedTemporaryFile("w", suffix=".json") as people_file:
            json.dump(walkers, people_file)
            people_file.flush()
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo",
                 "--queues", queue, "--loglevel", "WARNING"], env=env, cwd=settings.BASE_DIR)
            try:
                with Gunicorn(env, workers=workers, cwd=str(settings.BASE_DIR)) as server:
                    for count in counts:
                        self.say(f"Locust: {count} users for {seconds} s on "
                                 f"127.0.0.1:{server.port} …")
                        prefix = folder / f"{started:%Y%m%dT%H%M%SZ}-u{count}"
                        subprocess.run(
                            [sys.executable, "-m", "locust", "-f",
                             str(settings.BASE_DIR / "tests" / "perf" / "locustfile.py"),
                             "--headless", "--users", str(count),
                             "--spawn-rate", str(max(1, count // 10)),
                             "--run-time", f"{seconds}s", "--stop-timeout", "10",
                             "--reset-stats",  # the figures begin once every user walks
                             "--host", f"http://127.0.0.1:{server.port}",
                             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                            env={**env, "LOAD_PEOPLE": people_file.name,
                                 "LOAD_PASSWORD": password_of(size)},
                            cwd=settings.BASE_DIR, check=False)
                        runs.append((count, summary(Path(f"{prefix}_stats.csv"))))
            finally:
                worker.terminate()
                worker.wait(timeout=60)
                if not in_place:
                    database.drop(copy)
        report = self.report(size=size, seconds=seconds, workers=workers, runs=runs,
                             started=started, people=len(walkers), in_place=in_place)
        (folder / f"{started:%Y%m%dT%H%M%SZ}.md").write_text(report)
        (folder / "latest.md").write_text(report)
        self.stdout.write(report)

    def say(self, text: str) -> None:
        self.stderr.write(text)

    def report(self, *, size, seconds, workers, runs, started, people, in_place) -> str:
        lines = [f"# Lockstep load test, {started:%Y-%m-%d %H:%M} UTC", "",
                 f"- Command: `make load SIZE={size}` (`manage.py loadtest --size {size} "
                 f"--users {','.join(str(count) for count, _ in runs)} --seconds {seconds}`)",
                 f"- Commit {timing.commit()}; machine: {timing.machine()}",
                 f"- gunicorn, {workers} sync workers, and one Celery worker, on 127.0.0.1, "
                 f"on {'the' if in_place else 'a copy of the'} `{size}` set; {people} "
                 "different people, each logging "
                 "in and walking pages and writes with 1–4 s between steps (Locust)",
                 f"- Targets: no errors, p95 under {MAX_P95_MS} ms at 200 users", "",
                 "| users | requests | req/s | median ms | p95 ms | errors | target | "
                 "slowest by p95 |", "|---|---|---|---|---|---|---|---|"]
        for count, run in runs:
            errors = run["failures"] / run["requests"] if run["requests"] else 1
            meets = run["failures"] == 0 and run["p95"] < MAX_P95_MS
            slowest = "; ".join(f"{kind} {name} {p95:.0f}" for kind, name, p95 in run["slowest"])
            lines.append(f"| {count} | {run['requests']:,} | {run['rps']:.1f} | "
                         f"{run['median']:.0f} | {run['p95']:.0f} | {run['failures']} "
                         f"({errors:.1%}) | {'pass' if meets else 'FAIL'} | {slowest} |")
        return "\n".join(lines) + "\n"
