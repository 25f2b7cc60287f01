"""Personal API tokens, kept as a hash: the key itself is shown once, when it is made."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.validation import validate_date_in_range

#: Every key starts so, which lets secret scanners (and people) recognise a leaked one.
KEY_PREFIX = "lsk_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest_of(key: str) -> str:
    """SHA-256 of the key: the key is 256 random bits, so a fast hash is as strong as a
    slow one, and a lookup by the digest stays one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired, of an active person."""
        return self.filter(revoked_at=None, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A key an integration sends as `Authorization: Token <key>`; it acts as its person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “LIMS export”.")
    prefix = models.CharField(max_length=12, editable=False,
                              help_text="The key's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(validators=[validate_date_in_range])
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False,
                                      validators=[validate_date_in_range])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
