"""Shared objectives: owners on each side, reviews kept as history, shown on the home."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.models import Membership, Objective
from partnership.objectives import services
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_objective_needs_an_owner_on_each_side(world):
    with pytest.raises(ValidationError) as error:
        services.objective_create(actor=world.alice, partnership=world.acme_contoso,
                                  title="On-time release", measure_of_success="95 %",
                                  sponsor_owner=world.bob, cdmo_owner=world.alice,
                                  review_date=datetime.date(2027, 3, 1))
    assert {"sponsor_owner", "cdmo_owner"} <= set(error.value.message_dict)


def test_reviews_keep_the_history_and_move_the_status(world, login):
    objective = services.objective_create(
        actor=world.alice, partnership=world.acme_contoso, title="Right first time batches",
        measure_of_success="≥ 95 % of batches released without deviation",
        sponsor_owner=world.alice, cdmo_owner=world.bob, review_date=datetime.date(2027, 1, 1))
    client = login(world.bob)
    url = reverse("partnership:objectivereview_create",
                  args=[world.acme_contoso.pk, objective.pk])
    response = client.post(url, {"status": "at_risk", "note": "Two deviations in Q4",
                                 "next_review_date": "2027-04-01"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == "at_risk" and objective.review_date == datetime.date(2027, 4, 1)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "Two deviations in Q4" in page and "At risk" in page
    home = login(world.alice).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "Right first time batches" in home


def test_api_creates_and_reviews_objectives(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    created = client.post("/api/v1/objectives/", {
        "partnership": world.acme_contoso.pk, "title": "Shorter turnaround",
        "measure_of_success": "Median answer under 5 days", "sponsor_owner": world.alice.pk,
        "cdmo_owner": world.bob.pk, "review_date": "2027-02-01"}, format="json")
    assert created.status_code == 201, created.json()
    review = client.post("/api/v1/objective-reviews/", {
        "objective": created.json()["id"], "status": "achieved", "note": "Done",
        "next_review_date": "2027-06-01"}, format="json")
    assert review.status_code == 201
    assert Objective.objects.get(pk=created.json()["id"]).status == "achieved"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_owners_hold_a_seat_here_not_merely_in_the_organization(world):
    """Olga administers Contoso: she sees Acme–Contoso, but Carol (seated only in
    Globex–Contoso) and Olga herself (no seat) are not people Acme may be shown as owners."""
    objective = Objective.objects.get(partnership=world.acme_contoso)
    for outsider in (world.carol, world.olga):
        with pytest.raises(ValidationError) as error:
            services.objective_update(actor=world.olga, objective=objective,
                                      cdmo_owner=outsider)
        assert "seat in this partnership" in str(error.value.message_dict["cdmo_owner"])
    with pytest.raises(ValidationError) as error:  # a viewer reads; an owner acts
        services.objective_update(actor=world.alice, objective=objective,
                                  sponsor_owner=world.vera)
    assert "sponsor_owner" in error.value.message_dict
    objective.refresh_from_db()
    assert (objective.sponsor_owner, objective.cdmo_owner) == (world.alice, world.bob)


def test_objective_page_offers_and_accepts_only_seated_owners(world, login):
    objective = Objective.objects.get(partnership=world.acme_contoso)
    client = login(world.olga)
    edit = reverse("partnership:objective_edit", args=[world.acme_contoso.pk, objective.pk])
    form = client.get(edit).context["form"]
    assert set(form.fields["cdmo_owner"].queryset) == {world.bob}
    sponsor_form = login(world.alice).get(edit).context["form"]
    assert set(sponsor_form.fields["sponsor_owner"].queryset) == {world.alice}  # Vera views
    page = client.get(edit).content.decode()
    assert "Carol" not in page and "Olga Contososon</option>" not in page
    response = client.post(edit, {"title": objective.title,
                                  "measure_of_success": objective.measure_of_success,
                                  "sponsor_owner": world.alice.pk, "cdmo_owner": world.carol.pk,
                                  "review_date": "2027-01-15"})
    assert "cdmo_owner" in response.context["form"].errors
    objective.refresh_from_db()
    assert objective.cdmo_owner == world.bob


def test_objective_api_refuses_an_owner_without_a_seat(world):
    objective = Objective.objects.get(partnership=world.acme_contoso)
    client = api(world.olga)
    for outsider in (world.carol, world.olga):
        response = client.patch(f"/api/v1/objectives/{objective.pk}/",
                                {"cdmo_owner": outsider.pk}, format="json")
        assert response.status_code == 400
        assert "seat in this partnership" in str(response.json()["cdmo_owner"])
    created = client.post("/api/v1/objectives/", {
        "partnership": world.acme_contoso.pk, "title": "Named from elsewhere",
        "measure_of_success": "-", "sponsor_owner": world.alice.pk,
        "cdmo_owner": world.carol.pk, "review_date": "2027-02-01"}, format="json")
    assert created.status_code == 400 and "cdmo_owner" in created.json()
    assert not Objective.objects.filter(title="Named from elsewhere").exists()
    objective.refresh_from_db()
    assert objective.cdmo_owner == world.bob
    assert client.patch(f"/api/v1/objectives/{objective.pk}/", {"title": "Renamed"},
                        format="json").status_code == 200  # the owners as they were


def test_objective_api_lists_only_seated_people_as_owner_choices(world, rf):
    from partnership.objectives.api import ObjectiveSerializer

    objective = Objective.objects.get(partnership=world.acme_contoso)
    request = rf.get("/")
    request.user = world.olga
    fields = ObjectiveSerializer(objective, context={"request": request}).fields
    assert set(fields["cdmo_owner"].get_queryset()) == {world.bob}
    assert set(fields["sponsor_owner"].get_queryset()) == {world.alice}


def test_each_party_names_its_own_objective_owner(world, login):
    objective = Objective.objects.get(partnership=world.acme_contoso)
    sam = UserFactory(organization=world.acme, first_name="Sam")
    cyd = UserFactory(organization=world.contoso, first_name="Cyd")
    for person in (sam, cyd):
        MembershipFactory(partnership=world.acme_contoso, user=person,
                          role=Membership.Role.MEMBER)
    for actor, name, person in ((world.bob, "sponsor_owner", sam),
                                (world.alice, "cdmo_owner", cyd)):
        with pytest.raises(ValidationError) as error:
            services.objective_update(actor=actor, objective=objective, **{name: person})
        assert "names its own owner" in str(error.value.message_dict[name])
        response = api(actor).patch(f"/api/v1/objectives/{objective.pk}/", {name: person.pk},
                                    format="json")
        assert response.status_code == 400 and name in response.json()
    objective.refresh_from_db()
    assert (objective.sponsor_owner, objective.cdmo_owner) == (world.alice, world.bob)
    edit = reverse("partnership:objective_edit", args=[world.acme_contoso.pk, objective.pk])
    form = login(world.bob).get(edit).context["form"]
    assert form.fields["sponsor_owner"].disabled and not form.fields["cdmo_owner"].disabled
    response = login(world.bob).post(edit, {
        "title": objective.title, "measure_of_success": objective.measure_of_success,
        "sponsor_owner": sam.pk, "cdmo_owner": cyd.pk, "review_date": "2027-01-15"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.sponsor_owner, objective.cdmo_owner) == (world.alice, cyd)
