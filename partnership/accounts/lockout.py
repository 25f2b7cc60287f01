"""What django-axes asks of the portal: whose account a log-in names, which address it came
from, and the page a locked log-in gets."""

import ipaddress

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import timezone


def login_username(request, credentials=None) -> str | None:
    """The address typed, as accounts store it (trimmed, lower case): `Mei@…` and `mei@…` are
    one account, so changing the case does not dodge its lock. Django hands the backends the
    address under the user model's field name (`email`), the form posts it as `username`."""
    username = None
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        username = source.get("username") or source.get(get_user_model().USERNAME_FIELD)
        if username:
            break
    return str(username).strip().lower() if username else None


def client_ip(request) -> str | None:
    """The connection's address, or, behind TRUSTED_PROXY_COUNT proxies of our own, the
    address the outermost of them saw (X-Forwarded-For is read from the right, so a client
    cannot choose its own by sending the header)."""
    address = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()]
        if len(hops) >= count:
            address = hops[-count]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    """429 with the time log-in opens again (every try meanwhile pushes it back) and who can
    open it sooner. Says nothing of whether the account exists."""
    cool_off = get_cool_off(request)
    until = timezone.now() + cool_off
    return render(request, "registration/locked.html", {
        "until": until, "minutes": round(cool_off.total_seconds() / 60),
    }, status=429)
