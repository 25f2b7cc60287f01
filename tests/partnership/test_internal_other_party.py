"""The other party's records when one party hides a record (DESIGN §2).

What the actor cannot see decides nothing: a link that the other party's internal record
holds to the record being hidden is cut (and its people told), and the change answers
exactly as it would if that link had never been there — no veto, and no word of it. Nor
does one party hide the other party's records from them by hiding the parent they sit
beneath: that is refused, naming only kinds of record the actor sees.

Alice (Acme, the sponsor) and Bob (Contoso, the CDMO) play both parts in turn."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from governance.actions.services import action_item_create
from governance.meetings.services import decision_create, meeting_create, meeting_update
from governance.models import ActionItem, Meeting, Request, Risk
from governance.risks.services import risk_create
from partnership.contracts.services import (
    contract_create,
    contract_document_upload,
    contract_transition,
    contract_update,
    negotiation_round_add,
    program_update,
)
from partnership.deliverables.services import (
    acceptance_criterion_add,
    deliverable_create,
    deliverable_update,
)
from partnership.models import (
    Contract,
    Deliverable,
    DeliverableReview,
    Milestone,
    Objective,
    Program,
    TechTransfer,
)
from partnership.notifications.models import Notification
from partnership.objectives.services import objective_review, objective_update
from partnership.scoping import can_be_internal, links_from
from partnership.techtransfer.services import milestone_update, tech_transfer_create
from tests.partnership.test_api import api

EXIT_PLAN = "Prepare exit plan from Contoso"
MEETING = "Site capacity review"
GENERIC = "the other party has records beneath it"


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def answer(response) -> tuple:
    """What the caller reads: the status, and the body less the moment of the change (a
    page's redirect, its target)."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("updated_at", None)
        return response.status_code, body
    return response.status_code, response.headers.get("Location")


def as_it_would_answer(change) -> tuple:
    """The answer `change()` gets from the database as it stands, then taken back."""
    with transaction.atomic():
        result = change()
        transaction.set_rollback(True)
    return result


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="link_removed"))


@pytest.fixture
def transfer(world) -> TechTransfer:
    """Acme's transfer in Acme–Contoso, no shared request or risk waiting on its milestone
    (those would stop Acme hiding its program, rightly: Contoso sees them)."""
    Request.objects.get(partnership=world.acme_contoso).milestones.clear()
    Risk.objects.get(partnership=world.acme_contoso).milestones.clear()
    return TechTransfer.objects.get(partnership=world.acme_contoso)


@pytest.fixture
def contoso_meeting(world) -> Meeting:
    """A meeting Contoso scheduled for its own people (so Contoso may make it internal)."""
    return meeting_create(
        actor=world.bob, partnership=world.acme_contoso, title=MEETING,
        kind="operations_review", attendees=[world.bob],
        starts_at=datetime.datetime(2027, 5, 3, 9, 0, tzinfo=datetime.UTC))


def acme_action_on(world, meeting: Meeting) -> ActionItem:
    """Acme's own internal action, naming Contoso's meeting: Contoso never sees it."""
    return action_item_create(
        actor=world.alice, partnership=world.acme_contoso, title=EXIT_PLAN, owner=world.alice,
        due_date=datetime.date(2027, 6, 1), meeting=meeting, is_internal=True)


def assert_acme_lost_the_link_to_the_meeting(world, login, action: ActionItem) -> None:
    """Acme's action no longer names a meeting Acme cannot open; Acme's people are told,
    without the hidden meeting's title, and Contoso's people are told nothing."""
    action.refresh_from_db()
    assert action.meeting_id is None
    assert api(world.alice).get(f"/api/v1/action-items/{action.pk}/").json()["meeting"] is None
    assert MEETING not in login(world.alice).get(action.get_absolute_url()).content.decode()
    [notice] = told(world.alice)
    assert EXIT_PLAN in notice.title and MEETING not in notice.title + notice.body
    assert notice.url == action.get_absolute_url() and notice.actor is None
    assert told(world.bob) == []


def test_hiding_a_meeting_answers_as_if_the_other_partys_internal_action_were_not_there(
        world, login, contoso_meeting):
    """Attack A: Acme's internal action names Contoso's meeting. Contoso hides the meeting
    and reads the same 200 and body as without it; the invisible link is cut."""
    url = f"/api/v1/meetings/{contoso_meeting.pk}/"

    def hide():
        return answer(api(world.bob).patch(url, {"is_internal": True}, format="json"))

    expected = as_it_would_answer(hide)
    assert expected[0] == 200, expected
    action = acme_action_on(world, contoso_meeting)
    assert hide() == expected
    assert Meeting.objects.get(pk=contoso_meeting.pk).is_internal
    assert_acme_lost_the_link_to_the_meeting(world, login, action)


def test_hiding_a_meeting_through_its_page_answers_the_same(world, login, contoso_meeting):
    edit = reverse("governance:meeting_edit", args=[world.acme_contoso.pk, contoso_meeting.pk])
    client = login(world.bob)

    def hide():
        return answer(client.post(edit, {
            "title": MEETING, "kind": "operations_review", "starts_at": "2027-05-03T09:00",
            "duration_minutes": 60, "attendees": [world.bob.pk], "is_internal": "on"}))

    expected = as_it_would_answer(hide)
    assert expected[0] == 302, expected
    action = acme_action_on(world, contoso_meeting)
    assert hide() == expected
    assert Meeting.objects.get(pk=contoso_meeting.pk).is_internal
    assert_acme_lost_the_link_to_the_meeting(world, login, action)


@pytest.fixture
def contoso_deliverable(world) -> Deliverable:
    """A deliverable Contoso planned under the shared SOW."""
    return deliverable_create(
        actor=world.bob, partnership=world.acme_contoso, title="Stability report",
        sow=Contract.objects.get(partnership=world.acme_contoso, kind="sow"),
        due_date=datetime.date(2027, 6, 1))


def contoso_sow(world) -> Contract:
    return contract_create(
        actor=world.bob, partnership=world.acme_contoso, kind="sow", reference="SOW-CONTOSO",
        title="Contoso's own SOW", is_internal=True,
        parent=Contract.objects.get(partnership=world.acme_contoso, kind="msa"))


@pytest.mark.parametrize("change", ["hide", "move"])
def test_hiding_a_deliverable_answers_as_if_acmes_hidden_milestone_did_not_need_it(
        world, transfer, contoso_deliverable, change):
    """Attack A: Acme's program is internal, and its milestone depends on Contoso's
    deliverable. Contoso hides the deliverable (or moves it under its own internal SOW):
    the same answer as without the milestone's link, which is cut."""
    body = {"is_internal": True} if change == "hide" else {"sow": contoso_sow(world).pk}
    url = f"/api/v1/deliverables/{contoso_deliverable.pk}/"

    def change_it():
        return answer(api(world.bob).patch(url, body, format="json"))

    program_update(actor=world.alice, program=transfer.program, is_internal=True)
    milestone = Milestone.objects.get(tech_transfer=transfer)
    milestone_update(actor=world.alice, milestone=milestone,
                     sponsor_owner=world.alice)
    expected = as_it_would_answer(change_it)
    assert expected[0] == 200, expected
    milestone_update(actor=world.alice, milestone=milestone,
                     deliverables=[contoso_deliverable])

    assert change_it() == expected
    assert not milestone.deliverables.exists()
    assert contoso_deliverable.pk not in api(world.alice).get(
        f"/api/v1/milestones/{milestone.pk}/").json()["deliverables"]
    [notice] = told(world.alice)
    assert "Stability report" not in notice.title + notice.body
    assert notice.url == milestone.get_absolute_url()  # its place on the transfer page
    assert told(world.bob) == []


def test_hiding_a_program_answers_as_if_the_other_partys_internal_risk_were_not_there(
        world, transfer):
    """Attack A the other way round: Contoso's internal risk threatens a milestone of
    Acme's program. Acme hides the program: the same answer as without the risk, whose
    link to the milestone is cut and whose owner is told."""
    program = transfer.program
    url = f"/api/v1/programs/{program.pk}/"

    def hide():
        return answer(api(world.alice).patch(url, {"is_internal": True}, format="json"))

    expected = as_it_would_answer(hide)
    assert expected[0] == 200, expected
    risk = risk_create(
        actor=world.bob, partnership=world.acme_contoso, title="Acme may pull the transfer",
        category="strategic", likelihood=3, impact=4, owner=world.bob, is_internal=True,
        milestones=[Milestone.objects.get(tech_transfer=transfer)])

    assert hide() == expected
    assert Program.objects.get(pk=program.pk).is_internal
    assert not risk.milestones.exists()
    assert api(world.bob).get(f"/api/v1/risks/{risk.pk}/").json()["milestones"] == []
    [notice] = told(world.bob)
    assert "Acme may pull the transfer" in notice.title
    assert transfer.title not in notice.title + notice.body
    assert told(world.alice) == []


def test_links_the_actor_sees_still_stop_the_change(world, contoso_meeting):
    """Acme's shared decision of Contoso's meeting is no one's secret: still refused."""
    decision_create(actor=world.alice, partnership=world.acme_contoso,
                    title="Go", rationale="Because", meeting=contoso_meeting,
                    decided_on=datetime.date(2027, 5, 3), decided_by=[world.alice])
    acme_action_on(world, contoso_meeting)
    with pytest.raises(ValidationError) as error:
        meeting_update(actor=world.bob, meeting=contoso_meeting, is_internal=True)
    assert error.value.message_dict["is_internal"] == [
        "It cannot be made internal while decisions that the other party sees refer to it."]
    assert ActionItem.objects.get(title=EXIT_PLAN).meeting_id == contoso_meeting.pk
    assert told(world.alice) == []


# --- B: the other party's records beneath a parent --------------------------------------

def acme_sow(world) -> Contract:
    return contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="sow", reference="SOW-11",
        title="Acme's SOW", parent=Contract.objects.get(partnership=world.acme_contoso,
                                                        kind="msa"))


def acme_deliverable(world, sow=None) -> Deliverable:
    return deliverable_create(
        actor=world.alice, partnership=world.acme_contoso, title="Reference standard",
        sow=sow or acme_sow(world), due_date=datetime.date(2027, 6, 1),
        responsible_party="sponsor")


def hide(actor, record):
    """The service that hides `record`, for `actor`."""
    if isinstance(record, Contract):
        return contract_update(actor=actor, contract=record, is_internal=True)
    if isinstance(record, Program):
        return program_update(actor=actor, program=record, is_internal=True)
    if isinstance(record, Deliverable):
        return deliverable_update(actor=actor, deliverable=record, is_internal=True)
    return objective_update(actor=actor, objective=record, is_internal=True)


def contoso_deliverable_under(world, internal):
    sow = acme_sow(world)
    return sow, deliverable_create(
        actor=world.bob, partnership=world.acme_contoso, title="Batch record copy", sow=sow,
        due_date=datetime.date(2027, 6, 1), is_internal=internal)


def contoso_round_of(world):
    sow = acme_sow(world)
    contract_transition(actor=world.alice, contract=sow, status="negotiation")
    return sow, negotiation_round_add(actor=world.bob, contract=sow,
                                      sent_on=datetime.date(2026, 11, 2),
                                      summary="Our redlines")


def contoso_document_of(world):
    sow = acme_sow(world)
    return sow, contract_document_upload(
        actor=world.bob, contract=sow,
        file=SimpleUploadedFile("redlines.pdf", b"%PDF-1.4\n"))


def contoso_transfer_of(world):
    return world.acme_program, tech_transfer_create(
        actor=world.bob, partnership=world.acme_contoso, program=world.acme_program,
        site=world.contoso.sites.first(), title="Contoso's scale-up")


def milestone_contoso_owns(world):
    Request.objects.get(partnership=world.acme_contoso).milestones.clear()
    Risk.objects.get(partnership=world.acme_contoso).milestones.clear()
    milestone = Milestone.objects.get(partnership=world.acme_contoso)
    milestone_update(actor=world.bob, milestone=milestone, cdmo_owner=world.bob,
                     planned_date=datetime.date(2027, 3, 1))
    return milestone.tech_transfer.program, milestone


def contoso_criterion_of(world):
    deliverable = acme_deliverable(world)
    return deliverable, acceptance_criterion_add(actor=world.bob,
                                                 deliverable=deliverable,
                                                 text="Usable for our method")


def contoso_review_of(world):
    deliverable = acme_deliverable(world)
    return deliverable, DeliverableReview.objects.create(
        partnership=world.acme_contoso, deliverable=deliverable, decision="rejected",
        comment="Not usable", reviewed_by=world.bob)


def contoso_objective_review(world):
    objective = Objective.objects.get(partnership=world.acme_contoso)
    return objective, objective_review(
        actor=world.bob, objective=objective, status="at_risk", note="Capacity is short",
        next_review_date=datetime.date(2027, 3, 1))


@pytest.mark.parametrize("build, reason", [
    (lambda world: contoso_deliverable_under(world, internal=False),
     "the other party's deliverables sit beneath it"),
    (contoso_round_of, "the other party's negotiation rounds sit beneath it"),
    (contoso_document_of, "the other party's contract documents sit beneath it"),
    (contoso_transfer_of, "the other party's tech transfers sit beneath it"),
    (milestone_contoso_owns, "the other party's milestones sit beneath it"),
    (contoso_criterion_of, "the other party's acceptance criteria sit beneath it"),
    (contoso_review_of, "the other party's deliverable reviews sit beneath it"),
    (contoso_objective_review, "the other party's objective reviews sit beneath it"),
], ids=["deliverable", "round", "document", "transfer", "milestone", "criterion", "review",
        "objective-review"])
def test_a_parent_is_not_hidden_from_under_the_other_partys_records(world, build, reason):
    """Attack B: hiding the parent would hide Contoso's records from Contoso."""
    parent, child = build(world)
    with pytest.raises(ValidationError) as error:
        hide(world.alice, type(parent).objects.get(pk=parent.pk))
    assert error.value.message_dict["is_internal"] == [f"It cannot be made internal while "
                                                       f"{reason}."]
    assert not type(parent).objects.get(pk=parent.pk).is_internal
    assert type(child).objects.visible_to(world.bob).filter(pk=child.pk).exists()


def test_through_the_api_the_sow_stays_shared_under_the_other_partys_deliverable(world):
    sow, deliverable = contoso_deliverable_under(world, internal=False)
    response = api(world.alice).patch(f"/api/v1/contracts/{sow.pk}/", {"is_internal": True},
                                      format="json")
    assert response.status_code == 400
    assert response.json() == {"is_internal": [
        "It cannot be made internal while the other party's deliverables sit beneath it."]}
    assert api(world.bob).get(f"/api/v1/deliverables/{deliverable.pk}/").status_code == 200


def test_the_other_partys_internal_records_beneath_are_not_named(world):
    """Contoso's internal deliverable under Acme's SOW: refused all the same (Contoso would
    lose it), in words that name nothing Acme cannot see — the one bit that remains."""
    sow, deliverable = contoso_deliverable_under(world, internal=True)
    with pytest.raises(ValidationError) as error:
        hide(world.alice, sow)
    assert error.value.message_dict["is_internal"] == [f"It cannot be made internal while "
                                                       f"{GENERIC}."]
    assert Deliverable.objects.visible_to(world.bob).filter(pk=deliverable.pk).exists()


def test_a_record_is_not_moved_under_an_internal_parent_from_under_the_other_partys(world):
    """Moving Acme's deliverable under Acme's internal SOW hides Contoso's criterion."""
    deliverable, criterion = contoso_criterion_of(world)
    hidden = contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="sow", reference="SOW-ACME",
        title="Acme's own SOW", is_internal=True,
        parent=Contract.objects.get(partnership=world.acme_contoso, kind="msa"))
    with pytest.raises(ValidationError) as error:
        deliverable_update(actor=world.alice, deliverable=deliverable, sow=hidden)
    assert error.value.message_dict["sow"] == [
        "It cannot be moved there while the other party's acceptance criteria sit beneath it."]
    assert Deliverable.objects.get(pk=deliverable.pk).sow_id != hidden.pk


def test_the_partys_own_records_beneath_do_not_stop_it(world):
    """Acme's SOW with Acme's deliverable, round and document beneath hides as before."""
    sow = acme_sow(world)
    acme_deliverable(world, sow=sow)
    contract_transition(actor=world.alice, contract=sow, status="negotiation")
    negotiation_round_add(actor=world.alice, contract=sow, summary="Draft",
                          sent_on=datetime.date(2026, 11, 2))
    contract_document_upload(actor=world.alice, contract=sow,
                             file=SimpleUploadedFile("draft.pdf", b"%PDF-1.4\n"))
    assert hide(world.alice, Contract.objects.get(pk=sow.pk)).is_internal


# --- What keeps the rule whole as kinds are added -----------------------------------------

def test_every_kind_beneath_a_parent_says_who_made_its_rows():
    """A new kind that inherits a flag (INTERNAL_VIA) declares MADE_BY, even empty: which
    of its rows are the other party's, that hiding the parent would take from them."""
    from django.apps import apps

    silent = [model.__name__ for model in apps.get_models()
              if getattr(model, "INTERNAL_VIA", ()) and not hasattr(model, "MADE_BY")]
    assert silent == []


def test_every_link_to_what_may_be_hidden_can_be_cut():
    """The links shared_record_update cuts rather than let the other party's hidden records
    decide: each is a many-to-many link or a foreign key that may be empty."""
    from django.apps import apps

    stuck = [f"{model.__name__}.{field.name}" for model in apps.get_models()
             if can_be_internal(model)
             for field in links_from(model) if not (field.many_to_many or field.null)]
    assert stuck == []
