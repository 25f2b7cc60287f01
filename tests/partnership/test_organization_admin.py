"""Organization admins invite colleagues and give them seats; the invitation e-mail is sent by
a real Celery worker over the real broker, exactly once."""

import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnership import services
from partnership.models import Membership, OrganizationDomain, User
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


@pytest.mark.parametrize("email", ["someone@acme.test", "alice@acme.test",
                                   "someone@sub.contoso.test", "someone@contoso.test.evil"])
def test_invite_outside_the_organizations_domains_is_refused(login, world, email):
    """A squatter cannot claim another company's address; checked before anything about
    accounts, so the refusal tells nothing about them either."""
    users = User.objects.count()
    response = login(world.olga).post(reverse("partnership:user_invite"), {
        "email": email, "first_name": "Eve", "last_name": "Example"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["You can invite addresses at contoso.test only."]}
    assert User.objects.count() == users
    assert User.objects.get(pk=world.alice.pk).organization == world.acme


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
