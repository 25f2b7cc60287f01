"""What the other party reads of a History: only what happened since the record was shared
with it (never what it said while internal, nor its parts' changes then), in the page, the
API and the auditor's export; and the export keeps a person's account history to those the
people API shows it to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.contracts import services as contracts
from partnership.models import Membership, User
from tests.factories import ContractFactory, NegotiationRoundFactory
from tests.partnership.test_api import api


def history(client, record):
    return client.get(reverse("partnership:record_history", args=[
        record.partnership_id, record._meta.model_name, record.pk])).content.decode()


@pytest.fixture
def exporter(world):
    """Bob as a lead of Acme–Contoso: the CDMO's leads export the trail."""
    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).update(
        role=Membership.Role.LEAD)
    return world.bob


def export(client, partnership) -> str:
    today = timezone.localdate()
    return client.get(reverse("partnership:audit_export", args=[partnership.pk]), {
        # Days either side: the period is whole days in the reader's zone, not the server's.
        "start": today - datetime.timedelta(days=2), "end": today + datetime.timedelta(days=1),
        "format": "csv",
    }).content.decode()


def test_a_record_shared_later_shows_nothing_of_its_internal_days(world, login, exporter):
    contract = ContractFactory(partnership=world.acme_contoso, is_internal=True,
                               title="SECRET walk-away terms", author_organization=world.acme)
    NegotiationRoundFactory(contract=contract, number=1, summary="SECRET fallback price")
    contract = contracts.contract_update(actor=world.alice, contract=contract,
                                         title="Supply agreement")
    contract = contracts.contract_update(actor=world.alice, contract=contract,
                                         is_internal=False)
    contracts.contract_update(actor=world.alice, contract=contract, title="Supply agreement 2")
    # The author's party reads it all.
    assert "SECRET walk-away terms" in history(login(world.alice), contract)
    assert "SECRET fallback price" in history(login(world.alice), contract)
    assert "SECRET" in export(login(world.alice), world.acme_contoso)
    # The other party reads it from the moment it was shared: no earlier title, no round.
    page = history(login(exporter), contract)
    assert "Supply agreement 2" in page and "SECRET" not in page
    body = api(exporter).get(f"/api/v1/contracts/{contract.pk}/history/").content.decode()
    assert "Supply agreement 2" in body and "SECRET" not in body
    text = export(login(exporter), world.acme_contoso)
    assert "Supply agreement 2" in text and "SECRET" not in text


def test_the_export_keeps_a_persons_account_history_to_those_who_may_read_it(
        world, login, exporter):
    User.objects.filter(pk=world.alice.pk).update(is_org_admin=True)  # Acme's admin
    colleague = User.objects.get(pk=world.vera.pk)  # Acme's viewer, seated in Acme–Contoso
    colleague.first_name = "Veronica"
    colleague.is_org_admin = True
    colleague.save()
    admin = User.objects.get(pk=world.alice.pk)
    assert world.vera.email in export(login(admin), world.acme_contoso)
    # Bob shares the partnership with Vera: he sees her, not her account's history.
    assert api(exporter).get(f"/api/v1/people/{colleague.pk}/history/").status_code == 404
    assert world.vera.email not in export(login(exporter), world.acme_contoso)
