"""What the test run's settings read from the environment, set before they load.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) rather than from conftest.py:
pytest-django loads the settings before it imports any conftest, so a value set there
comes too late.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default, and the embedded server's


def redis_url_of_worker(url: str, worker: int) -> str:
    """The same Redis server, the database `worker` places after the one `url` names (the
    path of a redis:// URL, `?db=` of a unix:// one), counted round the server's 16."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str((int(query.get("db", 0)) + worker) % REDIS_DATABASES)
        return f"unix://{parts.path}?{urlencode(query)}"  # urlunsplit drops the "//"
    database = (int(parts.path.strip("/") or 0) + worker) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))


def _embedded_redis_url() -> str:
    """The embedded Redis the settings would start (portal.embedded), started here so that
    a worker can be given its own database of it."""
    from portal.embedded import embedded_redis_url

    default = Path(__file__).resolve().parent.parent / "var"
    data_dir = os.environ.get("LOCKSTEP_DATA_DIR", "").strip()
    return embedded_redis_url(Path(data_dir) if data_dir else default)


# The test client and the live server speak plain HTTP on loopback; without this the secure
# defaults would redirect every request to https:// (tests/portal/test_security.py checks
# those defaults in a process of their own).
os.environ.setdefault("PLAIN_HTTP_LOOPBACK", "true")

# Persistent connections would keep the live server's threads attached to the test database
# and stop pytest-django from dropping it at the end.
os.environ.setdefault("CONN_MAX_AGE", "0")

# Under pytest-xdist each worker ("gw0", "gw1" …) gets its own test database from
# pytest-django, and here its own Redis database: one worker's broker queue, results and
# cache never meet another's (the Celery tests purge and consume their queue).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    _url = os.environ.get("REDIS_URL", "").strip() or _embedded_redis_url()
    os.environ["REDIS_URL"] = redis_url_of_worker(_url, int(_worker[2:]))
