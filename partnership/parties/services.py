"""Writes of the parties: organizations' e-mail domains, invitations, seats, profiles, a
site's status and the settings both parties of a partnership agree."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partnership.notifications.services import notify
from partnership.parties.models import (
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
    normalize_domain,
    validate_plain_address,
)
from partnership.parties.selectors import party_leads
from partnership.parties.tasks import send_invitation_notice_task, send_invitation_task
from partnership.permissions import require
from portal.locking import locked


def _require_org_admin(actor: User) -> Organization:
    """The organization whose people the actor manages, if an admin of one."""
    require(actor, "partnership.people_manage")
    return actor.organization


@transaction.atomic
def organization_domain_add(*, actor: User, organization: Organization,
                            domain: str) -> OrganizationDomain:
    """Vouch that `domain` is `organization`'s. Platform operators only: the domains decide
    whose addresses an organization's admins may invite, so those admins cannot vouch for
    themselves."""
    require(actor, "partnership.organizationdomain_add")
    row = OrganizationDomain(organization=organization, domain=normalize_domain(domain),
                             added_by=actor)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def organization_domain_remove(*, actor: User, domain: OrganizationDomain) -> None:
    """New invitations stop there; the people already invited keep their accounts."""
    require(actor, "partnership.organizationdomain_remove")
    domain.delete()


def invitable_domains_hint(domains: list[str]) -> str:
    """The invite form's help and its error: where the organization's admins may invite."""
    if not domains:
        return ("Your organization has no verified e-mail domain yet: ask the Lockstep "
                "operators to add one.")
    listed = domains[0] if len(domains) == 1 else \
        f"{', '.join(domains[:-1])} or {domains[-1]}"
    return f"You can invite addresses at {listed} only."


def _require_own_domain(organization: Organization, email: str) -> None:
    domains = list(organization.domains.values_list("domain", flat=True))
    if email.rpartition("@")[2] not in domains:
        raise ValidationError({"email": invitable_domains_hint(domains)})


@transaction.atomic
def user_invite(
    *, actor: User, email: str, first_name: str, last_name: str, job_title: str = "",
    is_org_admin: bool = False,
) -> None:
    """Create a colleague in the admin's organization and e-mail them a set-password link.

    Only at the organization's verified domains: nobody takes an address (and locks its
    owner out) by inviting it into another organization first.

    An address that already has an account is answered exactly like a new one, so that
    inviting does not tell an admin who else uses the portal: the same checks pass or fail,
    nothing is created and the account is not touched, and one e-mail is queued either way
    — to a new person their invitation; to the owner of the account a note that they were
    invited and already have one (send_invitation_notice_task). Hence nothing is returned:
    the caller cannot tell the two apart either."""
    organization = _require_org_admin(actor)
    email = email.strip().lower()
    try:
        validate_plain_address(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    _require_own_domain(organization, email)
    user = User(
        email=email, first_name=first_name, last_name=last_name, job_title=job_title,
        organization=organization, is_org_admin=is_org_admin, time_zone=actor.time_zone,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)  # the same errors for all
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: someone may take the address meanwhile
                user.save()
        except IntegrityError:
            existing = User.objects.get(email=email)
        else:
            transaction.on_commit(lambda: send_invitation_task.delay(user.pk))
            return
    day = timezone.now().date().isoformat()
    transaction.on_commit(
        lambda: send_invitation_notice_task.delay(existing.pk, actor.pk, day))


def _keep_a_lead(membership: Membership, role: str | None = None) -> None:
    """A party keeps at least one lead in each partnership (who else would acknowledge,
    sign, be escalated to?): the seat of its last lead cannot lose that role (`role`, or
    the seat itself when None). Read under the partnership's row lock, so two admins
    demoting the party's two leads at once cannot both pass."""
    if membership.pk is None or role == Membership.Role.LEAD:
        return
    Partnership.objects.select_for_update().filter(pk=membership.partnership_id).first()
    # A deactivated colleague leads nothing (cannot sign in, is told nothing): not counted.
    leads = set(Membership.objects.filter(
        partnership=membership.partnership_id, role=Membership.Role.LEAD, user__is_active=True,
        user__organization_id=membership.user.organization_id).values_list("pk", flat=True))
    if leads == {membership.pk}:
        raise ValidationError({"role": (
            f"{membership.user} is the last lead of {membership.user.organization} in this "
            "partnership: give a colleague the lead role first.")})


@transaction.atomic
def membership_set(*, actor: User, user: User, partnership: Partnership, role: str) -> Membership:
    """Give a colleague a seat (or a new role) in one of the organization's partnerships."""
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    membership = membership or Membership(partnership=partnership, user=user)
    require(actor, "partnership.membership_set", membership)
    _keep_a_lead(membership, role)
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_role_change(*, actor: User, membership: Membership, role: str) -> Membership:
    """A colleague's role in one of their seats: what they may do in that partnership from
    now on. The same people may do it as may remove the seat (the rule refuses the same
    ones); the audit trail keeps the old role and the new one, with who changed it."""
    membership = locked(membership, "user", "partnership")
    require(actor, "partnership.membership_role_change", membership)
    if membership.role == role:
        return membership
    _keep_a_lead(membership, role)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    require(actor, "partnership.membership_remove", membership)
    _keep_a_lead(membership)
    membership.delete()


PROFILE_FIELDS = ("first_name", "last_name", "job_title", "time_zone")


@transaction.atomic
def profile_update(*, actor: User, **fields) -> User:
    """Change the actor's own name, title or time zone: the fields given, the others stay.
    The row is read again under a lock as locked() reads one, by hand: the actor is often
    `request.user`, a lazy object whose type is not the model's."""
    user = User.objects.select_for_update(of=("self",)).get(pk=actor.pk)
    changed = [name for name in PROFILE_FIELDS if name in fields]
    for name in changed:
        setattr(user, name, fields[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    return user


@transaction.atomic
def site_set_status(*, actor: User, site: Site, status: str, status_date=None) -> Site:
    """A CDMO's decision to close a site: a risk every sponsor using it must see."""
    site = locked(site)
    require(actor, "partnership.site_status_change", site)
    site.status, site.status_date = status, status_date
    site.full_clean()
    site.save(update_fields=["status", "status_date"])
    return site


@transaction.atomic
def partnership_thresholds_set(*, actor: User, partnership: Partnership,
                               negotiation_round_threshold: int | None = None,
                               negotiation_turnaround_threshold: int | None = None,
                               acknowledgement_hours: int | None = None,
                               emergency_acknowledgement_hours: int | None = None,
                               sponsor_emergency_budget: int | None = None,
                               cdmo_emergency_budget: int | None = None) -> Partnership:
    """The settings both parties agree: early-warning thresholds of contract negotiation,
    the time to acknowledge a formal request (an emergency's own, shorter one beside it) and
    each party's monthly emergency budget.
    Either party's leads set them; a value left out (None) stays as it is. Since one side
    changes what both agreed, the other side's leads are told of each change, old → new.
    Returns the partnership as saved."""
    require(actor, "partnership.partnership_settings_change", partnership)
    partnership = locked(partnership, "sponsor", "cdmo")
    before = {name: getattr(partnership, name) for name in Partnership.AGREED_SETTINGS}
    given = {"negotiation_round_threshold": negotiation_round_threshold,
             "negotiation_turnaround_threshold": negotiation_turnaround_threshold,
             "acknowledgement_hours": acknowledgement_hours,
             "emergency_acknowledgement_hours": emergency_acknowledgement_hours,
             "sponsor_emergency_budget": sponsor_emergency_budget,
             "cdmo_emergency_budget": cdmo_emergency_budget}
    for name, value in given.items():
        if value is not None:
            setattr(partnership, name, value)
    partnership.full_clean()
    partnership.save(update_fields=[name for name, value in given.items() if value is not None])
    changes = [f"{label}: {before[name]} → {getattr(partnership, name)}"
               for name, label in Partnership.AGREED_SETTINGS.items()
               if getattr(partnership, name) != before[name]]
    if changes:
        other = Partnership.other_party(partnership.party_of(actor))
        notify(recipients=party_leads(partnership=partnership, party=other),
               kind="partnership_settings", partnership=partnership,
               title=f"{actor} changed the partnership's agreed settings",
               url=reverse("partnership:partnership_settings", args=[partnership.pk]),
               body="\n".join(changes), actor=actor)
    return partnership
