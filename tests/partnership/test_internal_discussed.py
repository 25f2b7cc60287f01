"""A record the other party has commented on (or attached files to) stays shared: making it
internal would hide that party's own words and files from it, with the record's discussion
(partnership.records.shared_record_update, whichever door the change comes through). The
refusal is a field error on `is_internal` in the form and the API; a record only its own
party discussed is still made internal.

Alice (Acme, the sponsor) writes the records; Bob (Contoso, the CDMO) comments on them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.actions.services import action_item_create
from governance.models import ActionItem, Risk
from governance.risks.services import risk_create
from partnership.contracts.services import contract_create, contract_update
from partnership.deliverables.services import deliverable_create
from partnership.discussion.services import comment_post
from partnership.models import Contract
from tests.factories import PDF
from tests.partnership.test_api import api

AHEAD = timezone.localdate() + datetime.timedelta(days=20)
REFUSAL = "The other party has commented on this {kind} (or attached files to it); it " \
          "cannot become internal."


@pytest.fixture
def world(saved_world):
    return saved_world


def new_risk(world) -> Risk:
    return risk_create(actor=world.alice, partnership=world.acme_contoso, title="Single source",
                       category="supply", likelihood=3, impact=4, owner=world.alice,
                       review_date=AHEAD)


def new_action(world) -> ActionItem:
    return action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Send the forecast", owner=world.alice, due_date=AHEAD)


#: (kind's words, record maker, API resource, edit page)
KINDS = [("risk", new_risk, "risks", "governance:risk_edit"),
         ("action item", new_action, "action-items", "governance:actionitem_edit")]


def edit_data(world, prefix: str, record) -> dict:
    """The record's edit form as its page fills it (from the record as Alice reads it)."""
    data = api(world.alice).get(f"/api/v1/{prefix}/{record.pk}/").json()
    return {key: value for key, value in data.items()
            if value not in (None, False, "") and not isinstance(value, dict)}


@pytest.mark.parametrize(("kind", "make", "prefix", "edit"), KINDS, ids=[k[0] for k in KINDS])
def test_a_record_the_other_party_commented_on_stays_shared(world, login, kind, make, prefix,
                                                             edit):
    record = make(world)
    comment_post(actor=world.bob, record=record, body="We can take the second supplier.")
    answer = api(world.alice).patch(f"/api/v1/{prefix}/{record.pk}/", {"is_internal": True},
                                    format="json")
    assert answer.status_code == 400
    assert answer.json() == {"is_internal": [REFUSAL.format(kind=kind)]}
    page = login(world.alice)
    url = reverse(edit, args=[world.acme_contoso.pk, record.pk])
    answer = page.post(url, {**edit_data(world, prefix, record), "is_internal": "on"})
    assert answer.status_code == 200
    assert answer.context["form"].errors["is_internal"] == [REFUSAL.format(kind=kind)]
    record.refresh_from_db()
    assert not record.is_internal
    # Any other change of the record goes through.
    answer = page.post(url, {**edit_data(world, prefix, record), "title": "Renamed"})
    assert answer.status_code == 302
    record.refresh_from_db()
    assert record.title == "Renamed" and not record.is_internal


@pytest.mark.parametrize(("kind", "make", "prefix", "edit"), KINDS, ids=[k[0] for k in KINDS])
def test_a_file_alone_keeps_it_shared_and_own_comments_do_not(world, kind, make, prefix, edit):
    own = make(world)
    comment_post(actor=world.alice, record=own, body="A note for ourselves.")
    answer = api(world.alice).patch(f"/api/v1/{prefix}/{own.pk}/", {"is_internal": True},
                                    format="json")
    assert answer.status_code == 200 and answer.json()["is_internal"] is True
    filed = make(world)
    comment_post(actor=world.bob, record=filed,
                 file=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"))
    answer = api(world.alice).patch(f"/api/v1/{prefix}/{filed.pk}/", {"is_internal": True},
                                    format="json")
    assert answer.status_code == 400 and "is_internal" in answer.json()


def test_the_other_partys_internal_comment_counts_too(world):
    """Bob's note to his own party is hidden from Alice, yet hiding the record would hide it
    from Bob: refused as well, saying no more than for any comment."""
    risk = new_risk(world)
    comment_post(actor=world.bob, record=risk, body="Contoso only", is_internal=True)
    answer = api(world.alice).patch(f"/api/v1/risks/{risk.pk}/", {"is_internal": True},
                                    format="json")
    assert answer.json() == {"is_internal": [REFUSAL.format(kind="risk")]}


def test_a_parent_whose_child_the_other_party_discussed_stays_shared(world):
    """A SOW hides its deliverables with it: Bob's comment on one keeps the SOW shared."""
    p = world.acme_contoso
    sow = contract_create(actor=world.alice, partnership=p, kind=Contract.Kind.SOW,
                          reference="SOW-DISCUSSED-1", title="Stability programme",
                          parent=Contract.objects.filter(partnership=p, kind=Contract.Kind.MSA,
                                                         is_internal=False).first())
    deliverable = deliverable_create(actor=world.alice, partnership=p, sow=sow,
                                     title="Stability report", due_date=AHEAD,
                                     responsible_party="sponsor")
    comment_post(actor=world.bob, record=deliverable, body="Which pull points?")
    with pytest.raises(ValidationError) as refused:
        contract_update(actor=world.alice, contract=sow, is_internal=True)
    assert refused.value.message_dict == {"is_internal": [
        "The other party has commented on a record beneath this contract (or attached files "
        "to it); it cannot become internal."]}
    sow.refresh_from_db()
    assert not sow.is_internal
