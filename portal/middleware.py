"""Request middleware shared by every app."""

import time

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
    """Django's, saving the session (and so pushing its expiry forward: DESIGN §5's
    inactivity timeout) at most once every REFRESH_SECONDS rather than on every request:
    the save is a database write and a cache write, a sixth of a page's cost, for an expiry
    that moves by seconds. The session so ends between SESSION_COOKIE_AGE − REFRESH_SECONDS
    and SESSION_COOKIE_AGE after the last request: never later than configured.

    A request marked `passive_session` (the bell's poll, a live record's poll) never pushes
    the expiry forward: a tab left open would otherwise keep its session alive for ever. A
    request that changed the session is saved as usual.

    Only the save is skipped: a response that read the session still says `Vary: Cookie`,
    so no shared cache hands one person's page to another."""

    REFRESH_SECONDS = 60
    SAVED_AT = "_saved_at"  # when the session was last saved (seconds since the epoch)

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key:
            return self._save(session, request, response)
        passive = getattr(request, "passive_session", False)
        recent = time.time() - session.get(self.SAVED_AT, 0) < self.REFRESH_SECONDS
        if passive or recent:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return self._save(session, request, response)

    @classmethod
    def logged_in(cls, sender, request, user, **kwargs) -> None:
        """A log-in saves the session it starts (whichever way it comes: the log-in page,
        a test client's): that save is the first."""
        request.session[cls.SAVED_AT] = int(time.time())

    def _save(self, session, request, response):
        if session is not None and not session.is_empty():
            session[self.SAVED_AT] = int(time.time())
        return super().process_response(request, response)
