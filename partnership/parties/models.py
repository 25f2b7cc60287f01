"""The parties and the bond between them: organizations, their e-mail domains and sites,
partnerships and the seats people hold in them (people themselves: partnership.parties.people).

`PartnershipQuerySet.visible_to` is the root of the scoping rule (DESIGN §2, the rest of it
in partnership.scoping): a member of a partnership, or an admin of one of its two
organizations, sees it; the people, organizations and sites a user sees follow from it.
"""

import datetime
import zoneinfo
from collections.abc import Collection

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from partnership.parties.people import (  # noqa: F401 (the migrations name them here)
    InvitationNotice,
    User,
    UserManager,
    validate_time_zone,
)
from partnership.scoping import SharedQuerySet, visible_partnerships
from portal.validation import validate_date_in_range


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """The user's own organization and those it shares a visible partnership with."""
        if not user.is_authenticated or user.organization_id is None:
            return self.none()
        partnerships = visible_partnerships(user, Partnership)
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
    require_two_factor = models.BooleanField(
        "require two-factor", default=False,
        help_text="Its people must sign in with a code from an authenticator app too.")
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
    emergency_acknowledgement_hours = models.PositiveIntegerField(
        default=4, validators=[MinValueValidator(1),
                               MaxValueValidator(MAX_ACKNOWLEDGEMENT_HOURS)],
        help_text="Hours the receiving party has to acknowledge an emergency: from 1 to the "
                  "hours of any other request.")
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
        "emergency_acknowledgement_hours": "Hours to acknowledge an emergency",
        "sponsor_emergency_budget": "Sponsor's emergency requests per month",
        "cdmo_emergency_budget": "CDMO's emergency requests per month",
    }

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["sponsor__name", "cdmo__name"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "cdmo"], name="partnership_unique_pair"),
            models.CheckConstraint(
                condition=Q(emergency_acknowledgement_hours__gte=1,
                            emergency_acknowledgement_hours__lte=F("acknowledgement_hours")),
                name="partnership_emergency_window_within_normal",
                violation_error_message="An emergency's time to acknowledge is at least an "
                                        "hour and no longer than any other request's."),
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
        emergency, normal = self.emergency_acknowledgement_hours, self.acknowledgement_hours
        if None not in (emergency, normal) and 1 <= normal < emergency:
            errors["emergency_acknowledgement_hours"] = (
                f"An emergency cannot have longer to acknowledge than any other request "
                f"({self.acknowledgement_hours} hours).")
        if errors:
            raise ValidationError(errors)

    def acknowledgement_window(self, *, emergency: bool) -> datetime.timedelta:
        """The agreed time to acknowledge a request: an emergency's own, shorter one, or
        every other request's."""
        return datetime.timedelta(hours=self.emergency_acknowledgement_hours if emergency
                                  else self.acknowledgement_hours)

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
        """The user's role here; 'admin' for an organization admin without a seat. Read from
        the database, unless this user object holds it (hold_role_of)."""
        held = getattr(user, "_held_roles", None)
        if held and self.pk in held:
            return held[self.pk]
        role = (
            Membership.objects.filter(partnership=self, user=user)
            .values_list("role", flat=True)
            .first()
        )
        if role is None and user.is_org_admin and self.party_of(user):
            return "admin"
        return role

    def hold_role_of(self, user) -> str | None:
        """Read the user's role here once and keep it on the user object, which lives for
        one request: a page or an API view asks the rules (partnership.permissions) about
        each button it may show or each row it lists, every one of them starting from the
        role, whichever copy of this partnership the record in hand points to. Only pages
        and API views call it; a service or a job given a user loaded anew reads the seat
        itself."""
        held = getattr(user, "_held_roles", None)
        if held is None:
            held = {}
            user._held_roles = held
        held.pop(self.pk, None)
        held[self.pk] = self.role_of(user)
        return held[self.pk]

    @classmethod
    def hold_roles_of(cls, user, partnership_ids) -> None:
        """hold_role_of for many partnerships in one query: a list mixes the rows of a large
        sponsor lead's sixty partnerships, and a rule asked per row would read the seat of
        each row's partnership (a query per row)."""
        held = getattr(user, "_held_roles", None)
        if held is None:
            held = user._held_roles = {}
        wanted = {pk for pk in partnership_ids if pk is not None and pk not in held}
        if not wanted:
            return
        seat = Membership.objects.filter(partnership=models.OuterRef("pk"), user=user)
        for pk, role, sponsor_id, cdmo_id in cls.objects.filter(pk__in=wanted).annotate(
                seat_role=models.Subquery(seat.values("role")[:1])).values_list(
                "pk", "seat_role", "sponsor_id", "cdmo_id"):
            if role is None and user.is_org_admin and user.organization_id in (sponsor_id,
                                                                                cdmo_id):
                role = "admin"
            held[pk] = role

    def can_write(self, user) -> bool:
        """Viewers and steering members read; leads, members, QA leads and admins write."""
        role = self.role_of(user)
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

    def get_absolute_url(self) -> str:
        """The partnership's people page, narrowed to this person (global search links it)."""
        return reverse("partnership:membership_list", args=[self.partnership_id]) + "?" + \
            urlencode({"q": self.user.email})

    @classmethod
    def role_label(cls, role: str | None) -> str:
        """A role in words ("QA lead", not `qa_lead`), "Organization admin" for an admin
        without a seat (Partnership.role_of), "" for none."""
        if role == "admin":
            return "Organization admin"
        return cls.Role(role).label if role in cls.Role.values else (role or "")

    def clean(self) -> None:
        if self.user_id and self.partnership_id and self.user.organization_id not in (
            self.partnership.sponsor_id, self.partnership.cdmo_id
        ):
            raise ValidationError(
                {"user": "Only people of the sponsor or the CDMO can join this partnership."}
            )
