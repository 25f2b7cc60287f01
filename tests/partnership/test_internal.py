"""Making a record internal (DESIGN §2): only its author's party may, nothing shared may go on
pointing at it, and its notifications leave the other party's bell."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.meetings.services import (
    decision_create,
    decision_update,
    meeting_create,
    meeting_update,
)
from governance.models import ActionItem, Decision, Meeting, Request, Risk
from governance.risks.services import risk_create, risk_update
from partnership.contracts.services import program_update
from partnership.models import Milestone, TechTransfer
from partnership.notifications.models import Notification


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def _meeting(world, title="Exit planning"):
    return meeting_create(
        actor=world.alice, partnership=world.acme_contoso, title=title,
        kind="operations_review", attendees=[world.alice],
        starts_at=datetime.datetime(2027, 5, 3, 9, 0, tzinfo=datetime.UTC))


def test_only_the_author_party_may_hide_a_record(world):
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as error:
        meeting_update(actor=world.bob, meeting=meeting, is_internal=True)
    assert "Only the party that wrote it" in str(error.value)
    meeting.refresh_from_db()
    assert not meeting.is_internal


def test_a_record_with_shared_records_pointing_at_it_stays_shared(world):
    meeting = _meeting(world)
    decision_create(actor=world.alice, partnership=world.acme_contoso,
                    title="Go", rationale="Because", meeting=meeting,
                    decided_on=datetime.date(2027, 5, 3), decided_by=[world.alice])
    with pytest.raises(ValidationError) as error:
        meeting_update(actor=world.alice, meeting=meeting, is_internal=True)
    assert "while decisions that the other party sees refer to it" in str(error.value)
    meeting.refresh_from_db()
    assert not meeting.is_internal


def test_an_internal_record_of_the_other_party_pointing_at_it_is_cut_loose(world):
    """Bob's own internal action names Alice's meeting. Alice cannot see it, so it neither
    stops her hiding the meeting nor shows in her answer: its link is cut (tests of every
    door in test_internal_other_party.py). Acme's own internal action keeps its link."""
    meeting = _meeting(world)
    contoso = ActionItem.objects.create(
        partnership=world.acme_contoso, title="Contoso prep", author_organization=world.contoso,
        is_internal=True, owner=world.bob, due_date=datetime.date(2027, 5, 1), meeting=meeting)
    acme = ActionItem.objects.create(
        partnership=world.acme_contoso, title="Acme prep", author_organization=world.acme,
        is_internal=True, owner=world.alice, due_date=datetime.date(2027, 5, 1),
        meeting=meeting)
    meeting_update(actor=world.alice, meeting=meeting, is_internal=True)
    assert Meeting.objects.get(pk=meeting.pk).is_internal
    assert ActionItem.objects.get(pk=contoso.pk).meeting_id is None
    assert ActionItem.objects.get(pk=acme.pk).meeting_id == meeting.pk


def test_what_points_at_the_children_of_a_record_counts_too(world):
    """A shared request waits on a milestone of the transfer: hiding the transfer's program
    hides the milestone, so the program stays shared while the request points there."""
    program = TechTransfer.objects.filter(partnership=world.acme_contoso).get().program
    assert Request.objects.filter(milestones__tech_transfer__program=program).exists()
    with pytest.raises(ValidationError) as error:
        program_update(actor=world.alice, program=program, is_internal=True)
    assert "requests and risks" in str(error.value)


def test_hiding_takes_its_notifications_back_from_the_other_party(world):
    risk = risk_create(
        actor=world.alice, partnership=world.acme_contoso, title="Exit Contoso",
        category="strategic", likelihood=2, impact=4, owner=world.bob)
    risk_update(actor=world.alice, risk=risk, owner=world.alice)
    told = Notification.objects.filter(record_id=risk.pk, record_type__model="risk")
    assert told.filter(recipient=world.bob).exists()
    risk = Risk.objects.get(pk=risk.pk)
    risk_update(actor=world.alice, risk=risk, is_internal=True)
    assert not told.filter(recipient=world.bob).exists()
    assert not Notification.objects.filter(title__contains="Exit Contoso",
                                           recipient=world.bob).exists()


def test_children_of_an_internal_program_are_internal_at_every_depth(world):
    """visible_to follows INTERNAL_VIA to the grandparent: milestone → transfer → program."""
    transfer = TechTransfer.objects.filter(partnership=world.acme_contoso).get()
    Request.objects.filter(partnership=world.acme_contoso).get().milestones.clear()
    Risk.objects.filter(partnership=world.acme_contoso).get().milestones.clear()
    program_update(actor=world.alice, program=transfer.program, is_internal=True)
    assert not Milestone.objects.visible_to(world.bob).filter(tech_transfer=transfer).exists()
    assert Milestone.objects.visible_to(world.alice).filter(tech_transfer=transfer).exists()


def test_an_internal_decision_keeps_none_of_the_other_partys_deciders(world):
    decision = decision_create(
        actor=world.alice, partnership=world.acme_contoso, title="Dual source",
        rationale="Risk", decided_on=datetime.date(2027, 5, 3), decided_by=[world.alice,
                                                               world.bob])
    with pytest.raises(ValidationError) as error:
        decision_update(actor=world.alice, decision=decision, is_internal=True,
                        reason="Our own assessment")
    assert "people of your own organization only" in str(error.value)
    assert not Decision.objects.get(pk=decision.pk).is_internal


def test_hiding_through_the_edit_page_goes_through_the_same_rule(world, login):
    """The edit form writes into its instance before the service runs: the service must
    compare with the stored row, or the page would hide a record without the checks."""
    risk = risk_create(
        actor=world.alice, partnership=world.acme_contoso, title="Exit Contoso",
        category="strategic", likelihood=2, impact=4, owner=world.bob)
    assert Notification.objects.filter(record_id=risk.pk, recipient=world.bob).exists()
    url = reverse("governance:risk_edit", args=[world.acme_contoso.pk, risk.pk])
    response = login(world.alice).post(url, {
        "title": "Exit Contoso", "category": "strategic", "likelihood": 2, "impact": 4,
        "owner": world.alice.pk, "is_internal": "on"})
    assert response.status_code in (200, 302)
    risk.refresh_from_db()
    assert risk.is_internal
    assert not Notification.objects.filter(record_id=risk.pk, recipient=world.bob).exists()


def test_a_shared_record_refers_only_to_shared_ones(world):
    """Whatever the kind: a shared SOW under Acme's internal MSA would print the MSA's
    reference on the CDMO's contract page, a shared decision of an internal meeting its
    title. An internal record may name them; the milestone's deliverables likewise."""
    from partnership.contracts.services import contract_create
    from partnership.models import Contract, Deliverable
    from partnership.techtransfer.services import milestone_update

    msa = contract_create(actor=world.alice, partnership=world.acme_contoso, kind="msa",
                          reference="MSA-SECRET", title="Secret MSA", is_internal=True)
    with pytest.raises(ValidationError) as error:
        contract_create(actor=world.alice, partnership=world.acme_contoso, kind="sow",
                        reference="SOW-1", title="Shared SOW", parent=msa)
    assert "Only a record marked internal" in str(error.value.message_dict["parent"])
    contract_create(actor=world.alice, partnership=world.acme_contoso, kind="sow",
                    reference="SOW-2", title="Internal SOW", parent=msa, is_internal=True)
    assert not Contract.objects.filter(reference="SOW-1").exists()

    meeting = _meeting(world, title="Acme only")
    meeting_update(actor=world.alice, meeting=meeting, is_internal=True)
    with pytest.raises(ValidationError):
        decision_create(actor=world.alice, partnership=world.acme_contoso,
                        title="Go", rationale="Because", meeting=meeting,
                        decided_on=datetime.date(2027, 5, 3),
                        decided_by=[world.alice])

    milestone = Milestone.objects.filter(partnership=world.acme_contoso).first()
    hidden = Deliverable.objects.filter(partnership=world.acme_contoso).first()
    Deliverable.objects.filter(pk=hidden.pk).update(is_internal=True)
    with pytest.raises(ValidationError) as error:
        milestone_update(actor=world.alice, milestone=milestone,
                         deliverables=[Deliverable.objects.get(pk=hidden.pk)])
    assert "deliverables" in error.value.message_dict
