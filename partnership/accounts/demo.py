"""The demo's sign-in (seed_demo): the platform operator signs in with two-factor, on a
demo key printed in the README so that anyone trying the demo can add it to an app; Mei's
LIMS export has an API token. Safe to run again."""

from base64 import b32decode
from binascii import hexlify

from django_otp.oath import TOTP

from partnership.accounts import services
from partnership.accounts.models import ApiToken

#: Base32, as authenticator apps take it. A demo secret, public on purpose.
DEMO_TOTP_KEY = "LOCKSTEPDEMOKEY2LOCKSTEPDEMOKEY2"


def seed(*, operator, mei) -> None:
    if not operator.two_factor_enabled:
        device = services.two_factor_begin(actor=operator)
        # The service draws a random secret; the demo's is known, so it is set before the
        # person's first code confirms it, as their app would.
        device.key = hexlify(b32decode(DEMO_TOTP_KEY)).decode()
        device.save(update_fields=["key"])
        code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
        services.two_factor_confirm(actor=operator, device=device, code=f"{code:06d}")
    if not ApiToken.objects.filter(user=mei, name="Meridian LIMS export").exists():
        services.api_token_create(actor=mei, name="Meridian LIMS export", days=365)
