"""Reads about access: a person's tokens and two-factor state, the token a key names, who is
locked out (failed log-ins counted per account and per address) and when."""

import datetime
from collections.abc import Collection

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import ApiToken, digest_of


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The person's tokens but the revoked ones, newest first (expired ones say so)."""
    return ApiToken.objects.filter(user_id=user.pk, revoked_at=None)


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The usable token `key` names, with its person and their organization."""
    return ApiToken.objects.usable().select_related("user__organization").filter(
        digest=digest_of(key)).first()


def pending_device(*, user) -> TOTPDevice | None:
    """The authenticator being set up: made, not yet confirmed by a code from it."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk).count()


def two_factor_wait(*, user) -> datetime.datetime | None:
    """Until when django-otp refuses codes after wrong ones (1, 2, 4 … seconds), if it does."""
    for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            return data["locked_until"]
    return None


def _recent_attempts(since: datetime.datetime | None = None) -> QuerySet[AccessAttempt]:
    """django-axes's records of failed log-ins still inside the lock time."""
    if since is None:
        since = timezone.now() - (get_cool_off() or datetime.timedelta(days=36500))
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def login_failures(*, username: str | None = None, ip_address: str | None = None,
                   since: datetime.datetime | None = None) -> int:
    """Failed log-ins within the lock time naming the account `username`, or coming from
    `ip_address` (whichever is given), over every address and browser they came from."""
    if not username and not ip_address:
        return 0
    attempts = _recent_attempts(since)
    attempts = attempts.filter(username=username) if username else attempts.filter(
        ip_address=ip_address)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def locked_emails(*, emails: Collection[str]) -> set[str]:
    """Which of these accounts are locked now after failed log-ins (django-axes's records,
    summed over the addresses the failures came from)."""
    return set(_recent_attempts().filter(username__in=list(emails)).values("username")
               .annotate(total=Sum("failures_since_start"))
               .filter(total__gte=settings.LOGIN_FAILURE_LIMIT)
               .values_list("username", flat=True))


def account_security(*, request) -> dict:
    """What the profile page shows of the person's sign-in: tokens and two-factor."""
    user = request.user
    return {
        "tokens": api_token_list(user=user),
        "new_token": request.session.pop("new_api_token", None),
        "backup_codes_left": backup_codes_left(user=user) if user.two_factor_enabled else 0,
    }
