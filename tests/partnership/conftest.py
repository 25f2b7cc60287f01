"""Fixtures of the partnership app's tests that more than one module uses."""

import datetime

import pytest

from partnership.contracts import services as contracts
from partnership.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def contoso_lead(world):
    """A lead of Contoso in Acme–Contoso: who signs contracts for the CDMO."""
    lead = UserFactory(email="cleo@contoso.test", first_name="Cleo", last_name="Contososon",
                       organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=lead, role=Membership.Role.LEAD)
    return lead


@pytest.fixture
def contract(world):
    contract = contracts.contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="msa", reference="MSA-S",
        title="Signed agreement", effective_date=datetime.date(2026, 5, 1))
    return contracts.contract_transition(actor=world.alice, contract=contract,
                                         status="negotiation")
