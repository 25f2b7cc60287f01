"""The scale data set generator is deterministic: two builds into the same empty database
give the same rows (its own module: the other tests share one build)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from partnership.models import Partnership
from tests.perf.test_seed_scale import KINDS, build, snapshot

pytestmark = pytest.mark.django_db


def test_builds_the_same_rows_twice_and_refuses_a_database_with_partnerships():
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            first = build()
            before = snapshot()
            raise Rollback
    except Rollback:
        pass
    assert not Partnership.objects.exists()
    second = build()
    assert snapshot() == before
    assert first["rows"] == second["rows"]
    assert second["heavy_lead_email"] == "lead1@sponsor01.example"
    assert all(before[kind.__name__] > 0 for kind in KINDS)
    with pytest.raises(CommandError, match="already holds partnerships"):
        call_command("seed_scale", size="tiny", stdout=io.StringIO())
