"""Configuration readers fail loudly on values they cannot parse."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_time_zone, env_url


def test_booleans(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True


def test_integers(monkeypatch):
    monkeypatch.setenv("PORT", "8001")
    assert env_int("PORT", 8000) == 8001
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("PORT", 8000)
    monkeypatch.setenv("PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PORT", 8000, minimum=1)


def test_lists_urls_and_time_zones(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        env_url("DATABASE_URL", ("postgres", "postgresql"))
    monkeypatch.setenv("DATABASE_URL", "")
    assert env_url("DATABASE_URL", ("postgres",)) is None
    monkeypatch.setenv("TZ_DEFAULT", "Europe/Atlantis")
    with pytest.raises(ImproperlyConfigured, match="IANA"):
        env_time_zone("TZ_DEFAULT", "UTC")


def test_health_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_admin_lists_every_model_for_operators(admin_client):
    from django.contrib import admin

    from partnership.models import Contract, Deliverable, Objective, TechTransfer

    for model in (Contract, Deliverable, Objective, TechTransfer):
        assert admin.site.is_registered(model)
        url = f"/admin/partnership/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200


def test_integers_with_an_upper_bound(monkeypatch):
    monkeypatch.setenv("HOUR", "23")
    assert env_int("HOUR", 7, minimum=0, maximum=23) == 23
    monkeypatch.setenv("HOUR", "24")
    with pytest.raises(ImproperlyConfigured, match="HOUR must be at most 23, not 24"):
        env_int("HOUR", 7, minimum=0, maximum=23)


def test_a_digest_hour_the_clock_never_shows_stops_the_start():
    """24 would mean no digest ever, silently: the settings refuse it at start-up."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "NOTIFICATION_DIGEST_HOUR": "24",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # parsed, never connected
           "REDIS_URL": "redis://127.0.0.1:1/0"}
    started = subprocess.run([sys.executable, "-c", "import portal.settings"], env=env,
                             cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "NOTIFICATION_DIGEST_HOUR must be at most 23, not 24" in started.stderr
