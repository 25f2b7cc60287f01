"""Where a person lands after logging in, and what My work shows them, when an app has a
page made for them (the steering committee's page for someone whose seats are all
steering seats). `portal` knows no app: apps register from their AppConfig.ready().

A provider is `provider(user) -> str | None`: the URL of the person's own page, or None.
The first provider that names one wins; without one the person lands on their list of
partnerships and My work is the generic one.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def landing_url(user) -> str | None:
    """The URL of the page made for `user`, or None."""
    for provider in _providers:
        url = provider(user)
        if url:
            return url
    return None
