"""Jobs exactly once, proven on a real worker process killed with SIGKILL in mid-sweep.

The overdue-action sweep runs in `celery -A portal worker` (a subprocess, on the broker and
test database of this run, its own queue). A colleague's row lock on the owner of one item
holds the sweep half-way, in the commit of that item's reminder and notification (Django's
foreign keys are checked at commit); the whole worker (main process and pool) is then
killed. A new worker gets the lost job back from the broker (acks late: it was never
acknowledged) while the next scheduled run starts too, so two sweeps meet the killed one's
orphaned transaction on the same item. When the lock goes, every item has been told exactly
once — one notification, one e-mail — the lost job has finished, and one more run tells
nobody.

It proves: acknowledgement after the work (a job killed mid-way is not lost), the reminder
and its notification in one transaction, the unique key (sweeps meeting on the same item
tell its owner once), and the e-mail sweep (the orphaned commit goes through after its
worker died, so nobody queued that item's e-mail: the sweep sends it, once).
"""

import datetime
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from governance.actions.tasks import remind_overdue_actions
from governance.models import ActionItem, ActionItemOverdueReminder
from partnership.models import Membership, User
from partnership.notifications.models import Notification
from partnership.notifications.selectors import EMAIL_SWEEP_AFTER
from partnership.notifications.tasks import sweep_notification_emails
from portal.celery import app
from tests.factories import MembershipFactory, UserFactory

ITEMS = 300
HELD = ITEMS // 2  # the item whose owner's row is locked: HELD items come before it
PATIENCE = 300  # seconds any one step may take on a busy machine before the test gives up
VISIBILITY = 5  # seconds before the broker hands a dead worker's job out again


def database_url() -> str:
    """The test database, as a DATABASE_URL the worker's settings read."""
    db = connection.settings_dict
    host = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    user = f"{quote(db['USER'] or '', safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
    if host.startswith("/"):  # a Unix socket folder (the embedded server)
        return f"postgres://{user}@/{db['NAME']}?host={quote(host)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}@{host}{port}/{db['NAME']}"


class Worker:
    """`celery -A portal worker` in a session of its own, so SIGKILL takes its pool too."""

    def __init__(self, *, name: str, queue: str, mail: Path, log: Path, concurrency: int):
        env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL,
               "CELERY_QUEUE": queue, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
               "EMAIL_URL": f"filemail://{mail}", "CONN_MAX_AGE": "0",
               "DJANGO_SETTINGS_MODULE": "portal.settings"}
        self.log, self.killed = log, False
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "INFO",
                 "--pool", "prefork", "--concurrency", str(concurrency), "-n", f"{name}@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def kill(self, sig=signal.SIGKILL) -> None:
        self.killed = True
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait()
        self.kill()  # pool processes left behind, if any

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_until(condition, what: str, workers: list[Worker]) -> None:
    """Poll the database (or whatever `condition` asks) until it holds; no fixed sleeps."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        for worker in workers:
            if not worker.killed and worker.process.poll() is not None:
                raise AssertionError(f"the worker died while waiting for {what}:\n"
                                     f"{worker.tail()}")
        if time.monotonic() > deadline:
            logs = "\n".join(worker.tail() for worker in workers)
            raise AssertionError(f"gave up waiting for {what}:\n{logs}")
        time.sleep(0.2)


def lock_waiters() -> set[int]:
    """Server processes of the test database waiting on a lock: the sweeps, and the orphan
    the killed worker left behind (PostgreSQL notices its client is gone only once the lock
    is granted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return {pid for (pid,) in cursor.fetchall()}


def reminders() -> int:
    return ActionItemOverdueReminder.objects.filter(action__title__startswith="Overdue ").count()


@pytest.fixture
def queue():
    name = "-".join(filter(None, ["lockstep-exactly-once", os.environ.get("PYTEST_XDIST_WORKER")]))
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(name)  # leftovers of an interrupted run
    yield name
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(name)


@pytest.fixture
def overdue(world_committed):
    """ITEMS open actions, overdue for days in every zone: Bob owns them all but one, which
    Hank owns (so that a lock on his row holds the sweep at exactly that item)."""
    world = world_committed
    world.hank = UserFactory(organization=world.contoso, first_name="Hank")
    MembershipFactory(partnership=world.acme_contoso, user=world.hank,
                      role=Membership.Role.MEMBER)
    due = timezone.now().date() - datetime.timedelta(days=10)
    ActionItem.objects.bulk_create(
        ActionItem(partnership=world.acme_contoso, author_organization=world.acme,
                   created_by=world.alice, title=f"Overdue {number:03d}", due_date=due,
                   owner=world.hank if number == HELD else world.bob)
        for number in range(ITEMS))
    return world


def test_a_sweep_killed_midway_tells_every_owner_exactly_once(overdue, queue, tmp_path):
    world, mail, workers = overdue, tmp_path / "mail", []
    items = list(ActionItem.objects.filter(title__startswith="Overdue ").order_by("pk"))
    assert [item.owner for item in items].index(world.hank) == HELD  # the sweep's order

    def start(concurrency: int) -> Worker:
        worker = Worker(name=f"exactly-once-{len(workers)}", queue=queue, mail=mail,
                        log=tmp_path / f"worker-{len(workers)}.log", concurrency=concurrency)
        workers.append(worker)
        return worker

    colleague = psycopg2.connect(**connection.get_connection_params())
    try:
        with colleague.cursor() as cursor:  # holds Hank's row until told to let go
            cursor.execute(f"SELECT id FROM {User._meta.db_table} WHERE id = %s FOR UPDATE",
                           [world.hank.pk])
        first = start(concurrency=1)
        lost = remind_overdue_actions.apply_async(queue=queue)
        wait_until(lambda: len(lock_waiters()) == 1, "the sweep to reach the held item", workers)
        [orphan] = lock_waiters()
        assert reminders() == HELD  # some, not all: the held one is not committed yet

        first.kill()
        first.process.wait(timeout=PATIENCE)
        start(concurrency=2)
        scheduled = remind_overdue_actions.apply_async(queue=queue)  # beat's next run
        # Two live sweeps (the lost job back from the broker, and the scheduled one or its
        # second delivery) wait on the held item, behind the orphaned transaction.
        wait_until(lambda: len(lock_waiters() - {orphan}) == 2,
                   "two sweeps to meet at the held item", workers)
        colleague.rollback()

        scheduled.get(timeout=PATIENCE)
        lost.get(timeout=PATIENCE)  # the killed worker's job was delivered again and finished
        # Beat's e-mail sweep, once what is still unsent is EMAIL_SWEEP_AFTER old.
        Notification.objects.filter(emailed_at__isnull=True).update(
            created_at=F("created_at") - EMAIL_SWEEP_AFTER)
        sweep_notification_emails.apply_async(queue=queue).get(timeout=PATIENCE)
        wait_until(lambda: not Notification.objects.filter(
            kind="action_overdue", record_id__in=[item.pk for item in items],
            emailed_at__isnull=True).exists(), "the e-mails", workers)
        assert remind_overdue_actions.apply_async(queue=queue).get(timeout=PATIENCE) == 0
    finally:
        colleague.close()
        for worker in workers:
            worker.stop()

    assert reminders() == ITEMS
    told = Counter(Notification.objects.filter(
        kind="action_overdue", record_id__in=[item.pk for item in items]).values_list(
        "record_id", flat=True))
    assert told == Counter({item.pk: 1 for item in items})
    subjects = Counter(re.findall(r"^Subject: \[Lockstep\] Action overdue: (Overdue \d+)$",
                                  "".join(path.read_text() for path in mail.iterdir()),
                                  flags=re.MULTILINE))
    assert subjects == Counter({item.title: 1 for item in items})
