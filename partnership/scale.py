"""The scale data set's plumbing (manage.py seed_scale): sizes, seeded random
sources, fast loading by COPY with ids chosen here, the audit trail's events of a load, and
the manifest the benchmark reads.

Each app seeds its own records (partnership: seed_scale; governance: seed_scale_governance;
metrics: seed_scale_metrics) into an empty migrated database, in one transaction, and finds
what the earlier apps made in the database (no import of a later app).

Deterministic: every part draws from its own `random.Random` seeded by its name, dates are
counted from today (the same rows on the same day), and ids are chosen here from the
table's largest id, not from its sequence — so two builds into the same empty database
(or into one rolled back) give the same ids too.

The audit trail: the tables' history triggers are switched off during the load (one row
trigger per inserted row would double its time and date every event "now"), and each loaded
row gets its "insert" event afterwards in one INSERT … SELECT per table, dated at the row's
own creation and carrying the context a command's writes carry (door, command, user) — so
the history pages read five years of creations, as they would after five years of use.
"""

import datetime
import io
import json
import random
import time
import uuid
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, models

#: The record counts of each size (large: a large sponsor's portal; small: about 1/100 of it;
#: tiny: seconds, for the test of the generator).
SIZES = {
    "large": {"sponsors": 20, "cdmos": 120, "sites": 400, "partnerships": 600,
              "big_sponsor_partnerships": 60, "users": 3000, "meetings": 60_000,
              "actions": 300_000, "requests": 80_000, "audits": 6_000, "findings": 30_000,
              "deviations": 20_000, "batches": 50_000, "measurements": 1_000_000,
              "comments": 150_000, "notifications": 300_000, "computed_periods": 1,
              "nightly_job": False, "heavy_weight": 30},
    "small": {"sponsors": 4, "cdmos": 12, "sites": 40, "partnerships": 30,
              "big_sponsor_partnerships": 12, "users": 300, "meetings": 600,
              "actions": 3_000, "requests": 800, "audits": 60, "findings": 300,
              "deviations": 200, "batches": 500, "measurements": 10_000,
              "comments": 1_500, "notifications": 3_000, "computed_periods": 2,
              "nightly_job": True, "heavy_weight": 6},
    "tiny": {"sponsors": 2, "cdmos": 3, "sites": 5, "partnerships": 4,
             "big_sponsor_partnerships": 3, "users": 40, "meetings": 40, "actions": 160,
             "requests": 80, "audits": 30, "findings": 60, "deviations": 30, "batches": 40,
             "measurements": 400, "comments": 60, "notifications": 80,
             "computed_periods": 1, "nightly_job": True, "heavy_weight": 2},
}
PASSWORD = "lockstep-demo"
YEARS = 5
CONTEXT = {"door": "command", "command": "seed_scale",
           "reason": "Generated data set (manage.py seed_scale)"}


def rng(part: str) -> random.Random:
    """The random source of one part of the build: the same draws on every run."""
    return random.Random(f"lockstep-scale-15/{part}")


def today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def anchor() -> datetime.datetime:
    """Today's midnight (UTC): every moment of the build counts from it."""
    return datetime.datetime.combine(today(), datetime.time(0), tzinfo=datetime.UTC)


def past_moment(r: random.Random, *, days: float = 365 * YEARS, before: float = 0.0,
                skew: float = 1.0) -> datetime.datetime:
    """A moment between `days` and `before` days ago (skew > 1 leans to recent ones), on
    the minute. The day before the build at the latest: nothing is "in a minute"."""
    ago = before + (days - before) * (r.random() ** skew)
    moment = anchor() - datetime.timedelta(days=ago)
    return min(moment.replace(second=0, microsecond=0),
               anchor() - datetime.timedelta(hours=1))


def make_uuid(r: random.Random) -> uuid.UUID:
    return uuid.UUID(int=r.getrandbits(128), version=4)


def weighted(r: random.Random, table: dict):
    """One key of {key: weight}."""
    return r.choices(list(table), weights=list(table.values()))[0]


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders; the sum is exact)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])[
            :total - sum(counts)]:
        counts[i] += 1
    return counts


# --- loading -------------------------------------------------------------------------------

def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def _text(value) -> str:
    """A value as COPY's text format writes it (by type, the common ones first)."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return _escaped(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime.datetime or kind is datetime.date or kind is datetime.time:
        return value.isoformat()
    if kind is Decimal:
        return format(value, "f")
    if kind is list:
        return "{" + ",".join('"' + str(v).replace('"', r'\"') + '"' for v in value) + "}"
    if kind is dict:
        return _escaped(json.dumps(value))
    return _escaped(str(value))


class Table:
    """The rows of one table, loaded by COPY in large batches. `add(**columns)` returns the
    row's id (chosen here: the table's largest id + 1, + 1 …); the columns not given take
    the model's default (a callable default must be given, as must `created_at`)."""

    BATCH = 50_000

    def __init__(self, model: type[models.Model], loader: "Loader"):
        self.model, self.loader = model, loader
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields
                  if not isinstance(f, models.GeneratedField)]
        self.columns = [f.column for f in fields]
        self.defaults = {}
        for f in fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.column] = f.default
            elif f.has_default() and f.default is list:
                self.defaults[f.column] = []
            elif f.null:
                self.defaults[f.column] = None
            elif isinstance(f, models.CharField | models.TextField) and f.blank:
                self.defaults[f.column] = ""
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')
            self.first = self.next = cursor.fetchone()[0] + 1
        self.rows: list[str] = []
        self.count = 0

    def add(self, **values) -> int:
        pk = values.setdefault("id", self.next)
        self.next = max(self.next, pk + 1)
        row = {**self.defaults, **values}
        try:
            self.rows.append("\t".join([_text(row[c]) for c in self.columns]))
        except KeyError as missing:
            raise ValueError(f"{self.table}: no value for {missing}") from None
        self.count += 1
        if len(self.rows) >= self.BATCH:
            self.flush()
        return pk

    def reserve(self, count: int) -> int:
        """The first of `count` ids for rows written by SQL (INSERT … SELECT), which then
        calls `written()`."""
        first = self.next
        self.next += count
        self.count += count
        return first

    def written(self) -> None:
        """The sequence past every id given (the app's own writes come after them)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                           [self.table, self.next - 1])

    def flush(self) -> None:
        if not self.rows:
            return
        data = io.StringIO("\n".join(self.rows) + "\n")
        self.rows = []
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f'COPY "{self.table}" ({", ".join(map(connection.ops.quote_name, self.columns))})'
                " FROM STDIN", data)
        self.written()


class Loader:
    """The tables of a build: `loader[Model].add(...)`, `flush()` at the end of a part."""

    def __init__(self):
        self.tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self)
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()


class Timer:
    """Prints how long each part of the build took."""

    def __init__(self, out):
        self.out, self.started, self.parts = out, time.monotonic(), []

    def part(self, name: str):
        timer = self

        class _Part:
            def __enter__(self):
                self.t = time.monotonic()

            def __exit__(self, *exc):
                if exc[0] is None:
                    took = time.monotonic() - self.t
                    timer.parts.append((name, took))
                    timer.out.write(f"  {name:<38} {took:7.1f} s")
        return _Part()


# --- the audit trail -----------------------------------------------------------------------

def history_tables() -> list[str]:
    """The tables with history triggers (not the event tables themselves)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c "
                       "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND "
                       "t.tgname LIKE 'pgtrigger_insert_insert%%'")
        return sorted(row[0] for row in cursor.fetchall())


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def history_triggers(enabled: bool) -> bool:
    """Switch the history triggers of the audited tables off (the load) or on again; inside
    the build's transaction, so a failed build leaves them on.

    As a superuser (the embedded server's, a developer's or the benchmark's database) the
    whole load runs as a replica (`session_replication_role`): no trigger fires, the
    foreign keys' checks included — millions of one-row checks, two minutes of the large
    build — and `check_foreign_keys` checks them instead, one anti-join per key. Otherwise
    the history triggers are disabled table by table and the keys checked as usual, at the
    end (they are deferred). Returns whether the keys still need checking."""
    with connection.cursor() as cursor:
        if _superuser():
            cursor.execute(f"SET LOCAL session_replication_role = "
                           f"{'DEFAULT' if enabled else 'replica'}")
            return True
        if enabled:  # the deferred foreign-key checks first: ALTER waits for none pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in history_tables():
            cursor.execute(f'ALTER TABLE "{table}" {"ENABLE" if enabled else "DISABLE"} '
                           "TRIGGER USER")
    return False


def check_foreign_keys(loader: "Loader") -> int:
    """Every foreign key of the loaded rows points at a row (what the skipped checks would
    have said): one anti-join per key; raises ValueError naming the first broken one.
    Returns how many keys were checked."""
    quote = connection.ops.quote_name
    checked = 0
    with connection.cursor() as cursor:
        for table in loader.tables.values():
            if not table.count:
                continue
            for field in table.model._meta.concrete_fields:
                if not field.is_relation or not field.db_constraint:
                    continue
                target = field.related_model._meta
                cursor.execute(
                    f"SELECT c.id FROM {quote(table.table)} c WHERE c.id >= %s AND "
                    f"c.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{quote(target.db_table)} t WHERE t.{quote(field.target_field.column)}"
                    f" = c.{quote(field.column)}) LIMIT 1", [table.first])
                broken = cursor.fetchone()
                if broken:
                    raise ValueError(f"{table.table}.{field.column} of row {broken[0]} "
                                     "points at no row")
                checked += 1
    return checked


def event_pairs() -> list[tuple[type[models.Model], type[models.Model]]]:
    """(event model, tracked model) of every audited table (partnership.history)."""
    pairs = []
    for model in apps.get_models():
        names = {field.name for field in model._meta.fields}
        if model.__name__.endswith("Event") and {"pgh_id", "pgh_label"} <= names:
            tracked = model._meta.get_field("pgh_obj").related_model if "pgh_obj" in names \
                else None
            if tracked is None:  # a link table's events keep no object: by name
                tracked = apps.get_model(model._meta.app_label,
                                         model.__name__[:-len("Event")])
            pairs.append((model, tracked))
    return pairs


def insert_events(loader: Loader) -> int:
    """An "insert" event for each row the build loaded into an audited table, dated at the
    row's creation (its parent's moment for a link row: now), by its author where it has
    one. Returns how many."""
    quote = connection.ops.quote_name
    loaded = {table.table: table for table in loader.tables.values() if table.count}
    written = 0
    with connection.cursor() as cursor:
        for event, tracked in event_pairs():
            table = loaded.get(tracked._meta.db_table)
            if table is None:
                continue
            columns = [f.column for f in event._meta.local_fields
                       if not f.name.startswith("pgh_")]
            names = {f.column for f in tracked._meta.concrete_fields}
            has_object = any(f.name == "pgh_obj" for f in event._meta.fields)
            when = "t.created_at" if "created_at" in names else "now()"
            user = "t.created_by_id" if "created_by_id" in names else "NULL"
            into = ["pgh_created_at", "pgh_label", "pgh_context",
                    *(["pgh_obj_id"] if has_object else []), *columns]
            values = [when, "'insert'",
                      f"%s::jsonb || jsonb_build_object('user', {user})",
                      *(['t."id"'] if has_object else []),
                      *(f"t.{quote(c)}" for c in columns)]
            cursor.execute(
                f"INSERT INTO {quote(event._meta.db_table)} ({', '.join(map(quote, into))}) "
                f"SELECT {', '.join(values)} FROM {quote(tracked._meta.db_table)} t "
                "WHERE t.id >= %s", [json.dumps(CONTEXT), table.first])
            written += cursor.rowcount
    return written


# --- the manifest --------------------------------------------------------------------------

def manifest_path(size: str) -> Path:
    return Path(settings.DATA_DIR) / "scale" / f"{size}.json"


def write_manifest(size: str, manifest: dict) -> Path:
    path = manifest_path(size)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


class PartCommand(BaseCommand):
    """An app's part of the build (seed_scale_governance, seed_scale_metrics): called by
    the part before it, inside its transaction, with its loader and timer."""

    stealth_options = ("loader", "timer")

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small")
