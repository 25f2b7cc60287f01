"""Template context every page needs: the partnership switcher and the bell of the top bar."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from partnership.parties.models import Partnership


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # Lazy: one query, and only on pages that show the top bar.
    return {"nav_partnerships": SimpleLazyObject(lambda: list(
        Partnership.objects.visible_to(user).select_related("sponsor", "cdmo"))),
        # The bell asks for its count itself (htmx), so no page pays a query for it.
        "notification_poll_seconds": settings.NOTIFICATION_POLL_SECONDS}
