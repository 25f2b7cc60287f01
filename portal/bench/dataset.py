"""The benchmark's data set, ready to be timed: its database migrated and holding the set
(built when missing), this process pointed at it, the static files collected; and the
password its people log in with. What `make bench` and `make load` both need first."""

import json
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.bench import database
from portal.bench.rounds import load_plan


def prepare(size: str, say) -> str:
    """The benchmark's database of `size` (its URL), migrated, holding the set (built when
    missing), this process pointed at it, the static files collected: what `make bench` and
    `make load` both need before they start gunicorn."""
    url = database.bench_url(settings.DATABASE_URL, size)
    say(f"Benchmark database: {database.name_of(url)} ({size} set)")
    if not database.exists(url):
        database.create(url)
    database.use(url)
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    try:
        seeded = load_plan().seeded(size)
    except ValueError as error:
        raise CommandError(str(error)) from error
    if not seeded:
        say(f"Building the {size} set (once per database) …")
        if size == "demo":
            call_command("seed_demo")
        else:
            call_command("seed_scale", size=size)
    call_command("collectstatic", interactive=False, verbosity=0)
    return url


def password_of(size: str) -> str:
    """The people's password: BENCH_PASSWORD, else the set's manifest's, else the demo's."""
    try:
        manifest = json.loads((settings.DATA_DIR / "scale" / f"{size}.json").read_text())
    except (OSError, ValueError):
        manifest = {}
    return os.environ.get("BENCH_PASSWORD") or manifest.get("password") or \
        os.environ.get("DEMO_PASSWORD", "lockstep-demo")
