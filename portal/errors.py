"""The CSRF failure page: the portal's look, and nothing of why beyond what the person can do."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """Django logs the reason (django.security.csrf); the person is told only what to do."""
    return render(request, "403_csrf.html", status=403)
