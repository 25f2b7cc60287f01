"""Response headers that keep pages private: no caching of what a signed-in person sees, and
the CSP nonce for templates."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """A page, fragment, export or download answered to a signed-in person is theirs alone: no
    browser or proxy cache keeps it (`Cache-Control: no-store`), so the back button on a
    shared computer after log-out shows nothing and no proxy hands it to someone else. After
    the view, so a person signed in by an API token counts too (DRF sets request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


def csp_nonce(request) -> dict:
    """`{{ csp_nonce }}` for inline scripts and styles (and django-htmx's script tag, which
    reads this name); the header names the nonce only on pages that used it."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
