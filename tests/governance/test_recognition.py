"""Recognition: thank-yous to people or a team of the other party."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import Recognition
from governance.relationship.selectors import recognition_list
from governance.relationship.services import recognition_create
from partnership.notifications.models import Notification


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_thank_people_of_the_other_party_only(world):
    recognition = recognition_create(
        actor=world.alice, partnership=world.acme_contoso, message="Weekend shift, thanks!",
        recipients=[world.bob])
    assert list(recognition.recipients.all()) == [world.bob] and not recognition.is_internal
    assert Notification.objects.filter(recipient=world.bob, kind="recognition").exists()
    for wrong in (world.vera, world.carol):  # own colleague; Contoso but not in this seat
        with pytest.raises(ValidationError) as error:
            recognition_create(actor=world.alice, partnership=world.acme_contoso,
                               message="x", recipients=[wrong])
        assert "recipients" in error.value.message_dict
    with pytest.raises(ValidationError):
        recognition_create(actor=world.alice, partnership=world.acme_contoso,
                           message="Nobody named")
    team = recognition_create(actor=world.bob, partnership=world.acme_contoso,
                              message="Fast answers", team="Acme supply chain")
    assert team.team == "Acme supply chain"


def test_a_thank_you_to_a_team_reaches_the_other_partys_seated_people(world):
    recognition_create(actor=world.bob, partnership=world.acme_contoso,
                       message="Fast answers", team="Acme supply chain")
    told = Notification.objects.filter(kind="recognition")
    # Acme's seats in Acme–Contoso; not Bob himself, not Contoso, not Olga without a seat.
    assert set(told.values_list("recipient__email", flat=True)) == {world.alice.email,
                                                                     world.vera.email}
    assert told.filter(title="Bob Contososon thanked Acme supply chain").count() == 2
    Notification.objects.all().delete()
    recognition_create(actor=world.alice, partnership=world.acme_contoso,
                       message="Thanks", recipients=[world.bob], team="QC")
    assert list(Notification.objects.values_list("recipient__email", "title")) == [
        (world.bob.email, "Alice Acmeson thanked you")]  # named people: only they are told


def test_viewers_may_thank_but_seatless_admins_may_not(world):
    recognition_create(actor=world.vera, partnership=world.acme_contoso,
                       message="Thanks", recipients=[world.bob])
    with pytest.raises(PermissionDenied):
        recognition_create(actor=world.olga, partnership=world.acme_contoso,
                           message="Thanks", team="Acme")


def test_page_dialog_and_bounded_queries(world, login, django_assert_max_num_queries):
    for n in range(25):
        recognition_create(actor=world.alice, partnership=world.acme_contoso,
                           message=f"Thanks number {n}", recipients=[world.bob],
                           team="QC" if n % 2 else "")
    client = login(world.alice)
    url = reverse("governance:recognition_list", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.index("Thanks number 24") < page.index("Thanks number 23")  # newest first
    assert "Thanks number 0" not in page and "Page 1 of 2" in page
    assert "Globex" not in page
    dialog = client.get(reverse("governance:recognition_create", args=[world.acme_contoso.pk]),
                        HTTP_HX_REQUEST="true").content.decode()
    assert "Bob Contososon" in dialog and "Vera" not in dialog and "<html" not in dialog
    response = client.post(reverse("governance:recognition_create",
                                   args=[world.acme_contoso.pk]),
                           {"recipients": [world.bob.pk], "message": "Great audit prep"})
    assert response.status_code == 302
    bad = client.post(reverse("governance:recognition_create", args=[world.acme_contoso.pk]),
                      {"recipients": [world.carol.pk], "message": "x"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "recipients" in bad.context["form"].errors


def test_card_shows_the_latest_three(world):
    for n in range(5):
        recognition_create(actor=world.bob, partnership=world.acme_contoso,
                           message=f"Card thanks {n}", recipients=[world.alice])
    latest = recognition_list(user=world.alice, partnership=world.acme_contoso)[:3]
    card = render_to_string("governance/recognition_card.html",
                            {"recognitions": latest, "partnership": world.acme_contoso})
    assert "Card thanks 4" in card and "Card thanks 2" in card and "Card thanks 1" not in card
    assert "Alice Acmeson" in card


def test_api_lists_and_creates(world):
    client = APIClient()
    client.force_authenticate(world.bob)
    created = client.post("/api/v1/recognitions/", {
        "partnership": world.acme_contoso.pk, "message": "Quick release",
        "recipients": [world.alice.pk]}, format="json")
    assert created.status_code == 201, created.json()
    bad = client.post("/api/v1/recognitions/", {
        "partnership": world.acme_contoso.pk, "message": "x",
        "recipients": [world.dave.pk]}, format="json")
    assert bad.status_code == 400
    rows = client.get("/api/v1/recognitions/").json()["results"]
    assert {row["partnership"] for row in rows} == {world.acme_contoso.pk}
    assert Recognition.objects.filter(partnership=world.globex_contoso).exists()
