"""Sections that apps add to a meeting's page (the steering packs attached to it): the
meeting belongs to `governance`, which may not import `metrics`, so the app that knows
the records registers a provider here from its AppConfig.ready().

A provider is `provider(*, user, meeting) -> dict | None`: None when it has nothing for
the user, else a dict whose "template" key names the template that renders it (its
`section` context is the dict). It reads through its app's selectors (DESIGN §2).
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def sections(*, user, meeting) -> list[dict]:
    """The sections for `user` on `meeting`'s page, in the order the apps registered them."""
    return [section for section in (provider(user=user, meeting=meeting)
                                    for provider in _providers) if section]
