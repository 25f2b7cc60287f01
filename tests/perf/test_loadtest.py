"""`make load` keeps working: the whole command (gunicorn, a Celery worker, Locust walking
as three different people, writes included) for thirty seconds on the test world, with no
wait between steps. No figure is asserted (a test run's timings say nothing); that every
kind of step ran and none failed is."""

import csv
import io

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection

from governance.actions.models import ActionItem
from partnership.management.commands.loadtest import people
from partnership.models import Comment, User
from portal.bench import database
from tests.factories import PASSWORD


def test_the_people_are_different_and_seated(world):
    walkers = people(4)
    assert len({person["email"] for person in walkers}) == len(walkers) == 4
    for person in walkers:
        user = User.objects.get(email=person["email"])
        assert person["id"] == user.pk and person["partnerships"]
        seats = set(user.memberships.values_list("partnership_id", flat=True))
        assert set(person["partnerships"]) <= seats


def test_the_load_test_walks_and_writes(world_committed, tmp_path, monkeypatch):
    hasher = Argon2PasswordHasher()  # gunicorn runs the production settings' hasher
    User.objects.update(password=hasher.encode(PASSWORD, hasher.salt()))
    monkeypatch.setenv("BENCH_DATABASE_URL", database.url_of(connection.settings_dict))
    monkeypatch.setenv("BENCH_PASSWORD", PASSWORD)
    monkeypatch.setenv("LOAD_WAIT_SECONDS", "0")
    monkeypatch.setenv("STATICFILES_STORAGE",
                       "django.contrib.staticfiles.storage.StaticFilesStorage")
    actions, comments = ActionItem.objects.count(), Comment.objects.count()
    out = io.StringIO()

    call_command("loadtest", size="demo", users="3", seconds=30, workers=1,
                 database="in-place", output=str(tmp_path), stdout=out, stderr=io.StringIO())

    report = (tmp_path / "latest.md").read_text()
    assert report.strip() in out.getvalue() and "| 3 |" in report
    [stats] = tmp_path.glob("*-u3_stats.csv")
    rows = {row["Name"]: row for row in csv.DictReader(stats.open())}
    assert int(rows["Aggregated"]["Failure Count"]) == 0, rows["Aggregated"]
    for name in ("/my-work/", "/p/[id]/", "/p/[id]/actions/new/ (post)",
                 "/p/[id]/discussion/request/[id]/ (post)"):
        assert int(rows[name]["Request Count"]) > 0, name
    assert ActionItem.objects.count() > actions and Comment.objects.count() > comments
