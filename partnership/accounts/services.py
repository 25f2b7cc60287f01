"""Writes about access: personal API tokens, two-factor devices and backup codes, whether an
organization requires two-factor, what an admin does about a colleague's access
(deactivate, reactivate, unlock, reset two-factor), and the note on a person that failed
log-ins locked their account (so the audit trail has both the lock and who lifted it).

Checking a code is a transaction of its own, committed whatever the answer: django-otp
counts a wrong code on the device (1, 2, 4 … seconds before the next try), and that count
must survive the refusal that follows."""

import datetime
import logging

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import ApiToken, digest_of, new_key
from partnership.accounts.selectors import login_failures
from partnership.history.context import recording
from partnership.parties.models import Organization, User
from partnership.permissions import require
from portal.locking import locked

logger = logging.getLogger(__name__)
#: How long a new token lasts: days -> label.
TOKEN_LIFETIMES = {30: "30 days", 90: "90 days", 365: "1 year"}
#: Usable tokens a person may hold at once.
MAX_TOKENS = 10
BACKUP_CODES = 10
#: How often last_used_at is written for a token in steady use.
TOUCH_EVERY = datetime.timedelta(minutes=1)
WRONG_CODE = "That code is not right or has expired. Enter the 6-digit code your app shows now."
REQUIRED = ("Your organization requires two-factor sign-in, so it stays on. To move it to a "
            "new phone, set it up again; if you lost your phone, ask your organization's admin.")


def _person(user) -> User:
    """The person's row under a lock (`user` is often request.user, a lazy object)."""
    return User.objects.select_for_update(of=("self",)).select_related("organization").get(
        pk=user.pk)


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token and its key, which is shown once and never stored (only its digest)."""
    name = (name or "").strip()
    if days not in TOKEN_LIFETIMES:
        raise ValidationError({"days": "Choose how long the token lasts: "
                                       f"{', '.join(TOKEN_LIFETIMES.values())}."})
    person = _person(actor)
    if ApiToken.objects.usable().filter(user=person).count() >= MAX_TOKENS:
        raise ValidationError({"name": f"You have {MAX_TOKENS} tokens already: revoke one "
                                       "you no longer use first."})
    key = new_key()
    token = ApiToken(user=person, name=name, prefix=key[:12], digest=digest_of(key),
                     expires_at=timezone.now() + datetime.timedelta(days=days))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    token = locked(token)
    if token.user_id != actor.pk:
        raise PermissionDenied("Only its owner revokes a token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used: at most once a minute, one conditional UPDATE, so a
    busy integration does not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gte=now - TOUCH_EVERY) \
            .update(last_used_at=now)


# --- Two-factor ---------------------------------------------------------------------------

@transaction.atomic
def two_factor_begin(*, actor: User) -> TOTPDevice:
    """A new secret for the person's authenticator app; it counts once a code from the app
    confirms it (two_factor_confirm). An earlier unconfirmed one is dropped."""
    TOTPDevice.objects.filter(user_id=actor.pk, confirmed=False).delete()
    return TOTPDevice.objects.create(user_id=actor.pk, name="Authenticator app",
                                     confirmed=False)


def _check(device, code: str) -> bool:
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        return device.verify_token(code)


def _normalized(code: str) -> str:
    return "".join((code or "").split()).lower()


def two_factor_confirm(*, actor: User, device: TOTPDevice, code: str
                       ) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on with `device` (the one being set up) once `code` comes from it:
    it replaces any earlier app, and a fresh set of backup codes is made and returned."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied("That authenticator is not yours to confirm.")
    if not _check(device, _normalized(code)):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        person = _person(actor)
        TOTPDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = _new_backup_codes(person)
        person.two_factor_enabled = True
        person.save(update_fields=["two_factor_enabled"])
    device.refresh_from_db()
    return device, codes


def _new_backup_codes(person: User) -> list[str]:
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name="Backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def backup_codes_renew(*, actor: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    person = _person(actor)
    if not person.two_factor_enabled:
        raise ValidationError("Turn on two-factor first.")
    return _new_backup_codes(person)


def two_factor_check(*, user: User, code: str):
    """The person's device that accepts `code` (a 6-digit code from the app, or a backup
    code, which then is used up), or None. What log-in's second step asks, and what a
    signature asks of a person with two-factor."""
    code = _normalized(code)
    if not code or not user.two_factor_enabled:
        return None
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    for device in model.objects.filter(user_id=user.pk, confirmed=True):
        if _check(device, code):
            return device
    return None


def two_factor_disable(*, actor: User, code: str) -> None:
    """Turn two-factor off, proving it with a current code; not where the organization
    requires it."""
    organization = actor.organization
    if organization is not None and organization.require_two_factor:
        raise ValidationError(REQUIRED)
    if two_factor_check(user=actor, code=code) is None:
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        _remove_devices(_person(actor))


def _remove_devices(person: User) -> None:
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    person.two_factor_enabled = False
    person.save(update_fields=["two_factor_enabled"])


# --- What an admin does about a colleague's access ----------------------------------------

def _end_sessions(person: User) -> None:
    """Every session of the person fails its next request (User.session_epoch)."""
    User.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """For a colleague who lost their phone: their app and backup codes stop working and
    their sessions end; they sign in with their password and set up a new app (at once,
    where the organization requires it)."""
    require(actor, "partnership.person_access_manage", user)
    person = _person(user)
    _remove_devices(person)
    _end_sessions(person)


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """The person can no longer sign in; their open sessions end and their API tokens are
    revoked now, not when they expire."""
    require(actor, "partnership.person_deactivate", user)
    person = _person(user)
    person.is_active = False
    person.save(update_fields=["is_active"])
    _end_sessions(person)
    ApiToken.objects.filter(user=person, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> None:
    """They sign in again; their old sessions and tokens stay ended."""
    require(actor, "partnership.person_access_manage", user)
    person = _person(user)
    person.is_active = True
    person.save(update_fields=["is_active"])


def login_lock_record(*, username: str | None) -> bool:
    """Note on the person that failed log-ins have just locked their account (django-axes
    tells us, at the lock and at each refused try after it): the audit trail records it on
    the person, once a lock, with the page's door and no one signed in. A name that is no
    account's changes nothing, and the page says the same either way. True when written."""
    if not username or login_failures(username=username) < settings.LOGIN_FAILURE_LIMIT:
        return False
    now = timezone.now()
    lock_time = get_cool_off()
    minutes = round(lock_time.total_seconds() / 60)
    with recording(reason=f"{settings.LOGIN_FAILURE_LIMIT} or more wrong passwords within "
                          f"{minutes} minutes"):
        written = User.objects.filter(email=username).filter(
            Q(login_locked_at=None) | Q(login_locked_at__lt=now - lock_time)
        ).update(login_locked_at=now)
    if written:
        logger.warning("Log-in of %s locked after failed log-ins", username)
    return bool(written)


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift the lock after failed log-ins on the person's account (django-axes's records of
    it are removed; its access log keeps them). The person's `login_locked_at` is cleared in
    the same transaction, so the audit trail says who unlocked it and when. Returns how many
    of axes's records were lifted."""
    require(actor, "partnership.person_access_manage", user)
    person = _person(user)
    lifted = axes_reset(username=person.email)
    if person.login_locked_at is not None:
        person.login_locked_at = None
        with recording(reason="Lock after failed log-ins lifted"):
            person.save(update_fields=["login_locked_at"])
    logger.warning("Log-in of %s unlocked by %s (%s records lifted)", person.email,
                   actor.email, lifted)
    return lifted


@transaction.atomic
def organization_two_factor_set(*, actor: User, required: bool) -> Organization:
    """Whether the admin's organization requires two-factor: from the next request on, each
    of its people without it is sent to set it up before anything else."""
    require(actor, "partnership.organization_two_factor_set")
    organization = locked(actor.organization)
    organization.require_two_factor = required
    organization.save(update_fields=["require_two_factor"])
    return organization
