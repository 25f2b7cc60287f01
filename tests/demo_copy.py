"""The demo data for the tests that read it (the browser journeys, tests/test_demo_data.py):
seeded once a run, copied after that.

Seeding the demo takes most of a minute (thousands of statements through the services and
the audit trail's triggers). So the first test worker to seed it keeps a copy of every table
(COPY TO) and leaves it in the run's temporary folder for the others (their databases are
migrated alike, so the rows fit); a later fixture that needs the demo is given that copy
back (COPY FROM, the triggers off for it, as a restore from a dump does): the same rows, ids
and trail in a fraction of a second. A new day reseeds, since the demo is dated from the
day it is seeded.
"""

import contextlib
import fcntl
import io
import os
import pickle
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from tests.database import delete_statements, table_names

_snapshot: dict = {}


def _may_restore() -> bool:
    """Switching triggers off (session_replication_role) is for superusers: the test
    database's owner is one, here and in the embedded server; else each fixture seeds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def _take() -> dict[str, bytes]:
    copies = {}
    with connection.cursor() as cursor:
        for table in table_names():
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT",
                                      buffer)
            copies[table] = buffer.getvalue()
    return copies


def _restore(copies: dict[str, bytes]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # What was there (content types, permissions, an earlier test's rows) goes, then
        # every table is as it was seeded; no trigger runs (the trail's included).
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement in delete_statements(list(copies)):
            cursor.execute(statement)
        for table, data in copies.items():
            if data:
                cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(data))
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
        # Triggers on again at once: a caller inside a longer transaction (a module's
        # demo) goes on writing through them.
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    ContentType.objects.clear_cache()


def _uploads() -> Path | None:
    """This worker's folder of uploads, or None when they go to a bucket (which every
    worker shares)."""
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def _uploaded() -> set[Path]:
    root = _uploads()
    return {path for path in root.rglob("*") if path.is_file()} if root else set()


def _put_files(files: dict[str, bytes]) -> None:
    root = _uploads()
    for name, data in files.items() if root else ():
        target = root / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _shared_copy(tmp_path_factory, today) -> Path | None:
    """Where the test workers of one run (pytest-xdist) leave the copy for each other: the
    first to seed writes it, a later one restores it instead of seeding again. None when
    the run has one process."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    return tmp_path_factory.getbasetemp().parent / f"demo-{run}-{today.isoformat()}.pickle"


@contextlib.contextmanager
def _one_at_a_time(shared: Path | None):
    """Held while a worker seeds: another worker that needs the demo meanwhile waits for
    the copy instead of seeding it too (two seedings at once cost twice the processor for
    nothing)."""
    if shared is None:
        yield
        return
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def seed_or_restore(tmp_path_factory) -> None:
    """The demo in the database: today's copy of this run restored if there is one, else
    seeded (and the copy kept for the run's later fixtures)."""
    today = timezone.localdate()
    copying = _may_restore()
    shared = _shared_copy(tmp_path_factory, today) if copying else None
    with _one_at_a_time(shared):
        if _snapshot.get("day") != today and shared is not None and shared.exists():
            _snapshot.update(day=today, **pickle.loads(shared.read_bytes()))
        if _snapshot.get("day") == today:
            _restore(_snapshot["copies"])
            _put_files(_snapshot["files"])
            return
        before = _uploaded()
        call_command("seed_demo", verbosity=0)
        if copying:
            root = _uploads()
            files = {str(path.relative_to(root)): path.read_bytes()
                     for path in _uploaded() - before}
            _snapshot.update(day=today, copies=_take(), files=files)
            if shared is not None:  # written whole, then renamed: never read half-written
                partial = shared.with_suffix(f".{os.getpid()}")
                partial.write_bytes(pickle.dumps({"copies": _snapshot["copies"],
                                                  "files": files}))
                partial.replace(shared)
