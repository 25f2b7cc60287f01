"""Cards that other apps add to the partnership home (DESIGN §8, the cockpit).

The home page belongs to `partnership`, which may not import `governance` or `metrics`
(STYLE: one direction of dependency). Rather than move the home page, the apps that own the
cards register a provider here from their AppConfig.ready(); the home view asks for the
cards of a partnership and the template includes each card's own template. `partnership`
knows only this registry, and the registry knows no app.

A provider is `provider(*, user, partnership) -> dict` whose "template" key names the
template that renders it; the rest of the dict is that template's `card` context. It reads
through its app's selectors, so DESIGN §2 holds as everywhere else.
"""

from collections.abc import Callable

_providers: list[Callable[..., dict]] = []


def register(provider: Callable[..., dict]) -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if provider not in _providers:
        _providers.append(provider)


def cards(*, user, partnership) -> list[dict]:
    """The cards of `partnership` for `user`, in the order the apps registered them."""
    return [provider(user=user, partnership=partnership) for provider in _providers]
