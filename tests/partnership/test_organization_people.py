"""An organization admin's people: their seats and last sign-in, a page at a time, and a
seat's role changed from the page or the API — audited, and refused to whoever may not
remove the seat either."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partnership.models import Membership, MembershipEvent, User
from partnership.parties import services
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def seat(user, partnership) -> Membership:
    return Membership.objects.get(user=user, partnership=partnership)


def role_url(membership) -> str:
    return reverse("partnership:membership_role", args=[membership.pk])


# --- Changing a role -----------------------------------------------------------------------


def test_admin_changes_a_colleagues_role_from_the_page_and_it_is_audited(login, world):
    bobs = seat(world.bob, world.acme_contoso)
    client = login(world.olga)
    page = client.get(role_url(bobs))
    assert page.status_code == 200
    assert page.context["form"].initial == {"role": "member"}
    assert "Role of Bob Contososon in Acme Pharma – Contoso CDMO" in page.content.decode()
    response = client.post(role_url(bobs), {"role": "qa_lead"})
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:organization_people")
    assert seat(world.bob, world.acme_contoso).role == "qa_lead"
    event = MembershipEvent.objects.filter(pgh_obj_id=bobs.pk).latest("pgh_id")
    assert (event.pgh_label, event.role) == ("update", "qa_lead")
    assert event.pgh_context["user"] == world.olga.pk
    people = client.get(reverse("partnership:organization_people")).content.decode()
    assert "Role of Bob Contososon in Acme Pharma – Contoso CDMO is now QA lead." in people


def test_the_role_dialog_is_a_partial_to_htmx(login, world):
    client = login(world.olga)
    url = role_url(seat(world.bob, world.acme_contoso))
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and 'name="role"' in body
    response = client.post(url, {"role": "viewer"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("partnership:organization_people")


def test_a_role_that_does_not_exist_is_a_field_error(login, world):
    bobs = seat(world.bob, world.acme_contoso)
    response = login(world.olga).post(role_url(bobs), {"role": "boss"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["role"]
    assert seat(world.bob, world.acme_contoso).role == "member"


def test_the_role_page_answers_404_for_a_seat_not_of_the_admins_people(login, world):
    """A seat of a partnership the admin does not see, and another organization's seat in
    one the admin does see, answer like a missing one."""
    client = login(world.olga)
    for membership in (seat(world.alice, world.acme_labcorp),
                       seat(world.alice, world.acme_contoso)):
        for method in ("get", "post"):
            assert getattr(client, method)(role_url(membership), {"role": "viewer"}
                                           ).status_code == 404
    assert client.get(reverse("partnership:membership_role", args=[2_000_000_000])
                      ).status_code == 404
    assert seat(world.alice, world.acme_contoso).role == "lead"


def test_only_admins_change_roles(login, world):
    bobs = seat(world.bob, world.acme_contoso)
    for person in (world.bob, world.carol, world.alice):
        assert login(person).post(role_url(bobs), {"role": "lead"}).status_code == 403
    assert seat(world.bob, world.acme_contoso).role == "member"


def test_the_service_refuses_what_seat_removal_refuses(world):
    """Whatever the door: the same people as may remove a seat, and a role of the list."""
    bobs = seat(world.bob, world.acme_contoso)
    with pytest.raises(PermissionDenied, match="Only organization admins"):
        services.membership_role_change(actor=world.carol, membership=bobs, role="lead")
    acme_admin = UserFactory(organization=world.acme, is_org_admin=True)
    with pytest.raises(PermissionDenied, match="own organization only"):
        services.membership_role_change(actor=acme_admin, membership=bobs, role="lead")
    with pytest.raises(ValidationError) as refused:
        services.membership_role_change(actor=world.olga, membership=bobs, role="boss")
    assert list(refused.value.message_dict) == ["role"]
    unchanged = MembershipEvent.objects.filter(pgh_obj_id=bobs.pk).count()
    services.membership_role_change(actor=world.olga, membership=bobs, role="member")
    assert MembershipEvent.objects.filter(pgh_obj_id=bobs.pk).count() == unchanged


def test_admin_changes_a_role_through_the_api(world):
    bobs = seat(world.bob, world.acme_contoso)
    url = f"/api/v1/memberships/{bobs.pk}/role/"
    response = api(world.olga).post(url, {"role": "steering"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["role_label"]) == (
        "steering", "Steering committee")
    assert seat(world.bob, world.acme_contoso).role == "steering"
    event = MembershipEvent.objects.filter(pgh_obj_id=bobs.pk).latest("pgh_id")
    assert event.role == "steering" and event.pgh_context["user"] == world.olga.pk


def test_the_api_refuses_a_role_change_with_the_right_status(world):
    bobs = seat(world.bob, world.acme_contoso)
    olga = api(world.olga)
    # A seat of a partnership Olga does not see, and one that does not exist: 404.
    foreign = seat(world.alice, world.acme_labcorp)
    assert olga.post(f"/api/v1/memberships/{foreign.pk}/role/", {"role": "viewer"},
                     format="json").status_code == 404
    assert olga.post("/api/v1/memberships/2000000000/role/", {"role": "viewer"},
                     format="json").status_code == 404
    # Acme's lead in a partnership Olga sees: not one of her people, 404 as on the page.
    alices = seat(world.alice, world.acme_contoso)
    assert olga.post(f"/api/v1/memberships/{alices.pk}/role/", {"role": "viewer"},
                     format="json").status_code == 404
    # Not an admin, even on their own seat.
    assert api(world.bob).post(f"/api/v1/memberships/{bobs.pk}/role/", {"role": "lead"},
                               format="json").status_code == 403
    # A role that does not exist, or none: 400 with the field's error.
    for body in ({"role": "boss"}, {}):
        response = olga.post(f"/api/v1/memberships/{bobs.pk}/role/", body, format="json")
        assert response.status_code == 400 and list(response.json()) == ["role"]
    assert seat(world.bob, world.acme_contoso).role == "member"
    assert seat(world.alice, world.acme_contoso).role == "lead"


# --- The people page ---------------------------------------------------------------------


def test_people_page_shows_seats_in_words_and_last_sign_in(login, world):
    signed_in = datetime.datetime(2026, 11, 3, 8, 30, tzinfo=datetime.UTC)
    User.objects.filter(pk=world.bob.pk).update(last_login=signed_in)
    MembershipFactory(partnership=world.globex_contoso, user=world.bob,
                      role=Membership.Role.QA_LEAD)
    client = login(world.olga)
    organization = client.get(reverse("partnership:organization_detail")).content.decode()
    assert reverse("partnership:organization_people") in organization
    assert reverse("governance:partnership_load") in organization
    page = client.get(reverse("partnership:organization_people")).content.decode()
    rows = {person.pk: person for person in
            client.get(reverse("partnership:organization_people")).context["object_list"]}
    assert set(rows) == set(User.objects.filter(organization=world.contoso)
                            .values_list("pk", flat=True))
    assert "Acme Pharma – Contoso CDMO — Member" in page
    assert "Globex Biotech – Contoso CDMO — QA lead" in page  # the role in words
    assert "Globex Biotech – Contoso CDMO — Lead" in page  # Carol's
    assert "3 Nov 2026" in page and "Never" in page  # Bob signed in, Carol never did
    assert role_url(seat(world.bob, world.acme_contoso)) in page
    assert "Alice" not in page and "Dave" not in page  # other organizations' people


def test_people_page_is_paged_with_a_bounded_number_of_queries(login, world,
                                                                django_assert_max_num_queries):
    client = login(world.olga)
    url = reverse("partnership:organization_people")
    client.get(url)  # warm the session
    for n in range(30):
        colleague = UserFactory(organization=world.contoso, first_name=f"Zed{n:02}",
                                last_login=timezone.now())
        MembershipFactory(partnership=world.acme_contoso, user=colleague)
        MembershipFactory(partnership=world.globex_contoso, user=colleague)
    # Session, user, count, the page of people, their seats with their partnerships.
    with django_assert_max_num_queries(8):
        first = client.get(url)
    assert len(first.context["object_list"]) == 25
    second = client.get(url, {"page": 2})
    assert second.context["page_obj"].number == 2
    assert "Zed29" in second.content.decode() and "Zed29" not in first.content.decode()
    partial = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Zed29" in partial


def test_only_admins_reach_the_people_page(login, world):
    assert login(world.bob).get(reverse("partnership:organization_people")).status_code == 403


def test_api_lists_the_admins_people_with_seats_and_last_sign_in(world):
    signed_in = datetime.datetime(2026, 11, 3, 8, 30, tzinfo=datetime.UTC)
    User.objects.filter(pk=world.bob.pk).update(last_login=signed_in)
    rows = {row["email"]: row for row in
            api(world.olga).get("/api/v1/organization-people/").json()["results"]}
    assert set(rows) == set(User.objects.filter(organization=world.contoso)
                            .values_list("email", flat=True))
    bob = rows["bob@contoso.test"]
    assert bob["last_login"].startswith("2026-11-03T")
    assert bob["seats"] == [{
        "id": seat(world.bob, world.acme_contoso).pk, "partnership": world.acme_contoso.pk,
        "partnership_name": "Acme Pharma – Contoso CDMO", "role": "member",
        "role_label": "Member"}]
    assert rows["carol@contoso.test"]["last_login"] is None
    assert api(world.olga).get(f"/api/v1/organization-people/{world.alice.pk}/").status_code \
        == 404
    # Anyone but an admin: nobody, and no one to open.
    assert api(world.bob).get("/api/v1/organization-people/").json()["count"] == 0
    assert api(world.bob).get(f"/api/v1/organization-people/{world.carol.pk}/").status_code \
        == 404


# --- A party keeps a lead --------------------------------------------------------------------


def test_the_last_lead_of_a_party_keeps_the_role_and_the_seat(login, world):
    """Demoting or removing the party's only lead is refused, on the page, the dialog and the
    API, and changes nothing; with a second lead it goes through."""
    ours = Membership.objects.filter(partnership=world.acme_contoso,
                                     user__organization=world.olga.organization)
    ours.update(role="member")
    last = seat(world.bob, world.acme_contoso)
    Membership.objects.filter(pk=last.pk).update(role="lead")  # Bob, the only lead
    last.refresh_from_db()
    colleague = UserFactory(organization=world.olga.organization)
    other = MembershipFactory(partnership=world.acme_contoso, user=colleague, role="member")
    client = login(world.olga)
    refused = client.post(role_url(last), {"role": "member"})
    assert "is the last lead of" in refused.content.decode()
    answer = api(world.olga).post(f"/api/v1/memberships/{last.pk}/role/", {"role": "viewer"},
                                  format="json")
    assert answer.status_code == 400 and "last lead" in str(answer.json())
    removal = client.post(reverse("partnership:membership_delete", args=[last.pk]))
    assert removal.status_code == 400 and "give a colleague the lead role first" in \
        removal.content.decode()
    assert Membership.objects.get(pk=last.pk).role == "lead"
    services.membership_role_change(actor=world.olga, membership=other, role="lead")
    assert client.post(role_url(last), {"role": "member"}).status_code == 302
    assert Membership.objects.get(pk=last.pk).role == "member"


def test_a_deactivated_lead_does_not_count_as_the_partys_lead(world):
    """A colleague who can no longer sign in leads nothing: with only them beside the last
    active lead, that lead's role and seat are still kept."""
    ours = Membership.objects.filter(partnership=world.acme_contoso,
                                     user__organization=world.olga.organization)
    ours.update(role="member")
    last = seat(world.bob, world.acme_contoso)
    Membership.objects.filter(pk=last.pk).update(role="lead")
    last.refresh_from_db()
    gone = UserFactory(organization=world.olga.organization, is_active=False)
    MembershipFactory(partnership=world.acme_contoso, user=gone, role="lead")
    with pytest.raises(ValidationError, match="last lead"):
        services.membership_role_change(actor=world.olga, membership=last, role="member")
    with pytest.raises(ValidationError, match="last lead"):
        services.membership_remove(actor=world.olga, membership=last)
    assert Membership.objects.get(pk=last.pk).role == "lead"
