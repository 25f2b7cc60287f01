"""`manage.py demo`: prepare the database and run web, Celery worker and Celery beat together.

This process owns the embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset
(settings started them); the children get the servers' URLs in their environment, so all of
them talk to the same servers. Ctrl-C (or SIGTERM, SIGHUP) stops the children, then the
servers (portal.embedded).
"""

import io
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect static files, load demo data and run the whole portal."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-seed", action="store_true", help="Skip the demo data.")

    def handle(self, *args, port, no_seed, **options):
        # Beat keeps its schedule here; with servers given by URL nothing else creates it.
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_seed:
            call_command("seed_demo")
        # The demo serves plain HTTP on 127.0.0.1: say so, or the secure defaults would send
        # the browser to https:// and keep __Host- cookies it cannot set (portal/settings.py).
        # Its sessions last an hour idle (production: 15 minutes), unless told.
        env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL,
               "REDIS_URL": settings.REDIS_URL, "PORT": str(port), "PLAIN_HTTP_LOOPBACK": "true",
               "SESSION_IDLE_MINUTES": os.environ.get("SESSION_IDLE_MINUTES", "60")}
        bin_dir = os.path.dirname(sys.executable)
        commands = {
            "web": [os.path.join(bin_dir, "gunicorn"), "portal.wsgi", "--bind",
                    f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"],
            "worker": [os.path.join(bin_dir, "celery"), "-A", "portal", "worker",
                       "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [os.path.join(bin_dir, "celery"), "-A", "portal", "beat", "--loglevel",
                     "INFO", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
        }
        children = {name: subprocess.Popen(cmd, env=env, cwd=settings.BASE_DIR)
                    for name, cmd in commands.items()}
        self._announce(port)
        stop = {"now": False}
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda *_: stop.update(now=True))
        try:
            while not stop["now"]:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with code {child.returncode}")
                        stop["now"] = True
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping web, worker and beat …")
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children.values():
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _announce(self, port):
        password = os.environ.get("DEMO_PASSWORD", "lockstep-demo")
        lines = [
            "", f"Lockstep is running on http://127.0.0.1:{port}/  (Ctrl-C stops everything)",
            f"API: http://127.0.0.1:{port}/api/v1/   docs: http://127.0.0.1:{port}/api/docs/",
            f"Demo logins (password: {password}):",
        ]
        logins = io.StringIO()  # the seed command knows its cast: asked by name, not imported
        call_command("seed_demo", logins=True, stdout=logins)
        lines += logins.getvalue().splitlines()
        lines.append(f"E-mails are written to {settings.EMAIL_FILE_PATH}"
                     if hasattr(settings, "EMAIL_FILE_PATH") else "")
        self.stdout.write("\n".join(lines) + "\n")
