"""Fixtures shared by every test: the named world, logged-in clients, the browser."""

import contextlib
import os

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.world import build_world

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session", autouse=True)
def _test_settings(django_test_environment, tmp_path_factory):
    """Whitenoise's manifest needs collectstatic, so tests serve static files plainly; a fast
    password hasher, since every test world hashes several passwords; uploads in a folder
    of the run — unless the settings send them to a bucket (S3_BUCKET), which the tests then
    use as it is. For the whole session, so worlds built once per module get them too."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.STORAGES["default"]
    if default["BACKEND"] == "portal.storage.PrivateFileSystemStorage":
        default = {**default, "OPTIONS": {"location": str(tmp_path_factory.mktemp("media"))}}
    override = override_settings(
        STORAGES={**settings.STORAGES,
                  "staticfiles": {
                      "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                  "default": default},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database need not outlive a crash, so its commits do not wait for the disk
    (synchronous_commit off, for every connection the tests open): the transactional tests,
    which commit each row they write, feel it most."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
        cursor.execute("SET synchronous_commit = off")


@pytest.fixture(scope="session", autouse=True)
def _quick_flush(django_test_environment):
    """Between transactional tests (browser, jobs) Django empties every table with one
    TRUNCATE of all of them, which costs seconds however few rows they hold. Here the
    tests' flush, and only it, deletes the rows of the tables that hold any
    (tests.database), in one transaction, past every trigger: the audit trail's event tables refuse
    deletes (partnership.history.tracking), and no delete is an event to record."""
    import pgtrigger
    from django.core.management.commands import flush

    from tests.database import delete_statements, table_names

    every_trigger = [f"{model._meta.label}:{trigger.name}"
                     for model, trigger in pgtrigger.registered()]

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        sequences = connection.ops.sequence_reset_by_name_sql(
            style, connection.introspection.sequence_list()) if reset_sequences else []
        return past_foreign_keys(connection) + delete_statements(table_names()) + sequences

    def past_foreign_keys(connection) -> list[str]:
        """A superuser (the test database's owner, here and in the embedded server) empties
        the tables with no trigger at all, the foreign keys' checks included, as a restore
        from a dump does: every row goes, so none is left pointing at a deleted one. The
        checks of the demo's rows cost most of a second per browser journey."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
        return ["SET LOCAL session_replication_role = replica"] if superuser else []

    def handle_past_triggers(self, *args, **options):
        with pgtrigger.ignore(*every_trigger):
            return handle(self, *args, **options)

    handle, truncate = flush.Command.handle, flush.sql_flush
    flush.Command.handle, flush.sql_flush = handle_past_triggers, sql_flush
    yield
    flush.Command.handle, flush.sql_flush = handle, truncate


@pytest.fixture(scope="session", autouse=True)
def _static_root(django_test_environment):
    """Whitenoise warns on every request when STATIC_ROOT does not exist (before collectstatic)."""
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Counters of portal.throttle live in Redis, not in the test's transaction: each test
    starts with none, so one test's (or an earlier run's) wrong passwords do not lock the
    next one's users, who reuse the same ids in a recreated database."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*throttle:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login():
    """login(user) -> a Django test client with that user's session."""
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client
    return make


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a downloaded one (MACHINE-NOTES: downloads fail here)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": BROWSER_ARGS}


#: The shared worlds (module_world) still open: a transactional test ends them first.
_open_worlds: list[contextlib.ExitStack] = []


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for a whole module of read-only tests, rolled back at the module's end.

    Each test still runs in its own savepoint (ask for `db` too), so a test that writes by
    mistake leaves nothing behind for the next; the world is built once instead of once per
    test, which is what lets the generic suites walk every route as its own test case.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        world = contextlib.ExitStack()
        world.enter_context(transaction.atomic())
        _open_worlds.append(world)
        try:
            yield build_world()
        finally:
            _end_worlds()


def _end_worlds() -> None:
    """Roll the open shared worlds back (their atomic blocks end)."""
    from django.db import transaction

    while _open_worlds:
        world = _open_worlds.pop()
        transaction.set_rollback(True)
        world.close()


@pytest.fixture(autouse=True)
def _no_shared_world_under_transactional_tests(request, django_db_blocker):
    """pytest-django runs every transactional test after the suite's others, but a module's
    world lives until the next module starts: run alone, a module's transactional test
    would find its world's transaction still open around it (and its rows in the way)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction"))
    if _open_worlds and transactional:
        with django_db_blocker.unblock():
            _end_worlds()


@pytest.fixture
def saved_world(module_world, db):
    """The module's world, read afresh, inside this test's own savepoint: what the test
    writes is rolled back at its end, so a module of tests that only need the cast shares
    one world instead of building one each. Such a module opts in by defining `world` as
    this fixture. Its transactional tests (world_committed) come after all of them (see
    `_no_shared_world_under_transactional_tests`)."""
    return module_world.fresh()


@pytest.fixture
def world_committed(transactional_db):
    """The same world, committed, for tests where another thread (a worker) reads it."""
    return build_world()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in a thread, on the real broker, on a queue of its own so it
    never picks up jobs of a running demo that shares the embedded Redis, nor another test
    worker's (pytest-xdist: one queue per worker, besides one Redis database each)."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    queue = "-".join(filter(None, ["lockstep-tests", os.environ.get("PYTEST_XDIST_WORKER")]))
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)  # leftovers of an interrupted run
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          queues=[queue], shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_default_queue = previous

