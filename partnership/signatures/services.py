"""Signing: the signer proves who they are again (password, and the TOTP code when they have
a confirmed device), chooses the meaning, and the signature is bound to the content."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from partnership.accounts.services import two_factor_check
from partnership.parties.models import User
from partnership.permissions import require
from partnership.signatures import notices
from partnership.signatures.declarations import content_hash, declaration
from partnership.signatures.models import Signature
from portal import throttle
from portal.locking import locked


def needs_otp(user: User) -> bool:
    """Whether the user signs with a two-factor code too: they have turned two-factor on."""
    return bool(user.two_factor_enabled)


def check_credentials(*, actor: User, password: str, otp_code: str | None) -> None:
    """The signer is the person logged in (21 CFR 11.200): their password, and their
    current code when they use two-factor authentication. A field error otherwise. Wrong
    passwords and codes count as at log-in: past the log-in's failure limit, signing stops
    for the log-in's lock time, so a session left open is no way to guess the password."""
    key = f"sign-failures:{actor.pk}"
    limit = settings.AXES_FAILURE_LIMIT
    if throttle.exceeded(key, limit=limit):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        raise ValidationError({"password": (
            f"Too many wrong passwords or codes: signing is locked for up to {minutes} "
            "minutes. Nothing was signed.")})
    error = None
    if not password or not actor.check_password(password):
        error = {"password": "The password is not correct: nothing was signed."}
    elif needs_otp(actor) and not (otp_code or "").strip():
        raise ValidationError({"otp_code": "Enter the code of your authenticator app."})
    elif needs_otp(actor) and two_factor_check(user=actor, code=otp_code) is None:
        error = {"otp_code": "The code is not correct: nothing was signed."}
    if error:
        throttle.allow(key, limit=limit,
                       window=int(settings.AXES_COOLOFF_TIME.total_seconds()))
        raise ValidationError(error)


def sign_rule(record, event: str) -> str:
    """The permission rule of `event` on `record` (declared by signatures.register)."""
    meta = type(record)._meta
    return f"{meta.app_label}.{meta.model_name}_sign_{event}"


def is_complete(record, event: str, *, current_hash: str | None = None) -> bool:
    """Whether the event is signed for the record's current content: by each party that
    signs it, or by one of them when one signature completes it."""
    signed = declaration(record, event)
    current_hash = current_hash or content_hash(record, event)
    parties = set(Signature.objects.of(record).filter(
        event=event, content_hash=current_hash).values_list("party", flat=True))
    needed = set(signed.parties(record))
    return needed <= parties if signed.all_parties else bool(needed & parties)


@transaction.atomic
def sign(*, actor: User, record, event: str, meaning: str, password: str,
         otp_code: str | None = None) -> Signature:
    """Sign `event` of `record` as `actor`, with `meaning`. Refused with 403 to whoever may
    not sign it (the event's rule), with a field error for a wrong password or code or a
    meaning not offered, and with 400 when the record is not ready or the actor's party has
    already signed this content. Once the event is complete, its `complete` service runs in
    the same transaction (a contract becomes executed). The people concerned are told
    (signatures.notices)."""
    try:
        signed = declaration(record, event)
    except (KeyError, AttributeError):
        raise ValidationError({"event": "This record has no such signature."}) from None
    record = locked(record, "partnership")
    require(actor, sign_rule(record, event), record)
    if meaning not in signed.meanings:
        raise ValidationError({"meaning": "Choose the meaning of your signature."})
    check_credentials(actor=actor, password=password, otp_code=otp_code)
    signature = Signature(
        partnership=record.partnership,
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        event=event, meaning=meaning, signer=actor,
        printed_name=actor.get_full_name() or actor.email,
        party=record.partnership.party_of(actor), organization_name=actor.organization.name,
        signed_at=timezone.now(), content_hash=content_hash(record, event))
    signature.full_clean()
    signature.save()
    complete = is_complete(record, event, current_hash=signature.content_hash)
    if signed.complete and complete:
        import_string(signed.complete)(actor=actor, record=record)
    notices.signed(actor=actor, record=record, event=event, complete=complete,
                   since=signature.signed_at)
    return signature
