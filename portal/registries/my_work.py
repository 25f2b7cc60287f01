"""Sections that apps add to My work (DESIGN §8) for the people they concern: the steering
committee's page adds what awaits a steering member and he can act on. My work belongs to
`governance`, which may not import `metrics`; the apps register a provider here from their
AppConfig.ready().

A provider is `provider(*, user) -> dict | None`: None when it has nothing for the user,
else a dict whose "template" key names the template that renders it (its `section`
context is the dict). It reads through its app's selectors (DESIGN §2).
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def sections(*, user) -> list[dict]:
    """The sections for `user`, in the order the apps registered them."""
    return [section for section in (provider(user=user) for provider in _providers)
            if section]
