"""Organization admins invite colleagues and give them seats; the invitation e-mail is sent by
a real Celery worker over the real broker, exactly once."""

import time
from unittest import mock

import pytest
from django.contrib.messages import SUCCESS, get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from partnership.models import Membership, OrganizationDomain, User
from partnership.parties import services
from partnership.parties.tasks import send_invitation_notice_task, send_invitation_task
from tests.factories import UserFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world


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
    assert client.login(request=HttpRequest(), username="nina@contoso.test",
                        password="a-long-new-pass-42")


def _invite(client, email, **headers):
    """Olga invites `email` as an admin; returns what an attacker could observe of the
    answer, with the address itself taken out."""
    response = client.post(reverse("partnership:user_invite"), {
        "email": email, "first_name": "Eve", "last_name": "Example", "job_title": "Spy",
        "is_org_admin": "on"}, **headers)
    mask = lambda text: text.replace(email.lower(), "<address>")  # noqa: E731
    return (response.status_code, mask(response.get("Location", "")),
            mask(response.get("HX-Redirect", "")), mask(response.content.decode()),
            tuple((m.level, mask(m.message)) for m in get_messages(response.wsgi_request)))


def _account(user) -> dict:
    """Everything of the account but its last log-in (Olga's is touched by each login())."""
    return User.objects.filter(pk=user.pk).values().get() | {"last_login": None}


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_inviting_an_existing_address_answers_like_a_new_one(login, world, headers):
    """An admin learns nothing about who already uses the portal, and an account is never
    taken over: same status, page and message; the existing account stays as it was."""
    other_org = UserFactory(email="legacy@contoso.test", organization=world.acme)
    existing = [world.bob, world.olga, other_org]
    before = {user.pk: _account(user) for user in existing}
    answers = {email: _invite(login(world.olga), email, **headers) for email in (
        "newcomer@contoso.test", "NEWCOMER2@Contoso.test", *(user.email for user in existing),
        world.bob.email.upper())}
    assert len(set(answers.values())) == 1, answers
    status, location, redirect, _body, messages = answers[world.bob.email]
    assert (status, location or redirect) == (
        302 if not headers else 200, reverse("partnership:organization_detail"))
    assert messages == ((SUCCESS, "Invitation sent to <address>."),)
    assert {user.pk: _account(user) for user in existing} == before
    assert User.objects.filter(email__in=["newcomer@contoso.test",
                                          "newcomer2@contoso.test"]).count() == 2


def test_an_existing_address_gets_a_note_instead_of_an_invitation(login, world,
                                                                 django_capture_on_commit_callbacks):
    """One e-mail is queued either way. The owner of an account hears that someone tried
    (once a day at most) and how to get in; a person who never chose a password gets the
    invitation's link again; a deactivated account gets nothing."""
    pending = UserFactory(email="pending@contoso.test", organization=world.contoso)
    pending.set_unusable_password()
    pending.save()
    with mock.patch("partnership.parties.tasks.send_invitation_notice_task.delay") as notice, \
            mock.patch("partnership.parties.tasks.send_invitation_task.delay") as invitation, \
            django_capture_on_commit_callbacks(execute=True):
        _invite(login(world.olga), world.bob.email)
        _invite(login(world.olga), pending.email)
        _invite(login(world.olga), "newcomer@contoso.test")
    newcomer = User.objects.get(email="newcomer@contoso.test")
    assert [c.args for c in invitation.call_args_list] == [(newcomer.pk,)]
    calls = [c.args for c in notice.call_args_list]
    today = timezone.now().date().isoformat()
    assert calls == [(world.bob.pk, world.olga.pk, today), (pending.pk, world.olga.pk, today)]

    assert send_invitation_notice_task(world.bob.pk, world.olga.pk, today) is True
    assert send_invitation_notice_task(world.bob.pk, world.olga.pk, today) is False  # once
    note = mail.outbox[0]
    assert note.to == [world.bob.email] and "already have an account" in note.body
    assert "Olga Contososon" in note.body and "/account/password/reset/" in note.body
    assert "/account/password/reset/" in note.alternatives[0][0]

    assert send_invitation_notice_task(pending.pk, world.olga.pk, today) is True
    again = mail.outbox[1]
    assert again.to == [pending.email] and "Choose your password" in again.alternatives[0][0]

    world.carol.is_active = False
    world.carol.save()
    assert send_invitation_notice_task(world.carol.pk, world.olga.pk, today) is False
    assert len(mail.outbox) == 2
    assert _account(world.bob)["invitation_sent_at"] is None  # nothing on the account


@pytest.mark.parametrize("email", ["someone@acme.test", "alice@acme.test",
                                   "someone@sub.contoso.test", "someone@contoso.test.evil"])
def test_invite_outside_the_organizations_domains_is_refused(login, world, email):
    """A squatter cannot claim another company's address (an existing one answers the same
    as a new one, so the refusal tells nothing about accounts either)."""
    users = User.objects.count()
    response = login(world.olga).post(reverse("partnership:user_invite"), {
        "email": email, "first_name": "Eve", "last_name": "Example"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["You can invite addresses at contoso.test only."]}
    assert User.objects.count() == users
    assert _account(world.alice)["organization_id"] == world.acme.pk


def test_every_door_obeys_the_domain_rule(world):
    with pytest.raises(ValidationError) as refused:
        services.user_invite(actor=world.olga, email="x@globex.test", first_name="X",
                             last_name="Y")
    assert refused.value.message_dict == {
        "email": ["You can invite addresses at contoso.test only."]}
    OrganizationDomain.objects.create(organization=world.contoso, domain="contoso-labs.test")
    with pytest.raises(ValidationError) as refused:
        services.user_invite(actor=world.olga, email="x@globex.test", first_name="X",
                             last_name="Y")
    assert refused.value.messages == [
        "You can invite addresses at contoso-labs.test or contoso.test only."]
    OrganizationDomain.objects.filter(organization=world.contoso).delete()
    with pytest.raises(ValidationError, match="no verified e-mail domain"):
        services.user_invite(actor=world.olga, email="x@contoso.test", first_name="X",
                             last_name="Y")


@pytest.mark.parametrize("email", ['"bob@acme.test"@contoso.test', '"eve"@contoso.test'])
def test_invite_of_a_quoted_address_is_refused(login, world, email):
    """`"bob@acme.test"@contoso.test` is Contoso's mailbox, yet reads as Acme's Bob in every
    list of people and every e-mail."""
    plain = "Enter an address without quotes or a second @, such as name@example.com."
    users = User.objects.count()
    response = login(world.olga).post(reverse("partnership:user_invite"), {
        "email": email, "first_name": "Eve", "last_name": "Example"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [plain]}
    with pytest.raises(ValidationError) as refused:
        services.user_invite(actor=world.olga, email=email, first_name="Eve",
                             last_name="Example")
    assert refused.value.message_dict == {"email": [plain]}
    assert User.objects.count() == users


def test_the_invite_form_and_the_organization_page_name_the_domains(login, world):
    client = login(world.olga)
    assert "Addresses at contoso.test" in client.get(
        reverse("partnership:user_invite")).content.decode()
    assert "contoso.test" in client.get(
        reverse("partnership:organization_detail")).content.decode()


def test_operators_add_domains_in_the_admin_and_org_admins_cannot(login, world):
    operator = login(User.objects.create_superuser("ops@lockstep.test", "pw"))
    add = "/admin/partnership/organizationdomain/add/"
    response = operator.post(add, {"organization": world.globex.pk,
                                   "domain": " @Globex-Research.TEST "})
    assert response.status_code == 302, response.content.decode()
    domain = OrganizationDomain.objects.get(domain="globex-research.test")
    assert domain.organization == world.globex and domain.added_by.email == "ops@lockstep.test"
    taken = operator.post(add, {"organization": world.acme.pk, "domain": "CONTOSO.test"})
    assert taken.status_code == 200 and "already exists" in taken.content.decode()

    olga = login(world.olga)  # an organization admin, not staff: the admin is closed to her
    response = olga.post(add, {"organization": world.contoso.pk, "domain": "acme.test"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert OrganizationDomain.objects.get(domain="acme.test").organization == world.acme
    with pytest.raises(PermissionDenied):
        services.organization_domain_add(actor=world.olga, organization=world.contoso,
                                         domain="contoso-new.test")
    assert not OrganizationDomain.objects.filter(domain="contoso-new.test").exists()


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
