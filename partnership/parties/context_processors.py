"""Template context every page needs: the partnership switcher, the links apps add for
those they concern (portal.registries.navigation) and the bell of the top bar."""

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from partnership.parties.models import Partnership
from partnership.parties.selectors import partnership_switcher
from portal.registries import navigation as nav_registry

#: The partnerships the switcher lists: the current one and the most recently visited,
#: then the others by name; the rest are one search away (the switcher's search box, the
#: "All my partnerships" page). A sponsor's lead may sit in hundreds.
SWITCHER_ROWS = 10
#: How long the cache remembers someone's recently visited partnerships.
RECENT_SECONDS = 90 * 24 * 3600


def _recent_key(user) -> str:
    return f"partnership:recent:{user.pk}"


def recently_visited(user, current: int | None) -> list[int]:
    """The ids of the partnerships `user` visited last, the latest first, `current` (the
    page's partnership) at their head. Kept in the cache (Redis), never in the database:
    switching partnerships writes no row. Only ids: the switcher reads them through
    visible_to(user), so a partnership the user no longer sees drops out by itself."""
    recent = cache.get(_recent_key(user)) or []
    if current is not None and recent[:1] != [current]:
        recent = [current, *[pk for pk in recent if pk != current]][:SWITCHER_ROWS]
        cache.set(_recent_key(user), recent, RECENT_SECONDS)
    return recent


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}

    # Lazy: one query, and only on pages that show the top bar; the links apps add are
    # EXISTS answers annotated on the same rows.
    def rows():
        current = getattr(request, "partnership_pk", None)
        return partnership_switcher(
            user=user, first=recently_visited(user, current), limit=SWITCHER_ROWS,
            checks=nav_registry.checks(user, Partnership.objects.visible_to(user)))

    partnerships = SimpleLazyObject(rows)
    return {"nav_partnerships": SimpleLazyObject(lambda: partnerships[:SWITCHER_ROWS]),
            "nav_more_partnerships": SimpleLazyObject(
                lambda: len(partnerships) > SWITCHER_ROWS),
            "nav_links": SimpleLazyObject(lambda: nav_registry.links(partnerships)),
            # The bell asks for its count itself (htmx), so no page pays a query for it.
            "notification_poll_seconds": settings.NOTIFICATION_POLL_SECONDS}
