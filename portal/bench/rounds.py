"""Timing in rounds: each page right after the floor (floor, page, floor, page …), the first
rounds discarded, then the median and p95 of each, as milliseconds and as a ratio to the
floor's median — the machine's own speed and load divide out of the ratio."""

import math
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.utils.module_loading import import_string

#: The targets: every page under 10x the floor, p95 under 100 ms; each sweep under 10 s.
MAX_RATIO = 10
MAX_P95_MS = 100
MAX_SWEEP_S = 10


def load_plan():
    """The plan of the app at the top of the dependency chain that declares one (its
    `bench` module, metrics.bench): portal names no page of its own."""
    for app in reversed(settings.LOCKSTEP_APPS):
        name = f"{app}.bench"
        try:
            return import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    raise LookupError("no app declares a benchmark plan (<app>/bench.py)")


def percentile(samples: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest sample at or above `share` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Row:
    label: str
    samples: list[float] = field(default_factory=list)
    bytes: int = 0
    queries: int | None = None
    #: why the page left the rounds (an answer other than 200), if it did
    error: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples, 0.95) * 1000


def time_pages(pages, browsers: dict, floor: Callable, *, rounds: int, warmup: int):
    """(floor row, page rows): `browsers` maps each page's user to a logged-in Browser,
    `floor()` asks for the floor once. A page that answers anything but 200 leaves the
    rounds with its status in the table (the floor failing stops the run)."""
    floor_row = Row("floor (trivial template)")
    rows = [Row(page.label) for page in pages]
    for number in range(warmup + rounds):
        for page, row in zip(pages, rows, strict=True):
            if row.error:
                continue
            before = floor()
            if before.status != 200:
                raise RuntimeError(f"the floor answered {before.status}")
            response = browsers[page.user].get(page.path, htmx=page.htmx)
            if response.status != 200:
                row.error = f"HTTP {response.status} ({page.path} as {page.user})"
                continue
            if number >= warmup:
                floor_row.samples.append(before.seconds)
                row.samples.append(response.seconds)
                row.bytes, row.queries = len(response.body), response.queries
                floor_row.bytes, floor_row.queries = len(before.body), before.queries
    return floor_row, rows


def run_sweep(task: str, batches: list[list[int]]) -> dict:
    """A full sweep of the beat job `task`, synchronously in this process: its batch task
    (`<task>_batch`, partnership.sweeps) over every batch of partnerships, one after the
    other as one worker would take them — twice: the first run is the catch-up of whatever
    the set holds untold, the second the job's next run (what beat's hourly run finds).
    The seconds of each run, what the batches returned, their number and the slowest."""
    batch_task = import_string(f"{task}_batch")
    figures = {"batches": len(batches)}
    for run in ("first", "again"):
        took, told = [], 0
        for batch in batches:
            started = time.perf_counter()
            told += batch_task(batch) or 0
            took.append(time.perf_counter() - started)
        figures[run] = {"seconds": sum(took), "told": told, "slowest": max(took)}
    return figures


def load_average() -> str:
    try:
        with open("/proc/loadavg") as source:
            return " ".join(source.read().split()[:3])
    except OSError:
        return "unknown"


def machine() -> str:
    import os

    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as source:
            model = next((line.split(":", 1)[1].strip() for line in source
                          if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model})"


def commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=settings.BASE_DIR, capture_output=True,
                              text=True).stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{sha} (uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") \
        else sha


def page_table(floor_row: Row, rows: list[Row]) -> list[str]:
    floor = floor_row.median_ms
    lines = ["| page | median ms | p95 ms | × floor | bytes | queries | target |",
             "|---|---:|---:|---:|---:|---:|---|",
             f"| {floor_row.label} | {floor:.1f} | {floor_row.p95_ms:.1f} | 1.0 | "
             f"{floor_row.bytes:,} | {floor_row.queries} | (floor) |"]
    for row in rows:
        if not row.samples:
            lines.append(f"| {row.label} | | | | | | fail: {row.error or 'no sample'} |")
            continue
        ratio = row.median_ms / floor
        misses = [text for text, missed in ((f"≥ {MAX_RATIO}×", ratio >= MAX_RATIO),
                                            (f"p95 ≥ {MAX_P95_MS} ms",
                                             row.p95_ms >= MAX_P95_MS),
                                            (row.error, bool(row.error))) if missed]
        lines.append(f"| {row.label} | {row.median_ms:.1f} | {row.p95_ms:.1f} | {ratio:.1f} | "
                     f"{row.bytes:,} | {'' if row.queries is None else row.queries} | "
                     f"{'fail: ' + ', '.join(misses) if misses else 'pass'} |")
    return lines


def sweep_table(sweeps: list[tuple[str, str, dict | None]]) -> list[str]:
    """One row per sweep: its first run (the set's backlog) and its next run, each with its
    seconds, how many it told and its slowest batch; the target is checked on the next run
    (the hourly one), and the first run's figure is there to be read beside it."""
    lines = ["| sweep | task | batches | first run s (told; slowest batch s) | "
             "next run s (told; slowest batch s) | target (next run) |",
             "|---|---|---:|---|---|---|"]
    for label, task, figures in sweeps:
        name = f"`{task.rsplit('.', 1)[1]}`"
        if figures is None:
            lines.append(f"| {label} | {name} | | stopped unfinished (timeout) | | fail |")
            continue
        first, again = figures["first"], figures["again"]
        verdict = "pass" if again["seconds"] < MAX_SWEEP_S else f"fail: ≥ {MAX_SWEEP_S} s"
        lines.append(
            f"| {label} | {name} | {figures['batches']} | {first['seconds']:.2f} "
            f"({first['told']:,}; {first['slowest']:.2f}) | {again['seconds']:.2f} "
            f"({again['told']:,}; {again['slowest']:.2f}) | {verdict} |")
    return lines
