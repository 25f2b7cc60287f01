"""Housekeeping jobs, run by a real worker."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.tasks import clear_expired_sessions


@pytest.mark.django_db(transaction=True)
def test_expired_sessions_are_cleared_and_a_second_run_is_harmless(celery_worker):
    Session.objects.create(session_key="old", session_data="",
                           expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="",
                           expire_date=timezone.now() + timedelta(days=1))
    clear_expired_sessions.delay().get(timeout=15)
    clear_expired_sessions.delay().get(timeout=15)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_beat_schedules_the_housekeeping(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.tasks.clear_expired_sessions" in tasks
