"""The CSRF failure page and the "bad request" answer: the portal's look, and nothing of why
beyond what the person can do."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.defaults import bad_request as page_bad_request


def csrf_failure(request, reason=""):
    """Django logs the reason (django.security.csrf); the person is told only what to do."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    """A request Django refused before any view (a form body over the upload limits, a
    malformed one): the API answers JSON, as every other API error; a page, the 400 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read: its body is too "
                                       "large or malformed. Nothing was saved."}, status=400)
    return page_bad_request(request, exception)
