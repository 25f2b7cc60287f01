"""People: the User model (log-in by e-mail address, one organization, a time zone), its
manager's scoping (`UserManager.visible_to`, the people rule of DESIGN §2), and the daily
notice to an address invited again although it already has an account.

Kept beside partnership.parties.models, which imports them from here: the migrations name
`partnership.parties.models.UserManager` and `.validate_time_zone`, and those names stay.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from partnership.search import full_name, trigram_index
from portal.validation import validate_date_in_range


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as Europe/Milan.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str):
        """Log-in ignores the case of the e-mail address (it is stored in lower case)."""
        return self.get(email=email.strip().lower())

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def visible_to(self, user) -> models.QuerySet:
        """People the user shares a partnership with, plus (for org admins) their colleagues."""
        from partnership.parties.models import Membership

        if not user.is_authenticated:
            return self.none()
        shared = Membership.objects.visible_to(user).values("user_id")
        condition = Q(pk=user.pk) | Q(pk__in=shared)
        if user.is_org_admin and user.organization_id:
            condition |= Q(organization_id=user.organization_id)
        return self.filter(condition)

    def who_may_see(self, partnership) -> models.QuerySet:
        """The people for whom `partnership` is in Partnership.objects.visible_to(person):
        the same rule of DESIGN §2 read from the partnership's side (its members, and the
        admins of its two organizations), for whoever must tell people about its records."""
        from partnership.parties.models import Membership

        return self.filter(
            Q(pk__in=Membership.objects.filter(partnership=partnership).values("user_id"))
            | Q(is_org_admin=True,
                organization_id__in=[partnership.sponsor_id, partnership.cdmo_id]))


class User(AbstractUser):
    """A person; logs in with their e-mail address and belongs to one organization."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    organization = models.ForeignKey(
        "partnership.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
        help_text="Empty only for platform operators.",
    )
    is_org_admin = models.BooleanField(
        "organization admin", default=False,
        help_text="Can invite people of their organization and assign them to partnerships.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    invitation_sent_at = models.DateTimeField(null=True, blank=True, editable=False,
                                              validators=[validate_date_in_range])
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone],
        help_text="Times are shown to you in this zone.",
    )
    # Django's own two, with the portal's bound on dates (the admin edits them).
    last_login = models.DateTimeField("last login", blank=True, null=True,
                                      validators=[validate_date_in_range])
    date_joined = models.DateTimeField("date joined", default=timezone.now,
                                       validators=[validate_date_in_range])
    # Kept by partnership.accounts.services with the person's confirmed devices, so that no
    # request has to look for devices to know whether to ask for a code.
    two_factor_enabled = models.BooleanField("two-factor", default=False, editable=False)
    # Raised to end every session of the person at once (deactivation, a two-factor reset):
    # part of the hash each session carries, so an older session fails its next request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Set when failed log-ins lock the account, cleared when an admin unlocks it: the audit
    # trail records both on the person (partnership.accounts.services), with who unlocked.
    # django-axes's records decide whether log-in is refused; a lock that ran out leaves this.
    login_locked_at = models.DateTimeField("log-in locked at", null=True, blank=True,
                                           editable=False, validators=[validate_date_in_range])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        # Global search finds people by name, near-misses too (governance.overview).
        indexes = [trigram_index(full_name(), "user_name_trgm")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret) -> str:
        """Django's (the password hash, so a new password ends other sessions), and the
        session epoch."""
        return salted_hmac("lockstep.session", f"{self.password}:{self.session_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()


class InvitationNotice(models.Model):
    """One e-mail a day at most to the owner of an address that was invited although it
    already has an account. The unique key makes the job that sends it run once, and
    stops an admin who invites the same address again and again from flooding a mailbox.
    Kept apart from the User row, which an invitation never changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="UTC date of the invitation.",
                           validators=[validate_date_in_range])
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"],
                                               name="invitation_notice_once_a_day")]

    def __str__(self) -> str:
        return f"Invitation notice to {self.user} on {self.day}"
