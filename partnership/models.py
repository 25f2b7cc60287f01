"""Parties and what binds them: organizations, sites, partnerships, people, programs.

THE scoping rule of DESIGN §2 lives here, in `PartnershipQuerySet.visible_to` and in
`SharedQuerySet.visible_to` that every shared record inherits. Views, API viewsets, exports
and tasks start from `Model.objects.visible_to(user)`; nothing else decides who sees what.
"""

import datetime
import zoneinfo
from collections.abc import Collection

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import (
    DomainNameValidator,
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from partnership.notifications.models import (  # noqa: F401 (the app's models)
    Notification,
    NotificationPreference,
)
from partnership.rules import FieldRules, FixedOnce, OwnedBy
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as Europe/Milan.")


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """The user's own organization and those it shares a visible partnership with."""
        if not user.is_authenticated or user.organization_id is None:
            return self.none()
        partnerships = Partnership.objects.visible_to(user)
        return self.filter(
            Q(pk=user.organization_id)
            | Q(pk__in=partnerships.values("sponsor_id"))
            | Q(pk__in=partnerships.values("cdmo_id"))
        )


class Organization(models.Model):
    class Kind(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        CDMO = "cdmo", "CDMO"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_plain_address(value: str) -> None:
    """An address whose part before the @ is plain: no quotes and no second @. The standard
    allows `"mei@meridian.example"@northwind.example`, which is delivered to Northwind but
    reads, in every list of people and every e-mail, as someone of Meridian."""
    local = value.rpartition("@")[0]
    if any(character in local for character in '"@\\'):
        raise ValidationError(
            "Enter an address without quotes or a second @, such as name@example.com.",
            code="quoted_address")


def normalize_domain(value: str) -> str:
    """What follows the @ of an address, as stored: no spaces, no @, lower case."""
    return value.strip().removeprefix("@").rstrip(".").lower()


class OrganizationDomain(models.Model):
    """An e-mail domain the platform operators have verified as an organization's own.

    Its admins may invite addresses at these domains only: otherwise a sponsor could invite
    anyone@competitor.example into its own organization and so take that address from its
    owner. One domain belongs to one organization. Exactly the part after the @: a
    subdomain is another domain, added on its own."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="domains")
    domain = models.CharField(
        max_length=253, unique=True, validators=[DomainNameValidator()],
        help_text="The part after the @, e.g. northwind.example. Add subdomains separately.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, editable=False, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [models.CheckConstraint(condition=Q(domain=Lower("domain")),
                                              name="organization_domain_lower_case")]

    def __str__(self) -> str:
        return self.domain


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
        return self.filter(
            Q(pk__in=Membership.objects.filter(partnership=partnership).values("user_id"))
            | Q(is_org_admin=True,
                organization_id__in=[partnership.sponsor_id, partnership.cdmo_id]))


class User(AbstractUser):
    """A person; logs in with their e-mail address and belongs to one organization."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


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


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SiteQuerySet":
        """Sites of the organizations the user may see (a CDMO's sites, not who uses them)."""
        return self.filter(organization__in=Organization.objects.visible_to(user))


class Site(models.Model):
    """A plant or lab of an organization. Its local time matters to the people who call it."""

    class Capability(models.TextChoices):
        DRUG_SUBSTANCE = "drug_substance", "Drug substance"
        DRUG_PRODUCT = "drug_product", "Drug product"
        FILL_FINISH = "fill_finish", "Fill-finish"
        ANALYTICAL = "analytical", "Analytical testing"
        PACKAGING = "packaging", "Packaging"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSING = "closing", "Closing"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=100)
    city = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    capabilities = ArrayField(
        models.CharField(max_length=30, choices=Capability.choices), default=list, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(
        null=True, blank=True, help_text="When the site closes or closed.",
        validators=[validate_date_in_range],
    )
    opens_at = models.TimeField(default=datetime.time(8, 0), help_text="Local time.")
    closes_at = models.TimeField(default=datetime.time(17, 0), help_text="Local time.")
    is_main = models.BooleanField(
        "main site", default=False,
        help_text="Meeting times are shown at each party's main site as well.")

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="site_unique_name"),
            models.UniqueConstraint(fields=["organization"], condition=Q(is_main=True),
                                    name="site_one_main_per_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    def clean(self) -> None:
        if self.status != self.Status.ACTIVE and not self.status_date:
            raise ValidationError({"status_date": "Give the date the site closes or closed."})

    def local_now(self):
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def working_hours_in(self, zone) -> tuple[datetime.datetime, datetime.datetime]:
        """Today's working hours of the site, as datetimes in `zone` (the viewer's)."""
        local = zoneinfo.ZoneInfo(self.time_zone)
        today = self.local_now().date()
        return (datetime.datetime.combine(today, self.opens_at, local).astimezone(zone),
                datetime.datetime.combine(today, self.closes_at, local).astimezone(zone))

    def get_capabilities_display(self) -> list[str]:
        labels = dict(self.Capability.choices)
        return [labels.get(code, code) for code in self.capabilities]


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnershipQuerySet":
        """The root of DESIGN §2: a member of it, or an admin of one of its two organizations."""
        if not user.is_authenticated:
            return self.none()
        condition = Q(pk__in=Membership.objects.filter(user=user).values("partnership_id"))
        if user.is_org_admin and user.organization_id:
            condition |= Q(sponsor_id=user.organization_id) | Q(cdmo_id=user.organization_id)
        return self.filter(condition)


class Partnership(models.Model):
    """One sponsor and one CDMO: the tenancy boundary every shared record belongs to."""

    sponsor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="sponsor_partnerships",
        limit_choices_to={"kind": Organization.Kind.SPONSOR},
    )
    cdmo = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="cdmo_partnerships",
        limit_choices_to={"kind": Organization.Kind.CDMO}, verbose_name="CDMO",
    )
    description = models.TextField(blank=True)
    # Bounds of the negotiation warnings: past them nothing would ever be flagged, and the
    # other party reads them as agreed (a draft answered within a year is no warning sign).
    MAX_ROUND_THRESHOLD = 50
    MAX_TURNAROUND_THRESHOLD = 365
    negotiation_round_threshold = models.PositiveIntegerField(
        default=4, validators=[MaxValueValidator(MAX_ROUND_THRESHOLD)],
        help_text="Warn when a contract needs more negotiation rounds than this: from 0 to "
                  f"{MAX_ROUND_THRESHOLD}.")
    negotiation_turnaround_threshold = models.PositiveIntegerField(
        default=10, validators=[MaxValueValidator(MAX_TURNAROUND_THRESHOLD)],
        help_text="Warn when a party's median answer takes longer (days): from 0 to "
                  f"{MAX_TURNAROUND_THRESHOLD}.")
    # Bounds of the request settings: acknowledging takes at least an hour and at most a
    # quarter (longer is no agreed time at all, and overflows the dates); more than one
    # emergency a day is no budget.
    MAX_ACKNOWLEDGEMENT_HOURS = 24 * 90
    MAX_EMERGENCY_BUDGET = 31
    acknowledgement_hours = models.PositiveIntegerField(
        default=48, validators=[MinValueValidator(1),
                                MaxValueValidator(MAX_ACKNOWLEDGEMENT_HOURS)],
        help_text="Hours the receiving party has to acknowledge a formal request: from 1 to "
                  f"{MAX_ACKNOWLEDGEMENT_HOURS} (90 days).")
    sponsor_emergency_budget = models.PositiveIntegerField(
        default=2, validators=[MaxValueValidator(MAX_EMERGENCY_BUDGET)],
        help_text="Emergency requests the sponsor may send per calendar month (UTC) without a "
                  f"written justification: from 0 to {MAX_EMERGENCY_BUDGET}.")
    cdmo_emergency_budget = models.PositiveIntegerField(
        "CDMO emergency budget", default=2, validators=[MaxValueValidator(MAX_EMERGENCY_BUDGET)],
        help_text="Emergency requests the CDMO may send per calendar month (UTC) without a "
                  f"written justification: from 0 to {MAX_EMERGENCY_BUDGET}.")
    created_at = models.DateTimeField(auto_now_add=True)

    #: The settings both parties agree (a lead of either side changes them and the other
    #: side's leads are told), with the words the settings page and the notice use.
    AGREED_SETTINGS = {
        "negotiation_round_threshold": "Warn after this many negotiation rounds",
        "negotiation_turnaround_threshold":
            "Warn when a party's median answer takes more days than",
        "acknowledgement_hours": "Hours to acknowledge a formal request",
        "sponsor_emergency_budget": "Sponsor's emergency requests per month",
        "cdmo_emergency_budget": "CDMO's emergency requests per month",
    }

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["sponsor__name", "cdmo__name"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "cdmo"], name="partnership_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor.name} – {self.cdmo.name}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:partnership_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.sponsor_id and self.sponsor.kind != Organization.Kind.SPONSOR:
            errors["sponsor"] = "The sponsor must be a sponsor organization."
        if self.cdmo_id and self.cdmo.kind != Organization.Kind.CDMO:
            errors["cdmo"] = "The CDMO must be a CDMO organization."
        if errors:
            raise ValidationError(errors)

    def party_of(self, user) -> str | None:
        """'sponsor' or 'cdmo' for a user of one of the two organizations, else None."""
        if user.organization_id == self.sponsor_id:
            return "sponsor"
        if user.organization_id == self.cdmo_id:
            return "cdmo"
        return None

    def organizations(self) -> list[Organization]:
        return [self.sponsor, self.cdmo]

    def organization_id_of(self, party: str) -> int:
        """The id of the organization that is `party` ('sponsor' or 'cdmo') here."""
        return self.sponsor_id if party == "sponsor" else self.cdmo_id

    @staticmethod
    def other_party(party: str) -> str:
        return "cdmo" if party == "sponsor" else "sponsor"

    def role_of(self, user) -> str | None:
        """The user's role here; 'admin' for an organization admin without a seat."""
        role = (
            Membership.objects.filter(partnership=self, user=user)
            .values_list("role", flat=True)
            .first()
        )
        if role is None and user.is_org_admin and self.party_of(user):
            return "admin"
        return role

    def can_write(self, user, *, role: str | None = None) -> bool:
        """Viewers and steering members read; leads, members, QA leads and admins write."""
        role = role if role is not None else self.role_of(user)
        return role == "admin" or role in Membership.WRITING_ROLES

    def seated_people(self, *, party: str | None = None,
                      roles: Collection[str] | None = None) -> models.QuerySet:
        """The only people a record of this partnership may name (an owner, an assignee, an
        attendee, a contact, someone to thank): those with a seat HERE, of `party` ('sponsor'
        or 'cdmo') and with one of `roles` in this seat, if given. Belonging to the right
        organization is not enough: a colleague seated only in another partnership of the
        same CDMO is someone this partnership's sponsor must never learn of (DESIGN §2), and
        an organization admin sees the partnership without being part of its work until
        given a seat. Unscoped: selectors.seated_people narrows it to what a user may see."""
        seats = Membership.objects.filter(partnership=self)
        if roles is not None:
            seats = seats.filter(role__in=roles)
        people = User.objects.filter(pk__in=seats.values("user_id"))
        if party is not None:
            people = people.filter(organization_id=self.organization_id_of(party))
        return people


def has_internal_flag(model) -> bool:
    """Whether rows of `model` carry their own `is_internal` flag (SharedRecord's)."""
    return any(field.name == "is_internal" for field in model._meta.get_fields())


def internal_paths(model, prefix: str = ""):
    """Lookup paths to every parent whose `is_internal` flag hides rows of `model`: the
    parents named in its INTERNAL_VIA, and theirs in turn (a milestone of a transfer of an
    internal program is as internal as the program)."""
    for name in getattr(model, "INTERNAL_VIA", ()):
        path = f"{prefix}{name}"
        yield path
        yield from internal_paths(model._meta.get_field(name).related_model, f"{path}__")


def shared_lookups(model) -> dict[str, bool]:
    """Filter of the rows of `model` that both parties see, whoever asks: neither the row nor
    any parent it inherits from is internal (a shared record may point only at those)."""
    lookups = {f"{path}__is_internal": False for path in internal_paths(model)}
    if has_internal_flag(model):
        lookups["is_internal"] = False
    return lookups


def is_shared(record) -> bool:
    """Whether both parties see `record` (an instance, saved or not): neither it nor any
    parent it inherits from through INTERNAL_VIA is internal."""
    if has_internal_flag(type(record)) and record.is_internal:
        return False
    parents = (getattr(record, name) for name in getattr(type(record), "INTERNAL_VIA", ()))
    return all(is_shared(parent) for parent in parents if parent is not None)


def made_by(model, partnership: "Partnership", organization_id: int) -> Q | None:
    """Filter of the rows of `model` (of `partnership`) that people of `organization_id`
    wrote or own, read from the model's MADE_BY: lookups that end at an organization (the
    author's, an uploader's, an owner's) or at a party field ('sponsor' / 'cdmo', who sent
    a negotiation round). None when MADE_BY names nobody: the rows are made with their
    parent (by whoever made it) or by the jobs."""
    party = "sponsor" if organization_id == partnership.sponsor_id else "cdmo"
    condition = None
    for lookup in getattr(model, "MADE_BY", ()):
        field, target = None, model
        for name in lookup.split("__"):
            field = target._meta.get_field(name)
            target = field.related_model
        value = organization_id if target is Organization else party
        condition = Q(**{lookup: value}) if condition is None else \
            condition | Q(**{lookup: value})
    return condition


def check_refers_to_shared(record, name: str, targets) -> None:
    """A record both parties see may refer (field `name`) only to records both parties see:
    through it the other party would read the title of an internal one. Refused with a field
    error; an internal record may refer to its own party's internal records."""
    model = record._meta.get_field(name).related_model
    ids = [target.pk for target in targets if target is not None]
    if not ids or not is_shared(record) or not (has_internal_flag(model)
                                                 or any(internal_paths(model))):
        return
    shared = set(model._default_manager.filter(pk__in=ids, **shared_lookups(model))
                 .values_list("pk", flat=True))
    if any(pk not in shared for pk in ids):
        raise ValidationError({name: "Only a record marked internal can refer to an "
                                     "internal one."})


def check_foreign_keys_refer_to_shared(record) -> None:
    """check_refers_to_shared for each foreign key of `record`, except the parents it
    inherits its flag from (INTERNAL_VIA: those make it internal with them instead)."""
    inherited = set(getattr(type(record), "INTERNAL_VIA", ()))
    for field in record._meta.concrete_fields:
        if field.many_to_one and field.name not in inherited and \
                getattr(record, field.attname) is not None and \
                (has_internal_flag(field.related_model) or any(internal_paths(
                    field.related_model))):
            check_refers_to_shared(record, field.name, [getattr(record, field.name)])


class SharedQuerySet(models.QuerySet):
    """Queryset of a record that belongs to one partnership (every shared record)."""

    def visible_to(self, user) -> "SharedQuerySet":
        """Records of the user's partnerships, less those internal to the other party: the
        record's own flag, and that of each parent reached through INTERNAL_VIA (the rounds
        of an internal contract are as internal as the contract)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(partnership__in=Partnership.objects.visible_to(user)).seen_by(
            user.organization_id)

    def seen_by(self, organization_id: int | None) -> "SharedQuerySet":
        """The rows people of `organization_id` may see under the internal rule alone: each
        flag on the way up (the row's own, its INTERNAL_VIA parents') is off, or theirs."""
        queryset = self
        paths = list(internal_paths(self.model))
        if has_internal_flag(self.model):
            paths.insert(0, "")
        for path in paths:
            prefix = f"{path}__" if path else ""
            queryset = queryset.filter(
                Q(**{f"{prefix}is_internal": False})
                | Q(**{f"{prefix}author_organization_id": organization_id})
            )
        return queryset


def search_document_field(title: str, *text: str) -> models.GeneratedField:
    """The document global search (governance.selectors.search) matches a record by: its
    title weighted A, its other text B, in English.

    Stored (computed by PostgreSQL on every write) and GIN-indexed in each searched model's
    Meta, so a search finds its matches in the index and ranks them from the stored value:
    no row's text is parsed again at search time, however many rows match."""
    vector = SearchVector(title, weight="A", config="english")
    if text:
        vector = vector + SearchVector(*text, weight="B", config="english")
    return models.GeneratedField(expression=vector, output_field=SearchVectorField(),
                                 db_persist=True)


class SharedRecord(models.Model):
    """Base of every record shared inside a partnership.

    `is_internal` marks a record seen only by the party that wrote it (DESIGN §2), for
    example a sponsor's own assessment of its CDMO.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    is_internal = models.BooleanField(
        "internal", default=False, help_text="Only your own organization will see it."
    )
    author_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    #: Who wrote a row (made_by): the party that may hide it, and that no one else may
    #: hide from, by hiding a parent it sits beneath.
    MADE_BY = ("author_organization",)

    class Meta:
        abstract = True

    @property
    def author_party(self) -> str | None:
        """'sponsor' or 'cdmo': the party that wrote the record."""
        if self.author_organization_id == self.partnership.sponsor_id:
            return "sponsor"
        if self.author_organization_id == self.partnership.cdmo_id:
            return "cdmo"
        return None


class Membership(models.Model):
    """A user's seat in a partnership. The user must belong to one of its two organizations."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"
        QA_LEAD = "qa_lead", "QA lead"
        STEERING = "steering", "Steering committee"
        VIEWER = "viewer", "Viewer"

    WRITING_ROLES = {Role.LEAD, Role.MEMBER, Role.QA_LEAD}

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} in {self.partnership}"

    def clean(self) -> None:
        if self.user_id and self.partnership_id and self.user.organization_id not in (
            self.partnership.sponsor_id, self.partnership.cdmo_id
        ):
            raise ValidationError(
                {"user": "Only people of the sponsor or the CDMO can join this partnership."}
            )


class Program(SharedRecord):
    """A sponsor's product or project as it runs in one partnership.

    A program split across several CDMOs has one record per partnership with the same code,
    so nothing of one CDMO's work is stored where another CDMO can reach it.
    """

    class Modality(models.TextChoices):
        SMALL_MOLECULE = "small_molecule", "Small molecule"
        BIOLOGIC = "biologic", "Biologic (mAb, protein)"
        CELL_GENE = "cell_gene", "Cell and gene therapy"
        VACCINE = "vaccine", "Vaccine"
        OLIGONUCLEOTIDE = "oligonucleotide", "Oligonucleotide / peptide"

    class Phase(models.TextChoices):
        PRECLINICAL = "preclinical", "Preclinical"
        PHASE_1 = "phase_1", "Phase 1"
        PHASE_2 = "phase_2", "Phase 2"
        PHASE_3 = "phase_3", "Phase 3"
        COMMERCIAL = "commercial", "Commercial"

    code = models.CharField(max_length=30,
                            help_text="The sponsor's own code for the program, as its "
                                      "documents give it.")
    name = models.CharField(max_length=200)
    modality = models.CharField(max_length=20, choices=Modality.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    description = models.TextField(blank=True)
    sites = models.ManyToManyField(Site, blank=True, related_name="programs",
                                   help_text="The CDMO sites where this program runs.")
    search_document = search_document_field("name", "code", "description")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="program_unique_code"),
        ]
        indexes = [models.Index(fields=["partnership", "phase"]),
                   GinIndex(fields=["search_document"], name="program_search")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:program_detail", args=[self.partnership_id, self.pk])


class Contract(SharedRecord):
    """An agreement between the two parties, in a tree (an SOW under its MSA, amendments
    under what they amend), run from first draft through negotiation to execution."""

    class Kind(models.TextChoices):
        MSA = "msa", "Master services agreement"
        SOW = "sow", "Statement of work"
        QUALITY_AGREEMENT = "quality_agreement", "Quality agreement"
        CHANGE_ORDER = "change_order", "Change order"
        NDA = "nda", "Non-disclosure agreement"
        AMENDMENT = "amendment", "Amendment"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NEGOTIATION = "negotiation", "In negotiation"
        EXECUTED = "executed", "Executed"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    WORKFLOW = Workflow({
        Status.DRAFT: {Status.NEGOTIATION: "Start negotiation"},
        Status.NEGOTIATION: {Status.EXECUTED: "Mark executed", Status.DRAFT: "Back to draft"},
        Status.EXECUTED: {Status.EXPIRED: "Mark expired", Status.TERMINATED: "Terminate"},
    })

    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=40, help_text="The contract number both sides use.")
    title = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        help_text="The agreement this one sits under (an SOW's MSA, what an amendment amends).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    expiry_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    # Longer than any notice clause (a year or two at most): a bigger number is a typo, and
    # past 999,999,999 days the renewal notice date cannot even be computed.
    MAX_RENEWAL_NOTICE_DAYS = 3 * 365
    renewal_notice_days = models.PositiveIntegerField(
        default=90, validators=[MaxValueValidator(MAX_RENEWAL_NOTICE_DAYS)],
        help_text="Days before expiry by which renewal must be raised: at most "
                  f"{MAX_RENEWAL_NOTICE_DAYS} (three years).",
    )
    search_document = search_document_field("title", "reference")

    class Meta:
        ordering = ["reference"]
        # Unique among the contracts one party can see, never against the other party's
        # internal ones: else "this reference already exists" would tell a party the numbers
        # of contracts it may not see (DESIGN §2). Both parties see every shared contract;
        # the party that wrote an internal one sees all its own. (That no contract a party
        # sees shares the reference of another it sees is the service's check.)
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], condition=Q(is_internal=False),
                name="contract_unique_shared_reference",
                violation_error_message="Another contract of this partnership has this "
                                        "reference."),
            models.UniqueConstraint(
                fields=["partnership", "author_organization", "reference"],
                condition=Q(is_internal=True), name="contract_unique_internal_reference",
                violation_error_message="Another contract of this partnership has this "
                                        "reference."),
        ]
        indexes = [models.Index(fields=["partnership", "status", "expiry_date"]),
                   GinIndex(fields=["search_document"], name="contract_search")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:contract_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.parent_id and self.partnership_id and \
                self.parent.partnership_id != self.partnership_id:
            errors["parent"] = "The parent contract must belong to the same partnership."
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = "A contract cannot sit under itself."
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = "The expiry date is before the effective date."
        if self.kind in (self.Kind.SOW, self.Kind.AMENDMENT, self.Kind.CHANGE_ORDER) and \
                not self.parent_id:
            errors["parent"] = f"A {self.get_kind_display().lower()} sits under another contract."
        if self.status == self.Status.EXECUTED and not self.effective_date:
            errors["effective_date"] = "An executed contract needs its effective date."
        if errors:
            raise ValidationError(errors)

    @property
    def renewal_notice_date(self):
        if not self.expiry_date:
            return None
        return self.expiry_date - datetime.timedelta(days=self.renewal_notice_days)

    def in_notice_period(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.status == self.Status.EXECUTED and self.expiry_date is not None
                and self.renewal_notice_date <= today <= self.expiry_date)


class NegotiationRound(models.Model):
    """One exchange of a contract draft: who sent it, when, and when the other side answered."""

    INTERNAL_VIA = ("contract",)
    MADE_BY = ("sent_by",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(editable=False)
    sent_by = models.CharField("sent by", max_length=10, choices=Organization.Kind.choices)
    sent_on = models.DateField(validators=[validate_date_in_range])
    answered_on = models.DateField(null=True, blank=True,
                                   help_text="When the other party sent its answer.",
                                   validators=[validate_date_in_range])
    summary = models.TextField(help_text="What changed in this draft.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    #: Each party dates its own part of a round: the turnaround computed from the dates is
    #: held against the party that answered (the early warnings of DESIGN §3).
    FIELD_RULES = FieldRules(
        OwnedBy(("sent_on", "summary"), party=lambda round_: round_.sent_by,
                because="the party that sent a draft dates and describes it"),
        OwnedBy(("answered_on",), party=lambda round_: round_.answered_by,
                because="the party that answered dates its own answer"),
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="round_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.contract.reference}"

    def clean(self) -> None:
        if self.answered_on and self.sent_on and self.answered_on < self.sent_on:
            raise ValidationError({"answered_on": "The answer cannot come before the draft."})

    @property
    def answered_by(self) -> str:
        return "cdmo" if self.sent_by == "sponsor" else "sponsor"

    @property
    def turnaround_days(self) -> int | None:
        return (self.answered_on - self.sent_on).days if self.answered_on else None


def contract_document_path(document, filename: str) -> str:
    return f"contracts/{document.partnership_id}/{document.contract_id}/{filename}"


class ContractDocument(models.Model):
    """A file attached to a contract: stored outside the web root, served by a scoped view."""

    INTERNAL_VIA = ("contract",)
    MADE_BY = ("uploaded_by__organization",)

    ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx")
    MAX_BYTES = 20 * 1024 * 1024

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=contract_document_path, validators=[
        FileExtensionValidator(ALLOWED_EXTENSIONS)])
    name = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:contractdocument_download",
                       args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.file and self.file.size > self.MAX_BYTES:
            raise ValidationError({"file": "Files may be at most 20 MB."})


class Deliverable(SharedRecord):
    """Something an SOW promises, with acceptance criteria agreed before work starts (fitness
    for use, not only release specifications) and a decision against them on receipt."""

    INTERNAL_VIA = ("sow",)

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned: agreeing criteria"
        IN_PROGRESS = "in_progress", "In progress"
        DELIVERED = "delivered", "Delivered: awaiting review"
        ACCEPTED = "accepted", "Accepted"

    WORKFLOW = Workflow({
        Status.PLANNED: {Status.IN_PROGRESS: "Criteria agreed: start work"},
        Status.IN_PROGRESS: {Status.DELIVERED: "Mark delivered"},
        # delivered → accepted, or back to in progress, only through a review
    })
    #: The SOW a deliverable is owed under and the party that delivers it (the other party
    #: reviews it) are the word of the party that wrote the deliverable: otherwise the other
    #: party could take the work over (or hand it back) while criteria are being agreed, and
    #: lock that in by starting it. Once work has started they stay as agreed, for both:
    #: otherwise the party that delivers could make itself the reviewer and accept its own
    #: work. (Who starts the work, and who states the criteria: services.)
    FIELD_RULES = FieldRules(
        FixedOnce(("sow", "responsible_party"),
                  statuses=(Status.IN_PROGRESS, Status.DELIVERED, Status.ACCEPTED),
                  because="work has started, and it decides who delivers and who reviews"),
        OwnedBy(("sow", "responsible_party"), party=lambda deliverable: deliverable.author_party,
                because="the party that wrote the deliverable says under which SOW it is "
                        "owed and who delivers it"),
    )

    sow = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="deliverables",
                            verbose_name="SOW", limit_choices_to={"kind": Contract.Kind.SOW})
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField(validators=[validate_date_in_range])
    responsible_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                         default=Organization.Kind.CDMO)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    criteria_agreed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                              validators=[validate_date_in_range])
    rejection_count = models.PositiveIntegerField(default=0, editable=False)
    search_document = search_document_field("title", "description")

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"]),
                   GinIndex(fields=["search_document"], name="deliverable_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:deliverable_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if self.sow_id and self.partnership_id and (
                self.sow.partnership_id != self.partnership_id or
                self.sow.kind != Contract.Kind.SOW):
            raise ValidationError({"sow": "Choose a statement of work of this partnership."})

    @property
    def receiving_party(self) -> str:
        return "sponsor" if self.responsible_party == "cdmo" else "cdmo"

    @property
    def accepted_first_time(self) -> bool | None:
        if self.status != self.Status.ACCEPTED:
            return None
        return self.rejection_count == 0

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and \
            self.due_date < today


class AcceptanceCriterion(models.Model):
    INTERNAL_VIA = ("deliverable",)
    MADE_BY = ("created_by__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE,
                                    related_name="criteria")
    text = models.CharField("criterion", max_length=300,
                            help_text="What the receiving party will check, e.g. "
                                      "“purity ≥ 98 % by HPLC, usable for the tox study”.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "acceptance criteria"

    def __str__(self) -> str:
        return self.text


class DeliverableReview(models.Model):
    """The receiving party's decision on a delivery, criterion by criterion."""

    INTERNAL_VIA = ("deliverable",)
    MADE_BY = ("reviewed_by__organization",)

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE,
                                    related_name="reviews")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.deliverable}"


class CriterionResult(models.Model):
    review = models.ForeignKey(DeliverableReview, on_delete=models.CASCADE,
                               related_name="results")
    criterion = models.ForeignKey(AcceptanceCriterion, on_delete=models.PROTECT,
                                  related_name="results")
    met = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"],
                                               name="result_unique_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {'met' if self.met else 'not met'}"


class Function(models.TextChoices):
    PROJECT = "project", "Project management"
    QUALITY = "quality", "Quality"
    SUPPLY = "supply", "Supply chain"
    FINANCE = "finance", "Finance"
    TECHNICAL = "technical", "Technical / MSAT"
    REGULATORY = "regulatory", "Regulatory"


class PointOfContact(models.Model):
    """Who to call for a function on one side of the partnership, and who stands in."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    party = models.CharField(max_length=10, choices=Organization.Kind.choices)
    function = models.CharField(max_length=12, choices=Function.choices)
    primary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["function", "-party"]
        constraints = [models.UniqueConstraint(fields=["partnership", "party", "function"],
                                               name="contact_unique_function")]

    def __str__(self) -> str:
        return f"{self.get_function_display()} ({self.party}): {self.primary}"

    def clean(self) -> None:
        if not self.partnership_id:
            return
        seated = set(self.partnership.seated_people(party=self.party).filter(
            pk__in=[self.primary_id, self.backup_id]).values_list("pk", flat=True))
        errors = {}
        if self.primary_id and self.primary_id not in seated:
            errors["primary"] = "Choose a member of this partnership from that party."
        if self.backup_id and self.backup_id not in seated:
            errors["backup"] = "Choose a member of this partnership from that party."
        if self.backup_id and self.backup_id == self.primary_id:
            errors["backup"] = "The backup must be someone else."
        if errors:
            raise ValidationError(errors)


class CommunicationPlan(models.Model):
    """Ground rules and meeting cadence both parties agreed; one per partnership."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="communication_plan")
    ground_rules = models.TextField(blank=True, help_text="How the two teams work together.")
    meeting_cadence = models.TextField(blank=True,
                                       help_text="Which meetings, how often, who attends.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership"]

    def __str__(self) -> str:
        return f"Communication plan of {self.partnership}"


class EscalationLevel(models.Model):
    """One step of the escalation path: who handles an item there and how long it may wait
    before it moves up (used by the escalation jobs)."""

    # A path is a few levels up to the steering committee, and an item that may wait more
    # than a quarter at one level is not being escalated: the same bounds on every door.
    MAX_LEVEL = 9
    MAX_DAYS_ALLOWED = 90

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)])
    name = models.CharField(max_length=100, help_text="e.g. Project leads, Functional heads.")
    days_allowed = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_ALLOWED)],
        help_text="Days an item may wait at this level before it moves up.")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["partnership", "level"],
                                               name="escalation_unique_level")]

    def __str__(self) -> str:
        return f"Level {self.level}: {self.name}"


class Priority(models.Model):
    """One line of the sponsor's current ranking of the work in a partnership."""

    #: A ranking longer than this ranks nothing (and its rank would outgrow the column).
    MAX_RANK = 50

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RANK)])
    title = models.CharField(max_length=200)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["partnership", "rank"],
                                               name="priority_unique_rank")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.title}"


class PriorityChange(models.Model):
    """History of the ranking: who changed it, when, why, and what it was before and after.
    The CDMO's members see the latest change announced on the partnership home."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"Priorities changed {self.changed_at:%Y-%m-%d} by {self.changed_by}"


class Objective(SharedRecord):
    """A goal both parties agreed for the partnership, reviewed in business reviews."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    title = models.CharField(max_length=200)
    measure_of_success = models.TextField(help_text="How both sides will know it is met.")
    sponsor_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    cdmo_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="CDMO owner")
    review_date = models.DateField(help_text="When it is next reviewed.",
                                   validators=[validate_date_in_range])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    search_document = search_document_field("title", "measure_of_success")

    #: Whoever creates an objective proposes an owner on each side; from then on each
    #: party names its own.
    FIELD_RULES = FieldRules(
        OwnedBy(("sponsor_owner",), party="sponsor", because="each party names its own owner"),
        OwnedBy(("cdmo_owner",), party="cdmo", because="each party names its own owner"),
    )

    class Meta:
        ordering = ["review_date", "title"]
        indexes = [GinIndex(fields=["search_document"], name="objective_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:objective_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if not self.partnership_id:
            return
        errors = {}
        if self.sponsor_owner_id and self.sponsor_owner.organization_id != \
                self.partnership.sponsor_id:
            errors["sponsor_owner"] = "Choose someone of the sponsor."
        if self.cdmo_owner_id and self.cdmo_owner.organization_id != self.partnership.cdmo_id:
            errors["cdmo_owner"] = "Choose someone of the CDMO."
        if errors:
            raise ValidationError(errors)


class ObjectiveReview(models.Model):
    """One review of an objective (in a quarterly business review, say): the history."""

    INTERNAL_VIA = ("objective",)
    MADE_BY = ("reviewed_by__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=10, choices=Objective.Status.choices)
    note = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.objective}: {self.get_status_display()}"


class TechTransfer(SharedRecord):
    """A program moving into a CDMO site, tracked by its standard milestones."""

    INTERNAL_VIA = ("program",)

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="transfers")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="transfers",
                             help_text="The receiving CDMO site.")
    title = models.CharField(max_length=200)
    search_document = search_document_field("title")

    class Meta:
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_document"], name="techtransfer_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:techtransfer_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        if not self.partnership_id:
            return
        errors = {}
        if self.program_id and self.program.partnership_id != self.partnership_id:
            errors["program"] = "Choose a program of this partnership."
        if self.site_id and self.site.organization_id != self.partnership.cdmo_id:
            errors["site"] = "Choose a site of this partnership's CDMO."
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    # As internal as its tech transfer, and so as the transfer's program (internal_paths).
    INTERNAL_VIA = ("tech_transfer",)
    #: Made with its transfer; each party's owner makes it that party's too (its plan,
    #: its dates and notes are theirs to keep up).
    MADE_BY = ("sponsor_owner__organization", "cdmo_owner__organization")

    class Kind(models.TextChoices):
        TRANSFER_PACKAGE = "transfer_package", "Transfer package"
        GAP_ASSESSMENT = "gap_assessment", "Gap assessment"
        METHOD_TRANSFER = "method_transfer", "Analytical method transfer"
        ENGINEERING_RUN = "engineering_run", "Engineering run"
        PPQ = "ppq", "Process performance qualification batches"
        HANDOVER = "handover", "Handover"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    tech_transfer = models.ForeignKey(TechTransfer, on_delete=models.CASCADE,
                                      related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(editable=False)
    sponsor_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+", null=True, blank=True)
    cdmo_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name="CDMO owner")
    planned_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    actual_date = models.DateField(null=True, blank=True, help_text="When it was completed.",
                                   validators=[validate_date_in_range])
    deliverables = models.ManyToManyField(Deliverable, blank=True, related_name="milestones",
                                          help_text="Deliverables this milestone depends on.")
    note = models.TextField(blank=True)

    #: Each party names its own owner of a milestone.
    FIELD_RULES = FieldRules(
        OwnedBy(("sponsor_owner",), party="sponsor", because="each party names its own owner"),
        OwnedBy(("cdmo_owner",), party="cdmo", because="each party names its own owner"),
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["tech_transfer", "position"]
        constraints = [models.UniqueConstraint(fields=["tech_transfer", "kind"],
                                               name="milestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.tech_transfer})"

    def slip_days(self, today=None) -> int | None:
        """Days late: actual after planned, or planned passed and not done yet."""
        if not self.planned_date:
            return None
        end = self.actual_date or max(today or timezone.localdate(), self.planned_date)
        return (end - self.planned_date).days
