"""Links between records under the internal rule (DESIGN §2): a record both parties see links
only to records both parties see, whichever flag changes (its own, or a parent's that the
records beneath it inherit), and a link that breaks the rule anyway, written straight into
the database, still shows the other party nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import Request, Risk
from governance.risks.services import risk_create, risk_update
from partnership.contracts.services import contract_create, contract_update, program_update
from partnership.deliverables.services import deliverable_create, deliverable_update
from partnership.models import Contract, Deliverable, Milestone, Program, TechTransfer
from partnership.techtransfer.services import milestone_update

SECRET = "Backup supplier audit"


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def transfer(world) -> TechTransfer:
    """Acme's transfer in Acme–Contoso, nothing waiting on its milestone yet (a shared
    request or risk naming it would stop its program being made internal at all)."""
    Request.objects.get(partnership=world.acme_contoso).milestones.clear()
    Risk.objects.get(partnership=world.acme_contoso).milestones.clear()
    return TechTransfer.objects.get(partnership=world.acme_contoso)


@pytest.fixture
def secret(world) -> Deliverable:
    """A deliverable Acme keeps to itself, under the shared SOW."""
    return deliverable_create(
        actor=world.alice, partnership=world.acme_contoso, title=SECRET,
        sow=Contract.objects.get(partnership=world.acme_contoso, kind="sow"),
        due_date=datetime.date(2027, 6, 1), is_internal=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _rows(response) -> list[dict]:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_a_parent_shared_again_is_refused_while_a_record_beneath_links_an_internal_one(
        world, login, transfer, secret):
    """The attack: the program is made internal, so its transfer's milestones are too; an
    internal deliverable is linked to a milestone meanwhile (both internal: allowed); the
    program made shared again would show the deliverable's title on Contoso's timeline."""
    program = transfer.program
    program_update(actor=world.alice, program=program, is_internal=True)
    milestone = Milestone.objects.get(tech_transfer=transfer)
    milestone_update(actor=world.alice, milestone=milestone, deliverables=[secret])

    with pytest.raises(ValidationError) as error:
        program_update(actor=world.alice, program=Program.objects.get(pk=program.pk),
                       is_internal=False)
    message = " ".join(error.value.message_dict["is_internal"])
    assert "milestones" in message and "deliverables" in message
    assert Program.objects.get(pk=program.pk).is_internal
    assert login(world.bob).get(transfer.get_absolute_url()).status_code == 404

    milestone_update(actor=world.alice, milestone=milestone, deliverables=[])
    program_update(actor=world.alice, program=Program.objects.get(pk=program.pk),
                   is_internal=False)
    page = login(world.bob).get(transfer.get_absolute_url())
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_the_edit_page_shows_the_refusal_on_the_internal_box(world, login, transfer, secret):
    program = transfer.program
    program_update(actor=world.alice, program=program, is_internal=True)
    milestone_update(actor=world.alice, deliverables=[secret],
                     milestone=Milestone.objects.get(tech_transfer=transfer))
    response = login(world.alice).post(
        reverse("partnership:program_edit", args=[world.acme_contoso.pk, program.pk]),
        {"code": program.code, "name": program.name, "modality": program.modality,
         "phase": program.phase})
    assert response.status_code == 200
    assert "its milestones link internal deliverables" in response.content.decode()
    assert Program.objects.get(pk=program.pk).is_internal


def planned(deliverable: Deliverable) -> Deliverable:
    """A deliverable whose work has not started: the only kind whose SOW may still change
    (Deliverable.FIELD_RULES), so a move is refused for the internal rule alone."""
    Deliverable.objects.filter(pk=deliverable.pk).update(status=Deliverable.Status.PLANNED)
    deliverable.refresh_from_db()
    return deliverable


def test_a_record_moved_under_an_internal_parent_is_refused_while_shared_ones_link_it(
        world, transfer):
    """A deliverable's SOW is the parent it inherits its flag from: moving it under an
    internal SOW hides it as surely as ticking its own box."""
    deliverable = planned(Deliverable.objects.get(partnership=world.acme_contoso,
                                                  is_internal=False))
    milestone = Milestone.objects.get(tech_transfer=transfer)
    milestone_update(actor=world.alice, milestone=milestone,
                     deliverables=[deliverable])
    hidden = contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="sow", reference="SOW-ACME",
        title="Acme's own SOW", is_internal=True,
        parent=Contract.objects.get(partnership=world.acme_contoso, kind="msa"))

    with pytest.raises(ValidationError) as error:
        deliverable_update(actor=world.alice, deliverable=deliverable, sow=hidden)
    assert "milestones" in " ".join(error.value.message_dict["sow"])
    assert Deliverable.objects.get(pk=deliverable.pk).sow_id != hidden.pk


def test_hiding_a_parent_is_refused_while_shared_records_link_what_is_beneath(world, transfer):
    """The other direction, through a many-to-many link two levels down: a shared milestone
    needs a deliverable of the SOW."""
    deliverable = Deliverable.objects.get(partnership=world.acme_contoso,
                                          is_internal=False)
    milestone_update(actor=world.alice, deliverables=[deliverable],
                     milestone=Milestone.objects.get(tech_transfer=transfer))
    with pytest.raises(ValidationError) as error:
        contract_update(actor=world.alice, contract=deliverable.sow,
                        is_internal=True)
    assert "milestones that the other party sees refer to it" in str(error.value)
    assert not Contract.objects.get(pk=deliverable.sow_id).is_internal


def test_an_internal_risk_shared_again_is_refused_while_it_links_an_internal_milestone(
        world, transfer):
    program = transfer.program
    program_update(actor=world.alice, program=program, is_internal=True)
    risk = risk_create(
        actor=world.alice, partnership=world.acme_contoso, title="Slot lost", category="supply",
        likelihood=2, impact=3, owner=world.alice, is_internal=True,
        milestones=[Milestone.objects.get(tech_transfer=transfer)])
    with pytest.raises(ValidationError) as error:
        risk_update(actor=world.alice, risk=risk, is_internal=False)
    assert "it links internal milestones" in " ".join(error.value.message_dict["is_internal"])
    assert Risk.objects.get(pk=risk.pk).is_internal
    # Dropping the milestone in the same change is checked as the links will stand.
    risk = risk_update(actor=world.alice, risk=risk, is_internal=False,
                       milestones=[])
    assert not risk.is_internal and not risk.milestones.exists()


def test_a_bad_link_in_the_database_shows_the_other_party_nothing(world, login, transfer,
                                                                   secret):
    """Defence in depth: a shared milestone linked to Acme's internal deliverable behind the
    services' back. Contoso sees neither its title nor its id; Acme still sees its own."""
    milestone = Milestone.objects.get(tech_transfer=transfer)
    milestone.deliverables.add(secret)

    assert SECRET not in login(world.bob).get(transfer.get_absolute_url()).content.decode()
    assert SECRET in login(world.alice).get(transfer.get_absolute_url()).content.decode()
    edit = reverse("partnership:milestone_edit",
                   args=[world.acme_contoso.pk, transfer.pk, milestone.pk])
    assert SECRET not in login(world.bob).get(edit).content.decode()

    listed = _rows(api(world.bob).get("/api/v1/milestones/", {"tech_transfer": transfer.pk}))
    assert listed and all(secret.pk not in row["deliverables"] for row in listed)
    detail = api(world.bob).get(f"/api/v1/milestones/{milestone.pk}/").json()
    assert secret.pk not in detail["deliverables"]
    assert secret.pk in api(world.alice).get(
        f"/api/v1/milestones/{milestone.pk}/").json()["deliverables"]
    changed = api(world.bob).patch(f"/api/v1/milestones/{milestone.pk}/",
                                   {"note": "Slot booked"}, format="json")
    assert changed.status_code == 200, changed.content
    assert secret.pk not in changed.json()["deliverables"]


def test_a_bad_link_to_an_internal_milestone_shows_the_other_party_nothing(world, login,
                                                                            transfer):
    """The same, the other way round: shared requests and risks waiting on a milestone of a
    transfer that became internal behind the services' back."""
    milestone = Milestone.objects.get(tech_transfer=transfer)
    request = Request.objects.get(partnership=world.acme_contoso)
    risk = Risk.objects.get(partnership=world.acme_contoso)
    request.milestones.add(milestone)
    risk.milestones.add(milestone)
    TechTransfer.objects.filter(pk=transfer.pk).update(is_internal=True)
    title = transfer.title

    for record in (request, risk):
        page = login(world.bob).get(record.get_absolute_url())
        assert page.status_code == 200 and title not in page.content.decode()
    assert milestone.pk not in api(world.bob).get(
        f"/api/v1/requests/{request.pk}/").json()["milestones"]
    assert milestone.pk not in api(world.bob).get(
        f"/api/v1/risks/{risk.pk}/").json()["milestones"]
    closed = api(world.bob).post(f"/api/v1/risks/{risk.pk}/transition/",
                                 {"status": "closed"}, format="json")
    assert closed.status_code == 200, closed.content
    assert milestone.pk not in closed.json()["milestones"]
    changed = api(world.bob).patch(f"/api/v1/risks/{risk.pk}/", {"mitigation": "Second slot"},
                                   format="json")
    assert changed.status_code == 200, changed.content
    assert milestone.pk not in changed.json()["milestones"]


def test_only_the_party_that_wrote_a_record_moves_it_under_an_internal_parent(world, login):
    """Moving Acme's deliverable under Contoso's internal SOW would hide it from Acme, as
    surely as ticking its box, which only Acme may do. (A deliverable's SOW is its
    writer's to set anyway, Deliverable.FIELD_RULES: the refusal says so first.)"""
    deliverable = planned(Deliverable.objects.get(partnership=world.acme_contoso,
                                                  is_internal=False))
    msa = Contract.objects.get(partnership=world.acme_contoso, kind="msa")
    contoso_sow = contract_create(
        actor=world.bob, partnership=world.acme_contoso, kind="sow", reference="SOW-CONTOSO",
        title="Contoso's own SOW", parent=msa, is_internal=True)
    with pytest.raises(ValidationError) as error:
        deliverable_update(actor=world.bob, deliverable=deliverable, sow=contoso_sow)
    assert "the party that wrote the deliverable" in " ".join(
        error.value.message_dict["sow"])
    assert login(world.alice).get(deliverable.get_absolute_url()).status_code == 200

    acme_sow = contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="sow", reference="SOW-ACME",
        title="Acme's own SOW", parent=msa, is_internal=True)
    deliverable_update(actor=world.alice, deliverable=deliverable, sow=acme_sow)
    assert login(world.bob).get(deliverable.get_absolute_url()).status_code == 404
