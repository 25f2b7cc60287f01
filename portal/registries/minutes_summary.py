"""A summary the minutes form offers to insert (the published KPI values of the periods
before a meeting): the meeting belongs to `governance`, which may not import `metrics`,
so the app that knows the figures registers a provider here from its AppConfig.ready().

A provider is `provider(*, user, meeting) -> str`: the text to insert, as the user may see
it ("" when there is nothing to say).
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def available() -> bool:
    return bool(_providers)


def summary(*, user, meeting) -> str:
    """The providers' texts, one paragraph each."""
    return "\n\n".join(text for text in (provider(user=user, meeting=meeting)
                                         for provider in _providers) if text)
