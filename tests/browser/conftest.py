"""The browser journeys' shared fixture: the demo world on a live server."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(live_server):
    """The demo data (README's cast) served live; returns the server's base URL."""
    call_command("seed_demo", verbosity=0)
    return live_server.url
