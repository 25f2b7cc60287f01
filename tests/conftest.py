"""Fixtures shared by every test: the named world, logged-in clients, the browser."""

import os

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.world import build_world

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Whitenoise's manifest needs collectstatic, so tests serve static files plainly; and a
    fast password hasher, since every test world hashes several passwords."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login():
    """login(user) -> a Django test client with that user's session."""
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client
    return make


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a downloaded one (MACHINE-NOTES: downloads fail here)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": BROWSER_ARGS}
