"""Organization admins invite colleagues and give them seats; the invitation e-mail is sent by
a real Celery worker over the real broker, exactly once."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from partnership.models import Membership, User
from partnership.tasks import send_invitation_task


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_invitation_is_sent_once_by_the_worker_and_sets_a_password(celery_worker, client,
                                                                     login, world_committed):
    world = world_committed
    admin = login(world.olga)
    response = admin.post(reverse("partnership:user_invite"), {
        "email": "Nina@Contoso.test", "first_name": "Nina", "last_name": "Novak",
        "job_title": "QA specialist"})
    assert response.status_code == 302
    nina = User.objects.get(email="nina@contoso.test")
    assert nina.organization == world.contoso and not nina.has_usable_password()
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the invitation"
    message = mail.outbox[0]
    assert message.to == ["nina@contoso.test"] and "Contoso CDMO" in message.body
    assert message.alternatives and "Choose your password" in message.alternatives[0][0]

    # Run the job again (a retry, a second worker): nothing more is sent.
    assert send_invitation_task.delay(nina.pk).get(timeout=15) is False
    assert len(mail.outbox) == 1

    link = next(line for line in message.body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "a-long-new-pass-42",
                                                  "new_password2": "a-long-new-pass-42"})
    assert client.login(username="nina@contoso.test", password="a-long-new-pass-42")


def test_invite_refuses_an_existing_address(login, world):
    response = login(world.olga).post(reverse("partnership:user_invite"), {
        "email": world.bob.email, "first_name": "B", "last_name": "C"})
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()


def test_only_org_admins_reach_the_organization_pages(login, world):
    assert login(world.bob).get(reverse("partnership:organization_detail")).status_code == 403
    page = login(world.olga).get(reverse("partnership:organization_detail")).content.decode()
    assert "Bob Contososon" in page and "Carol Contososon" in page
    assert "Alice" not in page  # another organization's people


def test_admin_assigns_and_removes_a_seat(login, world):
    client = login(world.olga)
    response = client.post(reverse("partnership:membership_create"), {
        "user": world.carol.pk, "partnership": world.acme_contoso.pk, "role": "qa_lead"})
    assert response.status_code == 302
    seat = Membership.objects.get(user=world.carol, partnership=world.acme_contoso)
    assert seat.role == "qa_lead"
    url = reverse("partnership:membership_delete", args=[seat.pk])
    assert "Remove" in client.get(url).content.decode()  # asks for confirmation first
    assert Membership.objects.filter(pk=seat.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=seat.pk).exists()


def test_admin_cannot_seat_people_in_foreign_partnerships(login, world):
    response = login(world.olga).post(reverse("partnership:membership_create"), {
        "user": world.bob.pk, "partnership": world.acme_labcorp.pk, "role": "member"})
    assert response.status_code == 200 and "partnership" in response.context["form"].errors
    assert not Membership.objects.filter(user=world.bob, partnership=world.acme_labcorp).exists()
