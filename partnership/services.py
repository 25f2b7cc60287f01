"""Writes for parties, people and programs. Views, API, admin and commands all call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from partnership.models import Membership, Organization, Partnership, Program, User

PROGRAM_FIELDS = ("code", "name", "modality", "phase", "description", "is_internal")


def _require_sponsor_writer(actor: User, partnership: Partnership) -> None:
    if not partnership.can_write(actor):
        raise PermissionDenied("Your role in this partnership is read-only.")
    if actor.organization_id != partnership.sponsor_id:
        raise PermissionDenied("Programs are the sponsor's to describe.")


@transaction.atomic
def program_create(*, actor: User, partnership: Partnership, **fields) -> Program:
    _require_sponsor_writer(actor, partnership)
    program = Program(
        partnership=partnership, author_organization_id=actor.organization_id, created_by=actor,
        **{name: fields[name] for name in PROGRAM_FIELDS if name in fields},
    )
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    _require_sponsor_writer(actor, program.partnership)
    for name in PROGRAM_FIELDS:
        if name in fields:
            setattr(program, name, fields[name])
    program.full_clean()
    program.save()
    return program


def _require_org_admin(actor: User) -> Organization:
    if not (actor.is_org_admin and actor.organization_id):
        raise PermissionDenied("Only organization admins manage people.")
    return actor.organization


@transaction.atomic
def user_invite(
    *, actor: User, email: str, first_name: str, last_name: str, job_title: str = "",
    is_org_admin: bool = False,
) -> User:
    """Create a colleague in the admin's organization and e-mail them a set-password link."""
    from partnership.tasks import send_invitation_task

    organization = _require_org_admin(actor)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": "Someone with this e-mail address already has an account."})
    user = User(
        email=email, first_name=first_name, last_name=last_name, job_title=job_title,
        organization=organization, is_org_admin=is_org_admin, time_zone=actor.time_zone,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    transaction.on_commit(lambda: send_invitation_task.delay(user.pk))
    return user


@transaction.atomic
def membership_set(*, actor: User, user: User, partnership: Partnership, role: str) -> Membership:
    """Give a colleague a seat (or a new role) in one of the organization's partnerships."""
    organization = _require_org_admin(actor)
    if user.organization_id != organization.pk:
        raise PermissionDenied("Admins assign people of their own organization only.")
    if organization.pk not in (partnership.sponsor_id, partnership.cdmo_id):
        raise PermissionDenied("Your organization is not a party to that partnership.")
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    membership = membership or Membership(partnership=partnership, user=user)
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    organization = _require_org_admin(actor)
    if membership.user.organization_id != organization.pk:
        raise PermissionDenied("Admins remove people of their own organization only.")
    membership.delete()


@transaction.atomic
def profile_update(
    *, actor: User, first_name: str, last_name: str, job_title: str, time_zone: str
) -> User:
    actor.first_name, actor.last_name = first_name, last_name
    actor.job_title, actor.time_zone = job_title, time_zone
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=["first_name", "last_name", "job_title", "time_zone"])
    return actor


@transaction.atomic
def api_token_create(*, actor: User) -> Token:
    """A new token replaces the old one, so a leaked token is revoked by making another."""
    Token.objects.filter(user=actor).delete()
    return Token.objects.create(user=actor)


def api_token_revoke(*, actor: User) -> None:
    Token.objects.filter(user=actor).delete()
