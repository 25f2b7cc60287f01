"""Deliverables: criteria agreed before work, delivery by the responsible party, review by
the receiving party criterion by criterion, rejection reopening the work."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.deliverables import services
from partnership.models import Deliverable
from tests.factories import PASSWORD, ContractFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def deliverable(world):
    sow = ContractFactory(partnership=world.acme_contoso, kind="sow", reference="SOW-9")
    return services.deliverable_create(
        actor=world.alice, partnership=world.acme_contoso, sow=sow, title="Reference standard",
        due_date=datetime.date(2026, 12, 15), responsible_party="cdmo")


def url(name, d):
    return reverse(f"partnership:{name}", args=[d.partnership_id, d.pk])


def test_work_cannot_start_before_criteria_are_agreed(world, deliverable):
    with pytest.raises(ValidationError, match="at least one acceptance criterion"):
        services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                        status="in_progress")
    services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                      text="Purity ≥ 99 % and usable as an assay standard")
    deliverable = services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                                  status="in_progress")
    assert deliverable.criteria_agreed_at is not None
    with pytest.raises(ValidationError, match="cannot change now"):
        services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                          text="A late extra criterion")


def test_only_the_responsible_party_delivers_and_only_the_receiver_reviews(world, deliverable):
    criterion = services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                                  text="CoA attached")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                    status="in_progress")
    with pytest.raises(PermissionDenied):
        services.deliverable_transition(actor=world.alice, deliverable=deliverable,
                                        status="delivered")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable, status="delivered")
    with pytest.raises(PermissionDenied):
        services.deliverable_review(actor=world.bob, deliverable=deliverable,
                                    results={criterion.pk: (True, "")})


def test_rejection_reopens_and_first_time_acceptance_is_recorded(world, login, deliverable):
    criterion = services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                                  text="CoA attached")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                    status="in_progress")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable, status="delivered")
    client = login(world.alice)
    review_url = url("deliverablereview_create", deliverable)
    response = client.post(review_url, {f"met_{criterion.pk}": "no", "comment": ""})
    assert "Say why" in response.content.decode()  # a rejection needs a reason
    response = client.post(review_url, {f"met_{criterion.pk}": "no",
                                        f"note_{criterion.pk}": "CoA missing",
                                        "comment": "Please send the CoA"})
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == "in_progress" and deliverable.rejection_count == 1
    services.deliverable_transition(actor=world.bob, deliverable=deliverable, status="delivered")
    client.post(review_url, {f"met_{criterion.pk}": "yes", "comment": "",
                             "meaning": "approval", "password": PASSWORD})
    deliverable.refresh_from_db()
    assert deliverable.status == "accepted" and deliverable.accepted_first_time is False
    page = login(world.bob).get(url("deliverable_detail", deliverable)).content.decode()
    assert "Accepted after 1 rejection" in page and "CoA missing" in page


def test_every_criterion_must_be_judged(world, deliverable):
    first = services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                              text="One")
    services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable, text="Two")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                    status="in_progress")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable, status="delivered")
    with pytest.raises(ValidationError, match="missing: Two"):
        services.deliverable_review(actor=world.alice, deliverable=deliverable,
                                    results={first.pk: (True, "")})
    assert not deliverable.reviews.exists()


def test_api_walks_a_deliverable_to_acceptance(world, deliverable):
    cdmo, sponsor = APIClient(), APIClient()
    cdmo.force_authenticate(world.bob)
    sponsor.force_authenticate(world.alice)
    created = sponsor.post("/api/v1/acceptance-criteria/", {
        "deliverable": deliverable.pk, "text": "Fit for the tox study"}, format="json")
    assert created.status_code == 201
    path = f"/api/v1/deliverables/{deliverable.pk}/"
    assert cdmo.post(path + "transition/", {"status": "in_progress"},
                     format="json").status_code == 200
    assert cdmo.post(path + "transition/", {"status": "delivered"},
                     format="json").status_code == 200
    review = sponsor.post(path + "review/", {"results": [
        {"criterion": created.json()["id"], "met": True}], "meaning": "approval",
        "password": PASSWORD}, format="json")
    assert review.status_code == 201 and review.json()["decision"] == "accepted"
    body = sponsor.get(path).json()
    assert body["status"] == "accepted" and body["accepted_first_time"] is True
    assert body["partnership"] == world.acme_contoso.pk


def test_deliverable_list_uses_a_bounded_number_of_queries(world, login, deliverable,
                                                            django_assert_max_num_queries):
    client = login(world.alice)
    list_url = reverse("partnership:deliverable_list", args=[world.acme_contoso.pk])
    client.get(list_url)
    for n in range(30):
        services.deliverable_create(actor=world.alice, partnership=world.acme_contoso,
                                    sow=deliverable.sow, title=f"Batch record {n}",
                                    due_date=datetime.date(2026, 12, 1))
    with django_assert_max_num_queries(10):
        page = client.get(list_url)
    total = Deliverable.objects.filter(partnership=world.acme_contoso).count()
    assert page.status_code == 200 and f"{total} in all" in page.content.decode()
    assert total > 30


def delivered_by_the_cdmo(world, deliverable):
    criterion = services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable,
                                                  text="CoA attached")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                    status="in_progress")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable, status="delivered")
    return criterion


def test_the_cdmo_cannot_make_itself_the_reviewer_through_the_api(world, deliverable):
    """The CDMO makes the sponsor responsible, accepts its own delivery, then undoes it."""
    criterion = delivered_by_the_cdmo(world, deliverable)
    cdmo = APIClient()
    cdmo.force_authenticate(world.bob)
    path = f"/api/v1/deliverables/{deliverable.pk}/"
    response = cdmo.patch(path, {"responsible_party": "sponsor"}, format="json")
    assert response.status_code == 400
    assert "fixed now" in str(response.json()["responsible_party"])
    review = cdmo.post(path + "review/", {"results": [
        {"criterion": criterion.pk, "met": True}]}, format="json")
    assert review.status_code == 403
    for field, value in (("responsible_party", "sponsor"), ("sow", ContractFactory(
            partnership=world.acme_contoso, kind="sow", reference="SOW-10").pk)):
        assert cdmo.put(path, {**cdmo.get(path).json(), field: value},
                        format="json").status_code == 400
    deliverable.refresh_from_db()
    assert (deliverable.responsible_party, deliverable.status) == ("cdmo", "delivered")
    assert deliverable.sow.reference == "SOW-9" and not deliverable.reviews.exists()
    assert cdmo.patch(path, {"title": "Reference standard, lot 2"},
                      format="json").status_code == 200  # the rest stays editable


def test_the_cdmo_cannot_make_itself_the_reviewer_through_the_pages(world, login,
                                                                      deliverable):
    criterion = delivered_by_the_cdmo(world, deliverable)
    client = login(world.bob)
    edit = url("deliverable_edit", deliverable)
    form = client.get(edit).context["form"]
    for name in ("responsible_party", "sow"):
        assert form.fields[name].disabled and "fixed now" in form.fields[name].help_text
    client.post(edit, {"sow": deliverable.sow_id, "title": deliverable.title,
                       "due_date": "2026-12-15", "responsible_party": "sponsor"})
    deliverable.refresh_from_db()
    assert deliverable.responsible_party == "cdmo"
    response = client.post(url("deliverablereview_create", deliverable),
                           {f"met_{criterion.pk}": "yes", "comment": ""})
    assert response.status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.status == "delivered" and not deliverable.reviews.exists()


def test_who_delivers_is_fixed_once_work_starts_and_the_writers_while_planned(world,
                                                                            deliverable):
    with pytest.raises(ValidationError) as error:  # Acme wrote it: Acme says who delivers
        services.deliverable_update(actor=world.bob, deliverable=deliverable,
                                    responsible_party="sponsor")
    assert "Only the sponsor" in error.value.message_dict["responsible_party"][0]
    deliverable = services.deliverable_update(actor=world.alice, deliverable=deliverable,
                                              responsible_party="sponsor")
    assert deliverable.responsible_party == "sponsor"  # criteria not agreed yet: a draft
    services.deliverable_update(actor=world.alice, deliverable=deliverable,
                                responsible_party="cdmo")
    services.acceptance_criterion_add(actor=world.alice, deliverable=deliverable, text="CoA")
    services.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                    status="in_progress")
    for actor in (world.bob, world.alice, world.olga):
        with pytest.raises(ValidationError) as error:
            services.deliverable_update(actor=actor, deliverable=deliverable,
                                        responsible_party="sponsor")
        assert "responsible_party" in error.value.message_dict
    services.deliverable_update(actor=world.bob, deliverable=deliverable,
                                responsible_party="cdmo", title="Same party, new title")
    deliverable.refresh_from_db()
    assert (deliverable.responsible_party, deliverable.title) == ("cdmo",
                                                                   "Same party, new title")


def test_operators_read_deliverables_in_the_admin_but_cannot_change_them(world, login,
                                                                          deliverable):
    from partnership.models import User

    staff = User.objects.create_user("ops@lockstep.test", "pw", is_staff=True,
                                     is_superuser=True)
    client = login(staff)
    change = f"/admin/partnership/deliverable/{deliverable.pk}/change/"
    assert client.get(change).status_code == 200
    assert client.post(change, {"responsible_party": "sponsor"}).status_code == 403
    review = deliverable.reviews.model.objects.first()
    assert client.post(f"/admin/partnership/deliverablereview/{review.pk}/change/",
                       {"decision": "accepted"}).status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.responsible_party == "cdmo"


@pytest.fixture
def acme_delivers(world, deliverable):
    """A planned deliverable Acme wrote and delivers itself; Contoso reviews it."""
    return services.deliverable_update(actor=world.alice, deliverable=deliverable,
                                       responsible_party="sponsor")


def test_the_other_party_cannot_take_the_work_over_before_it_starts(world, acme_delivers):
    """Contoso made itself responsible, added a criterion and started the work: then Acme
    could not change it back."""
    cdmo, sponsor = APIClient(), APIClient()
    cdmo.force_authenticate(world.bob)
    sponsor.force_authenticate(world.alice)
    path = f"/api/v1/deliverables/{acme_delivers.pk}/"
    other_sow = ContractFactory(partnership=world.acme_contoso, kind="sow", reference="SOW-11")
    for field, value in (("responsible_party", "cdmo"), ("sow", other_sow.pk)):
        response = cdmo.patch(path, {field: value}, format="json")
        assert response.status_code == 400
        assert "Only the sponsor" in str(response.json()[field])
        assert cdmo.put(path, {**cdmo.get(path).json(), field: value},
                        format="json").status_code == 400
    assert cdmo.patch(path, {"title": "Process description v2"},
                      format="json").status_code == 200  # the rest stays editable
    # Contoso, the receiving party, states what it will check; Acme does not.
    criterion = cdmo.post("/api/v1/acceptance-criteria/", {
        "deliverable": acme_delivers.pk, "text": "Reflects the agreed scale-up parameters"},
        format="json")
    assert criterion.status_code == 201
    assert sponsor.post("/api/v1/acceptance-criteria/", {
        "deliverable": acme_delivers.pk, "text": "Whatever we deliver"},
        format="json").status_code == 403
    # Acme, the responsible party, agrees to them by starting the work; Contoso cannot.
    assert cdmo.post(path + "transition/", {"status": "in_progress"},
                     format="json").status_code == 403
    acme_delivers.refresh_from_db()
    assert (acme_delivers.status, acme_delivers.responsible_party) == ("planned", "sponsor")
    started = sponsor.post(path + "transition/", {"status": "in_progress"}, format="json")
    assert started.status_code == 200 and started.json()["criteria_agreed_at"]
    assert started.json()["criteria"] == ["Reflects the agreed scale-up parameters"]


def test_the_pages_offer_each_party_only_its_own_steps(world, login, acme_delivers):
    contoso, acme = login(world.bob), login(world.alice)
    form = contoso.get(url("deliverable_edit", acme_delivers)).context["form"]
    for name in ("responsible_party", "sow"):
        assert form.fields[name].disabled and "Only the sponsor" in form.fields[name].help_text
    assert not acme.get(url("deliverable_edit", acme_delivers)).context[
        "form"].fields["responsible_party"].disabled
    contoso.post(url("deliverable_edit", acme_delivers), {
        "sow": acme_delivers.sow_id, "title": acme_delivers.title, "due_date": "2026-12-15",
        "responsible_party": "cdmo"})
    acme_delivers.refresh_from_db()
    assert acme_delivers.responsible_party == "sponsor"

    add_criterion = url("acceptancecriterion_create", acme_delivers)
    start = "Criteria agreed: start work"
    page = contoso.get(url("deliverable_detail", acme_delivers)).content.decode()
    assert add_criterion in page and start not in page
    assert acme.get(add_criterion).status_code == 403
    assert acme.post(add_criterion, {"text": "Whatever we deliver"}).status_code == 403
    assert contoso.post(add_criterion, {"text": "Reflects the agreed parameters"}
                        ).status_code == 302
    page = acme.get(url("deliverable_detail", acme_delivers)).content.decode()
    assert add_criterion not in page and start in page
    assert contoso.post(url("deliverable_transition", acme_delivers),
                        {"status": "in_progress"}).status_code == 403
    acme.post(url("deliverable_transition", acme_delivers), {"status": "in_progress"})
    acme_delivers.refresh_from_db()
    assert acme_delivers.status == "in_progress"
    assert [c.text for c in acme_delivers.criteria.all()] == ["Reflects the agreed parameters"]
