"""Template context every page needs: the partnership switcher, the links apps add for
those they concern (portal.registries.navigation) and the bell of the top bar."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from partnership.parties.models import Partnership
from portal.registries import navigation as nav_registry


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # Lazy: one query, and only on pages that show the top bar; the links apps add read
    # the same rows (annotated for them).
    partnerships = SimpleLazyObject(lambda: list(
        Partnership.objects.visible_to(user).select_related("sponsor", "cdmo").annotate(
            **nav_registry.annotations(user))))
    return {"nav_partnerships": partnerships,
            "nav_links": SimpleLazyObject(lambda: nav_registry.links(partnerships)),
            # The bell asks for its count itself (htmx), so no page pays a query for it.
            "notification_poll_seconds": settings.NOTIFICATION_POLL_SECONDS}
