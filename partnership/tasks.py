"""Jobs of the partnership app."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnership.models import User


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
    user = User.objects.select_related("organization").get(pk=user_id)
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "link": settings.SITE_URL.rstrip("/") + path}
    send_mail(
        subject="You are invited to Lockstep",
        message=render_to_string("emails/invitation.txt", context),
        html_message=render_to_string("emails/invitation.html", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
