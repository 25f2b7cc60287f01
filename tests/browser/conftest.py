"""The browser journeys' shared fixture: the demo world on a live server.

Seeding the demo takes seconds (thousands of statements through the services and the audit
trail's triggers), and every journey starts from it. So it is seeded once, a copy of every
table kept (COPY TO), and each later journey given that copy back (COPY FROM, the triggers
off for it, as a restore from a dump does): the same rows, ids and trail in a fraction of a
second. The first test worker to seed leaves the copy in the run's temporary folder for the
others (their databases are migrated alike, so the rows fit). A new day reseeds, since the
demo is dated from the day it is seeded.
"""

import io
import os
import pickle
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.screens import DESK, PHONE
from tests.database import delete_statements, table_names

_snapshot: dict = {}

# What a journey waits for appears within a second on an idle machine; a busy one (two test
# workers, each with a live server and a browser, on two cores) has been seen to need more
# than Playwright's default five seconds. Waiting longer costs nothing when the page is fast.
expect.set_options(timeout=20_000)


def _may_restore() -> bool:
    """Switching triggers off (session_replication_role) is for superusers: the test
    database's owner is one, here and in the embedded server; else each journey seeds."""
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
        # What the flush after the last journey left (content types, permissions) goes,
        # then every table is as it was seeded; no trigger runs (the trail's included).
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement in delete_statements(list(copies)):
            cursor.execute(statement)
        for table, data in copies.items():
            if data:
                cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(data))
        from django.apps import apps

        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _axe_watch(request, browser):
    """Every context a journey opens (through `browser.new_context`, as pytest-playwright's
    `page` and the fixtures here do too) is watched for the pages it loads; after the
    journey, `pytest_runtest_call` below has axe check them (tests/browser/axe.py)."""
    watch = axe.Watch()
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        close, clear_cookies = context.close, context.clear_cookies

        def closing(*a, **k):
            watch.cookies_change(context)
            return close(*a, **k)

        def clearing(*a, **k):
            watch.cookies_change(context)
            return clear_cookies(*a, **k)

        context.close, context.clear_cookies = closing, clearing
        watch.context_opened(context, kwargs.get("viewport"))
        return context

    browser.new_context = watched_context
    request.node.axe_watch = watch
    yield watch
    del browser.new_context


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A journey that passed fails if a page it visited has a serious or critical axe
    violation (checked while its fixtures, and so its contexts, are still open)."""
    outcome = yield
    watch = getattr(item, "axe_watch", None)
    if watch is None or outcome.excinfo is not None:
        return
    visits = watch.finish()
    problems = axe.check(item.funcargs["browser"], visits)
    if problems:
        pytest.fail("axe-core found serious or critical violations:\n" + "\n".join(problems),
                    pytrace=False)


def _shared_copy(tmp_path_factory, today) -> Path | None:
    """Where the test workers of one run (pytest-xdist) leave the copy for each other: the
    first to seed writes it, a later one restores it instead of seeding again. None when
    the run has one process."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    return tmp_path_factory.getbasetemp().parent / f"demo-{run}-{today.isoformat()}.pickle"


@pytest.fixture
def demo(live_server, tmp_path_factory):
    """The demo data (README's cast) served live; returns the server's base URL."""
    today = timezone.localdate()
    shared = _shared_copy(tmp_path_factory, today) if _may_restore() else None
    if _snapshot.get("day") != today and shared is not None and shared.exists():
        _snapshot.update(day=today, copies=pickle.loads(shared.read_bytes()))
    if _snapshot.get("day") == today:
        _restore(_snapshot["copies"])
    else:
        call_command("seed_demo", verbosity=0)
        if _may_restore():
            _snapshot.update(day=today, copies=_take())
            if shared is not None:  # written whole, then renamed: never read half-written
                partial = shared.with_suffix(f".{os.getpid()}")
                partial.write_bytes(pickle.dumps(_snapshot["copies"]))
                partial.replace(shared)
    return live_server.url


@pytest.fixture(params=["desk", "phone"])
def screen(request, browser):
    """A new page in a desk-sized or a phone-sized window (each journey runs on both);
    `page.phone` says which."""
    context = browser.new_context(viewport=DESK if request.param == "desk" else PHONE,
                                  accept_downloads=True)
    page = context.new_page()
    page.phone = request.param == "phone"
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A new page in a phone-sized window (390 px), for the checks of a phone's width."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()
