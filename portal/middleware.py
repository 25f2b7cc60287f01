"""Request middleware shared by every app."""

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from portal.zones import user_zone


class UserTimeZoneMiddleware:
    """Show times in the viewer's own zone: storage stays UTC (DESIGN §8)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(user_zone(getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a request marked `passive_session` (the bell's poll) does not
    push the session's expiry forward: with SESSION_SAVE_EVERY_REQUEST, a tab left open
    would otherwise keep its session alive for ever, defeating the inactivity timeout of
    DESIGN §5. A passive request that changed the session is saved as usual.

    Only the save is skipped: a response that read the session still says `Vary: Cookie`,
    so no shared cache hands one person's unread count to another."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if getattr(request, "passive_session", False) and session is not None \
                and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
