"""Reads about access: a person's tokens and two-factor state, the token a key names, who is
locked out."""

import datetime
from collections.abc import Collection

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
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


def locked_emails(*, emails: Collection[str]) -> set[str]:
    """Which of these accounts are locked now after failed log-ins (django-axes's records)."""
    since = timezone.now() - (get_cool_off() or datetime.timedelta(days=36500))
    return set(AccessAttempt.objects.filter(
        username__in=list(emails), failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since).values_list("username", flat=True))


def account_security(*, request) -> dict:
    """What the profile page shows of the person's sign-in: tokens and two-factor."""
    user = request.user
    return {
        "tokens": api_token_list(user=user),
        "new_token": request.session.pop("new_api_token", None),
        "backup_codes_left": backup_codes_left(user=user) if user.two_factor_enabled else 0,
    }
