"""`make bench` keeps working: the whole command (its database, gunicorn, log-ins over HTTP,
the rounds, the sweeps and the report) for one round on seed_scale's tiny set, committed for
gunicorn to read. No figure is asserted: a test run's timings say nothing."""

import io

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection

import metrics.bench
from metrics.bench import SWEEPS, plan, sweep_batches
from partnership.models import User
from portal.bench import database
from portal.bench.rounds import run_sweep
from tests.factories import PASSWORD


def test_bench_runs_one_round(transactional_db, tmp_path, monkeypatch):
    call_command("seed_scale", size="tiny", stdout=io.StringIO())
    # gunicorn runs the production settings: Argon2 (the tests hash with MD5) and static
    # files without collectstatic's manifest (the tests' collectstatic writes none).
    hasher = Argon2PasswordHasher()
    User.objects.update(password=hasher.encode(PASSWORD, hasher.salt()))
    monkeypatch.setenv("BENCH_DATABASE_URL", database.url_of(connection.settings_dict))
    monkeypatch.setenv("BENCH_PASSWORD", PASSWORD)
    monkeypatch.setenv("STATICFILES_STORAGE",
                       "django.contrib.staticfiles.storage.StaticFilesStorage")
    # One sweep through the command's own process, the others here (each process costs
    # Django's start-up, seconds on a loaded machine).
    first, *others = SWEEPS.items()
    monkeypatch.setattr(metrics.bench, "SWEEPS", dict([first]))
    pages = plan().pages
    out = io.StringIO()

    call_command("bench", size="tiny", rounds=1, warmup=0, workers=1, sweeps="in-place",
                 output=str(tmp_path), stdout=out, stderr=io.StringIO())

    report = (tmp_path / "latest.md").read_text()
    assert report.strip() in out.getvalue()
    assert "| floor (trivial template) |" in report
    for page in pages:
        assert f"| {page.label} |" in report
    assert f"| {first[0]} |" in report
    batches = sweep_batches()
    for _label, task in others:
        figures = run_sweep(task, batches)
        assert figures["batches"] == len(batches) >= 1
        assert figures["again"]["told"] == 0  # the next run finds its work done
    assert len(list(tmp_path.glob("*.md"))) == 2  # the run's own file and latest.md
