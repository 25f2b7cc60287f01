"""Tech transfer: the standard milestones, owners on both sides, planned vs actual dates,
the deliverables a milestone depends on, and the timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.models import Milestone, Site
from partnership.techtransfer import selectors, services
from tests.factories import DeliverableFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

D = datetime.date


@pytest.fixture
def transfer(world):
    return services.tech_transfer_create(
        actor=world.alice, partnership=world.acme_contoso, program=world.acme_program,
        site=Site.objects.get(name="Contoso Boston"), title="Acmezumab into Boston")


def test_a_transfer_starts_with_the_six_standard_milestones(transfer):
    assert [m.kind for m in transfer.milestones.all()] == [
        "transfer_package", "gap_assessment", "method_transfer", "engineering_run", "ppq",
        "handover"]


def test_the_site_must_be_the_cdmos(world):
    with pytest.raises(ValidationError) as error:
        services.tech_transfer_create(
            actor=world.alice, partnership=world.acme_contoso, program=world.acme_program,
            site=Site.objects.get(name="Acme Basel"), title="Wrong site")
    assert "site" in error.value.message_dict


def test_milestones_show_slip_and_their_deliverables(world, login, transfer):
    package, gap = transfer.milestones.all()[:2]
    deliverable = DeliverableFactory(sow__partnership=world.acme_contoso, title="Gap report")
    client = login(world.bob)
    dates = {"planned_date": "2026-01-10", "actual_date": "2026-01-17",
             "records_past": "on"}  # a milestone reached before the transfer was entered
    response = client.post(reverse("partnership:milestone_edit",
                                   args=[world.acme_contoso.pk, transfer.pk, package.pk]),
                           {**dates, "cdmo_owner": world.bob.pk})
    assert response.status_code == 302
    login(world.alice).post(reverse("partnership:milestone_edit",
                                    args=[world.acme_contoso.pk, transfer.pk, package.pk]),
                            {**dates, "sponsor_owner": world.alice.pk})
    package.refresh_from_db()
    assert (package.sponsor_owner, package.cdmo_owner) == (world.alice, world.bob)
    client.post(reverse("partnership:milestone_edit",
                        args=[world.acme_contoso.pk, transfer.pk, gap.pk]),
                {"planned_date": "2026-02-01", "deliverables": [deliverable.pk],
                 "cdmo_owner": world.alice.pk})  # Alice is not of the CDMO: refused
    gap.refresh_from_db()
    assert gap.planned_date is None
    services.milestone_update(actor=world.bob, milestone=gap, planned_date=D(2026, 2, 1),
                              deliverables=[deliverable])
    timeline = selectors.tech_transfer_timeline(user=world.bob, transfer=transfer)
    assert timeline[0]["slip_days"] == 7 and timeline[0]["planned_at"] == 0.0
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "7 days late" in page and "needs" in page and "Gap report" in page


def test_api_plans_a_milestone(world, transfer):
    client = APIClient()
    client.force_authenticate(world.alice)
    milestone = transfer.milestones.get(kind="ppq")
    response = client.patch(f"/api/v1/milestones/{milestone.pk}/",
                            {"planned_date": "2027-03-01"}, format="json")
    assert response.status_code == 200 and response.json()["planned_date"] == "2027-03-01"
    assert Milestone.objects.get(pk=milestone.pk).planned_date == D(2027, 3, 1)
    created = client.post("/api/v1/tech-transfers/", {
        "partnership": world.acme_contoso.pk, "title": "Second site", "program":
        world.acme_program.pk, "site": Site.objects.get(name="Contoso Boston").pk},
        format="json")
    assert created.status_code == 201


def test_milestone_owners_hold_a_seat_here(world, login):
    """Olga (Contoso admin, no seat) cannot name Carol, seated only in Globex–Contoso, as
    the CDMO owner of an Acme milestone: not by the page, not by the API, not listed."""
    milestone = Milestone.objects.get(partnership=world.acme_contoso)
    edit = reverse("partnership:milestone_edit", args=[
        world.acme_contoso.pk, milestone.tech_transfer_id, milestone.pk])
    client = login(world.olga)
    form = client.get(edit).context["form"]
    assert set(form.fields["cdmo_owner"].queryset) == {world.bob}
    assert "Carol" not in client.get(edit).content.decode()
    response = client.post(edit, {"cdmo_owner": world.carol.pk, "planned_date": "2026-09-01"})
    assert "cdmo_owner" in response.context["form"].errors
    api = APIClient()
    api.force_authenticate(world.olga)
    for outsider in (world.carol, world.olga):
        response = api.patch(f"/api/v1/milestones/{milestone.pk}/",
                             {"cdmo_owner": outsider.pk, "planned_date": "2026-09-01"},
                             format="json")
        assert response.status_code == 400 and "cdmo_owner" in response.json()
        with pytest.raises(ValidationError) as error:
            services.milestone_update(actor=world.olga, milestone=milestone,
                                      cdmo_owner=outsider)
        assert "seat in this partnership" in str(error.value.message_dict["cdmo_owner"])
    milestone.refresh_from_db()
    assert (milestone.cdmo_owner, milestone.planned_date) == (None, None)
    assert api.patch(f"/api/v1/milestones/{milestone.pk}/", {"cdmo_owner": world.bob.pk},
                     format="json").status_code == 200


def test_each_party_names_its_own_milestone_owner(world, login, transfer):
    milestone = transfer.milestones.get(kind="ppq")
    sponsor, cdmo = APIClient(), APIClient()
    sponsor.force_authenticate(world.alice)
    cdmo.force_authenticate(world.bob)
    path = f"/api/v1/milestones/{milestone.pk}/"
    response = cdmo.patch(path, {"sponsor_owner": world.alice.pk}, format="json")
    assert response.status_code == 400
    assert "Only the sponsor" in str(response.json()["sponsor_owner"])
    assert sponsor.patch(path, {"cdmo_owner": world.bob.pk}, format="json").status_code == 400
    assert sponsor.patch(path, {"sponsor_owner": world.alice.pk}, format="json").status_code \
        == 200
    assert cdmo.patch(path, {"cdmo_owner": world.bob.pk, "sponsor_owner": world.alice.pk},
                      format="json").status_code == 200  # the sponsor's, sent unchanged
    with pytest.raises(ValidationError) as error:
        services.milestone_update(actor=world.bob, milestone=milestone, sponsor_owner=None)
    assert "sponsor_owner" in error.value.message_dict
    milestone.refresh_from_db()
    assert (milestone.sponsor_owner, milestone.cdmo_owner) == (world.alice, world.bob)
    edit = reverse("partnership:milestone_edit",
                   args=[world.acme_contoso.pk, transfer.pk, milestone.pk])
    form = login(world.bob).get(edit).context["form"]
    assert form.fields["sponsor_owner"].disabled and not form.fields["cdmo_owner"].disabled
    assert "Only the sponsor" in form.fields["sponsor_owner"].help_text
    login(world.bob).post(edit, {"planned_date": "2027-02-15", "cdmo_owner": world.bob.pk,
                                 "sponsor_owner": ""})  # a disabled field keeps its value
    milestone.refresh_from_db()
    assert milestone.sponsor_owner == world.alice
    assert milestone.planned_date == D(2027, 2, 15)


def test_an_owner_no_longer_eligible_is_shown_and_kept_by_an_unchanged_save(
        world, login, transfer):
    """Vera's seat is read-only (a viewer): no longer one who may own a milestone. Her name
    stays selected, marked, on both parties' forms, and saving the form unchanged keeps her;
    before, the select showed "---------" and the save cleared her without a word."""
    milestone = transfer.milestones.get(kind="ppq")
    Milestone.objects.filter(pk=milestone.pk).update(sponsor_owner=world.vera)
    edit = reverse("partnership:milestone_edit",
                   args=[world.acme_contoso.pk, transfer.pk, milestone.pk])
    page = login(world.alice).get(edit).content.decode()
    assert f'<option value="{world.vera.pk}" selected>Vera Acmeson (no longer eligible)' in page
    other_party = login(world.bob).get(edit)
    assert other_party.context["form"].fields["sponsor_owner"].disabled
    assert f'<option value="{world.vera.pk}" selected>' in other_party.content.decode()
    login(world.alice).post(edit, {"sponsor_owner": world.vera.pk, "planned_date": "2027-03-01"})
    milestone.refresh_from_db()
    assert (milestone.sponsor_owner, milestone.planned_date) == (world.vera, D(2027, 3, 1))
    response = login(world.alice).post(edit, {"sponsor_owner": world.dave.pk})
    assert "sponsor_owner" in response.context["form"].errors  # still only seated people
