"""Jobs of the parties: the invitation e-mails, each sent once."""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnership.parties.models import InvitationNotice, User


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, user: User, subject: str, template: str, context: dict) -> None:
    send_mail(
        subject=subject,
        message=render_to_string(f"emails/{template}.txt", context),
        html_message=render_to_string(f"emails/{template}.html", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _send_set_password_link(user: User) -> None:
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    _send(user=user, subject="You are invited to Lockstep", template="invitation",
          context={"user": user, "link": _absolute(path)})


@shared_task
def send_invitation_task(user_id: int) -> bool:
    """E-mail a set-password link once: the conditional UPDATE claims the invitation.

    Run twice (or retried after a crash) it sends nothing more. Returns whether it sent.
    """
    claimed = User.objects.filter(pk=user_id, invitation_sent_at__isnull=True).update(
        invitation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    _send_set_password_link(User.objects.select_related("organization").get(pk=user_id))
    return True


@shared_task
def send_invitation_notice_task(user_id: int, inviter_id: int, day: str) -> bool:
    """Answer an invitation of an address that already has an account in its owner's
    mailbox, not on the inviter's page (partnership.parties.services.user_invite).

    Someone who never chose a password (their invitation lost, or its link used up) gets
    the link again: that is what the admin who invited them again wants. Anyone else gets a
    note saying who invited them and how to log in or reset a forgotten password, with no
    link that changes anything. A deactivated account gets nothing. At most once per
    account and UTC day: the InvitationNotice row claims it, so a rerun of the job sends
    nothing more, and neither do the same address's next invitations that day. Returns
    whether it sent."""
    user = User.objects.select_related("organization").filter(pk=user_id,
                                                              is_active=True).first()
    if user is None:
        return False
    inviter = User.objects.select_related("organization").filter(pk=inviter_id).first()
    _, claimed = InvitationNotice.objects.get_or_create(
        user=user, day=datetime.date.fromisoformat(day), defaults={"invited_by": inviter})
    if not claimed:
        return False
    if not user.has_usable_password():
        _send_set_password_link(user)
        return True
    _send(user=user, subject="You already have a Lockstep account", template="invitation_notice",
          context={"user": user, "inviter": inviter, "login": _absolute(reverse("login")),
                   "reset": _absolute(reverse("password_reset"))})
    return True
