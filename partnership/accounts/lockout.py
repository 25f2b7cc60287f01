"""What django-axes asks of the portal: whose account a log-in names, which address it came
from, when a log-in is locked (two limits: per account and, much higher, per address), and
the page a locked log-in gets."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import timezone

from partnership.accounts.selectors import login_failures


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


class LoginLockHandler(AxesDatabaseHandler):
    """django-axes's database handler, with a limit per account and another per address.

    axes compares the largest of its counts (per account, per address) with one limit, so an
    office behind one address was locked out entirely, its admin included, by one colleague's
    mistyped passwords. Here the account's failures count against LOGIN_FAILURE_LIMIT and the
    address's (over every account) lock only at LOGIN_ADDRESS_FAILURE_LIMIT, which is meant
    for password spraying. axes asks `get_failures` both before a log-in and after a failed
    one, and compares the answer with AXES_FAILURE_LIMIT (= LOGIN_FAILURE_LIMIT): an address
    past its own limit answers that limit, so that it locks too."""

    def get_failures(self, request, credentials=None) -> int:
        since = get_cool_off_threshold(request)
        username = get_client_username(request, credentials)
        account = login_failures(username=username, since=since) if username else 0
        address = getattr(request, "axes_ip_address", None)
        if address and login_failures(ip_address=address, since=since) >= \
                settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.LOGIN_FAILURE_LIMIT)
        return account


def record_lock(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes's `user_locked_out`: note the lock on the person (the audit trail)."""
    from partnership.accounts.services import login_lock_record

    login_lock_record(username=username)
