"""`manage.py bench` (`make bench`): the benchmark, from a fresh clone to a table.

On the server of DATABASE_URL (or the embedded one when unset) it uses a database of its own
(portal.bench.database), migrates it, builds the data set there when missing, collects the
static files, starts gunicorn as production runs it (DEBUG off, the production image's
workers) on a free port of 127.0.0.1, logs in over HTTP as each person of the plan, times
each page in rounds interleaved with the floor, stops gunicorn, then times each sweep in a
process of its own on a copy of the database (so every run finds the same work), and
writes the table to var/bench/<timestamp>.md and var/bench/latest.md.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.urls import reverse

from portal.bench import database
from portal.bench import rounds as timing
from portal.bench.dataset import password_of, prepare
from portal.bench.http import Browser, Gunicorn

SIZES = ("demo", "tiny", "small", "large")
SWEEP_QUEUE = "bench-sweeps"


class Command(BaseCommand):
    help = "Benchmark the pages and the sweeps through gunicorn on a data set."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default=os.environ.get("SIZE") or "large",
                            help="The data set: seed_scale's sizes, or the demo (default: "
                                 "$SIZE, else large).")
        parser.add_argument("--rounds", type=int, default=30, help="Measured rounds.")
        parser.add_argument("--warmup", type=int, default=5, help="Rounds discarded first.")
        # The production image runs three (Dockerfile, docker-compose.yml): 2 cores + 1.
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("BENCH_WORKERS", "3")))
        parser.add_argument("--sweeps", choices=("copy", "in-place", "skip"), default="copy",
                            help="Time the sweeps on a copy of the database (each run finds "
                                 "the same work), on the database itself (a second run finds "
                                 "less to do), or not at all.")
        parser.add_argument("--sweep-timeout", type=int, default=600, help=(
            "Stop a sweep after this many seconds (its row says so)."))
        parser.add_argument("--output", default=str(settings.DATA_DIR / "bench"))
        parser.add_argument("--sweep", help=(
            "Internal: run this one task's full sweep here and print its time as JSON."))

    def handle(self, *args, size, rounds: int, warmup: int, workers: int, sweeps: str,
               sweep_timeout: int, output: str, sweep: str | None, **options):
        if sweep:
            batches = timing.load_plan().sweep_batches()
            self.stdout.write(json.dumps(timing.run_sweep(sweep, batches)))
            return
        if rounds < 1 or warmup < 0 or workers < 1:
            raise CommandError("--rounds and --workers must be at least 1, --warmup 0 or more")
        url = prepare(size, self.say)
        module = timing.load_plan()
        plan = module.plan()
        password = password_of(size)
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL,
               "DEBUG": "false", "PLAIN_HTTP_LOOPBACK": "true",
               "SESSION_IDLE_MINUTES": "60", "DJANGO_SETTINGS_MODULE": "portal.settings"}
        load_before = timing.load_average()
        started = datetime.now(UTC)
        connections.close_all()  # the copy for the sweeps needs the database to itself
        with Gunicorn(env, workers=workers, cwd=str(settings.BASE_DIR)) as server:
            self.say(f"gunicorn ({workers} workers) on 127.0.0.1:{server.port}; "
                     f"{len(plan.pages)} pages × {warmup + rounds} rounds …")
            browsers = {}
            for email in dict.fromkeys(page.user for page in plan.pages):
                browsers[email] = Browser(server.port)
                browsers[email].login(email, password, reverse("login"))
            anonymous, floor = Browser(server.port), reverse("floor")
            floor_row, rows = timing.time_pages(
                plan.pages, browsers, lambda: anonymous.get(floor),
                rounds=rounds, warmup=warmup)
        load_pages = timing.load_average()
        swept = [] if sweeps == "skip" else self.sweeps(module.SWEEPS, url, sweeps, env,
                                                            sweep_timeout)
        report = self.report(
            size=size, url=url, plan=plan, floor_row=floor_row, rows=rows, swept=swept,
            sweeps=sweeps, workers=workers, rounds=rounds, warmup=warmup, started=started,
            loads=(load_before, load_pages, timing.load_average()))
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{started:%Y%m%dT%H%M%SZ}.md"
        path.write_text(report)
        (folder / "latest.md").write_text(report)
        self.stdout.write(report)
        self.say(f"Written to {path} and {folder / 'latest.md'}")

    def say(self, text: str) -> None:
        self.stderr.write(text)

    def sweeps(self, tasks: dict[str, str], url: str, how: str, env: dict,
               sweep_timeout: int) -> list:
        target = url
        if how == "copy":
            target = database.with_name(url, f"{database.name_of(url)}_sweeps")
            database.drop(target)
            self.say("Copying the database for the sweeps …")
            try:
                database.create(target, template=database.name_of(url))
            except psycopg2.errors.ObjectInUse as error:
                raise CommandError(
                    f"{database.name_of(url)} cannot be copied while another process is "
                    "connected to it (a load test, a demo?): stop it, or run the sweeps on "
                    "the database itself (--sweeps in-place)") from error
        sweep_env = {**env, "DATABASE_URL": target, "CELERY_QUEUE": SWEEP_QUEUE}
        results = []
        try:
            for label, task in tasks.items():
                self.say(f"Sweep: {label} …")
                try:
                    done = subprocess.run(
                        [sys.executable, "manage.py", "bench", "--sweep", task],
                        env=sweep_env, cwd=settings.BASE_DIR, capture_output=True, text=True,
                        timeout=sweep_timeout)
                except subprocess.TimeoutExpired:
                    results.append((label, task, None))
                    continue
                if done.returncode:
                    raise CommandError(f"the sweep {task} failed:\n{done.stderr[-3000:]}")
                results.append((label, task, json.loads(done.stdout.strip().splitlines()[-1])))
        finally:
            # The e-mails the sweeps queued are nobody's: no worker serves their queue.
            redis.Redis.from_url(settings.REDIS_URL).delete(SWEEP_QUEUE)
            if how == "copy":
                database.drop(target)
        return results

    def report(self, *, size, url, plan, floor_row, rows, swept, sweeps, workers, rounds,
               warmup, started, loads) -> str:
        counts = ", ".join(f"{name} {count:,}" for name, count in plan.counts.items())
        cast = ", ".join(f"{role}: {who}" for role, who in plan.cast.items())
        where = {"copy": "on a copy of the database, so every run finds the same work",
                 "in-place": "on the database itself: a second run finds less to do"}
        lines = [
            f"# Lockstep benchmark, {started:%Y-%m-%d %H:%M} UTC", "",
            f"- Command: `make bench SIZE={size}` (`manage.py bench --size {size} "
            f"--rounds {rounds} --warmup {warmup} --workers {workers}`)",
            f"- Commit {timing.commit()}; data set `{size}` in database "
            f"`{database.name_of(url)}`",
            f"- Machine: {timing.machine()}; load average (1, 5, 15 min) before "
            f"{loads[0]}, after the pages {loads[1]}, after the sweeps {loads[2]}",
            f"- Server: gunicorn, {workers} sync workers, DEBUG off, plain HTTP on 127.0.0.1; "
            f"each page asked right after the floor, {warmup} rounds discarded, {rounds} "
            "measured; times from the request sent to the body read",
            f"- Data set: {counts}", f"- Cast: {cast}", "",
            f"Targets: every page under {timing.MAX_RATIO}× the floor's "
            f"median and p95 under {timing.MAX_P95_MS} ms; floor median "
            f"{floor_row.median_ms:.1f} ms.", "",
            *timing.page_table(floor_row, rows), ""]
        if swept:
            lines += [f"Sweeps (each a full run of its beat job, every batch of partnerships one "
                      f"after the other as one worker would take them, in a process of its "
                      f"own, {where[sweeps]}; then run again, as beat's next run finds it; "
                      f"target under {timing.MAX_SWEEP_S} s):", "",
                      *timing.sweep_table(swept), ""]
        return "\n".join(lines)

