"""Cards that other apps add to the partnership home (DESIGN §8, the cockpit).

The home page belongs to `partnership`, which may not import `governance` or `metrics`
(STYLE: one direction of dependency). Rather than move the home page, the apps that own the
cards register a provider here from their AppConfig.ready(); the home view asks for the
cards of a partnership and the template includes each card's own template. `partnership`
knows only this registry, and the registry knows no app.

A provider is `provider(*, user, partnership) -> dict` whose "template" key names the
template that renders it; the rest of the dict is that template's `card` context. It reads
through its app's selectors, so DESIGN §2 holds as everywhere else.

Each provider belongs to a topic — "work" (what awaits, overdue, coming up, risks),
"quality" (CAPAs, change controls) or "kpis" (the scorecard) — and the cards come in the
order the viewer's role reads them first: QA leads the quality cards, steering members
the KPIs, leads and members their work.
"""

from collections.abc import Callable

TOPICS = ("work", "quality", "kpis")

#: The order of the topics for a role (a seat's role, or "admin" for an organization admin
#: without one); any other viewer gets TOPICS.
ORDER_BY_ROLE = {
    "lead": ("work", "kpis", "quality"),
    "member": ("work", "quality", "kpis"),
    "qa_lead": ("quality", "work", "kpis"),
    "steering": ("kpis", "quality", "work"),
    "viewer": ("work", "kpis", "quality"),
    "admin": ("work", "kpis", "quality"),
}

_providers: list[tuple[Callable[..., dict], str]] = []


def register(provider: Callable[..., dict], *, topic: str = "work") -> None:
    """Add a provider once (ready() may run twice in some test setups)."""
    if topic not in TOPICS:
        raise ValueError(f"A cockpit card's topic is one of {', '.join(TOPICS)}.")
    if all(registered is not provider for registered, _topic in _providers):
        _providers.append((provider, topic))


def order_for(role: str | None) -> tuple[str, ...]:
    return ORDER_BY_ROLE.get(role or "", TOPICS)


def cards(*, user, partnership) -> list[dict]:
    """The cards of `partnership` for `user`: by topic in the order of his role there, the
    cards of one topic in the order the apps registered them."""
    order = order_for(partnership.role_of(user))
    providers = sorted(_providers, key=lambda entry: order.index(entry[1]))
    return [provider(user=user, partnership=partnership) for provider, _topic in providers]
