"""A record's History holds its parts: a contract's rounds, documents and signatures, a
program's sites, the partnership's agreed settings — interleaved by time, each named, in
bounded queries, readable exactly when the record is (never an internal contract's rounds
to the other party), in the page, the API and the auditor's export alike. What it shows:
no empty row, no machinery, a back-dating, and rows that were there before the trail."""

import csv
import datetime
import io

import pgtrigger
import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from governance.models import Meeting
from partnership.history.baseline import record_baseline
from partnership.history.context import recording
from partnership.history.sources import is_part, sources
from partnership.models import (
    Contract,
    NegotiationRound,
    Partnership,
    Priority,
    Program,
    ProgramEvent,
    Site,
)
from tests.factories import (
    ContractDocumentFactory,
    ContractFactory,
    NegotiationRoundFactory,
    signed,
)
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def _history(client, record, partnership=None):
    partnership = partnership or (record if isinstance(record, Partnership)
                                  else record.partnership)
    return client.get(reverse("partnership:record_history", args=[
        partnership.pk, record._meta.model_name, record.pk]))


@pytest.fixture
def contract(world):
    return Contract.objects.filter(partnership=world.acme_contoso,
                                   is_internal=False).order_by("pk").first()


def test_every_part_shows_in_a_record_with_a_page():
    """Each part and link declared leads to a record that has a History page."""
    from partnership.history.selectors import history_models
    from portal.registries.audited import audited_models

    shown = {source.model for model in history_models().values()
             for source in sources(model)}
    for entry in audited_models():
        model = apps.get_model(entry.label)
        if is_part(model):
            assert model in shown, f"{entry.label}'s events show in no History"


def test_a_contracts_history_shows_its_rounds_documents_and_signatures(world, login,
                                                                        contract):
    with recording(door="page", reason=""):
        NegotiationRound.objects.filter(contract=contract).update(
            answered_on=datetime.date(2026, 1, 9))
    signed(contract, "executed", signer=world.alice)
    signed(contract, "executed", signer=world.bob)
    for person in (world.alice, world.bob, world.vera):
        text = _history(login(person), contract).content.decode()
        assert "Negotiation round 1" in text and "Answered on" in text
        assert "9 Jan 2026" in text
        assert "Contract document draft.pdf" in text
        for signer in (world.alice, world.bob):
            assert f"Signature of {signer.get_full_name()}: Contract executed (Approved: " \
                   "I execute this contract on behalf of my organization)" in text
    entries = api(world.bob).get(f"/api/v1/contracts/{contract.pk}/history/").json()
    parts = [entry["part"] for entry in entries["results"]]
    assert parts[:2] == [f"Signature of {world.bob.get_full_name()}: Contract executed "
                         "(Approved: I execute this contract on behalf of my organization)",
                         f"Signature of {world.alice.get_full_name()}: Contract executed "
                         "(Approved: I execute this contract on behalf of my organization)"]
    assert "Negotiation round 1" in parts and "" in parts  # the contract's own events too
    # a part's own API route has no history of its own: its parent's has it
    round_ = NegotiationRound.objects.filter(contract=contract).first()
    assert api(world.bob).get(
        f"/api/v1/negotiationrounds/{round_.pk}/history/").status_code == 404


def test_an_internal_contracts_rounds_never_reach_the_other_party(world, login):
    secret = ContractFactory(partnership=world.acme_contoso, is_internal=True,
                             title="Acme walk-away terms")
    NegotiationRoundFactory(contract=secret, number=1, summary="Our fallback price")
    ContractDocumentFactory(contract=secret, name="fallback.pdf")
    assert "Our fallback price" in _history(login(world.alice), secret).content.decode()
    assert _history(login(world.bob), secret).status_code == 404
    assert api(world.bob).get(f"/api/v1/contracts/{secret.pk}/history/").status_code == 404
    today = timezone.localdate()
    # Days either side: the period is whole days in the reader's zone, not the server's.
    period = {"start": today - datetime.timedelta(days=2),
              "end": today + datetime.timedelta(days=1), "format": "csv"}
    url = reverse("partnership:audit_export", args=[world.acme_contoso.pk])
    from partnership.models import Membership

    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).update(
        role="lead")
    for person, sees in ((world.alice, True), (world.bob, False)):
        text = login(person).get(url, period).content.decode()
        assert ("Our fallback price" in text) is sees
        assert ("fallback.pdf" in text) is sees
        assert ("Acme walk-away terms" in text) is sees
    rows = list(csv.DictReader(io.StringIO(login(world.alice).get(url, period)
                                           .content.decode())))
    round_rows = [row for row in rows if row["part"] == "Negotiation round 1"
                  and row["record"].endswith("Acme walk-away terms")]
    assert round_rows and round_rows[0]["record kind"] == "contract"


def test_a_programs_sites_show_as_added_and_removed(world, login):
    program = world.acme_program
    boston, basel = Site.objects.get(name="Contoso Boston"), Site.objects.get(name="Acme Basel")
    with recording(door="page", user=world.alice.pk):
        program.sites.set([boston])
    with recording(door="page", user=world.alice.pk):
        program.sites.set([basel])
    text = _history(login(world.bob), program).content.decode()
    assert f"Sites</strong>: removed {boston}, added {basel}" in text or \
        f"Sites</strong>: added {basel}, removed {boston}" in text
    assert f"Sites</strong>: added {boston}" in text


def test_the_partnerships_history_shows_its_priorities(world, login):
    with recording(door="page", user=world.alice.pk, reason="QBR"):
        Priority.objects.create(partnership=world.acme_contoso, rank=9, title="Launch lot")
    text = _history(login(world.bob), world.acme_contoso).content.decode()
    assert "Priority 9" in text and "Launch lot" in text
    other = world.globex_contoso
    assert _history(login(world.bob), other, world.acme_contoso).status_code == 404


def test_a_partys_history_shows_its_sites_and_domains(world, login):
    site = Site.objects.get(name="Contoso Boston")
    Site.objects.filter(pk=site.pk).update(status="closing",
                                           status_date=datetime.date(2027, 6, 30))
    text = _history(login(world.alice), world.contoso, world.acme_contoso).content.decode()
    assert "Site Contoso Boston" in text and "Closing" in text
    settings = login(world.bob).get(reverse("partnership:partnership_settings",
                                            args=[world.acme_contoso.pk])).content.decode()
    assert reverse("partnership:record_history", args=[
        world.acme_contoso.pk, "organization", world.contoso.pk]) in settings
    # only under a partnership the party is in, and one the reader sees
    assert _history(login(world.alice), world.globex, world.acme_contoso).status_code == 404
    assert _history(login(world.dave), world.contoso, world.acme_contoso).status_code == 404


def test_an_update_shows_a_back_dating_but_never_an_empty_row(world, login):
    program = world.acme_program
    Program.objects.filter(pk=program.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400))
    text = _history(login(world.alice), program).content.decode()
    assert "Created at" in text  # back-dating is what an inspector looks for
    meeting = Meeting.objects.filter(partnership=world.acme_contoso).first()
    page = _history(login(world.alice), meeting)
    before = page.context["page_obj"].paginator.count
    Meeting.objects.filter(pk=meeting.pk).update(sequence=41)  # machinery only
    page = _history(login(world.alice), meeting)
    assert page.context["page_obj"].paginator.count == before + 1  # recorded ...
    assert all(entry.changes or entry.action != "changed" for entry in page.context["entries"])
    assert "Sequence" not in page.content.decode() and "Uid" not in page.content.decode()
    inserted = _history(login(world.alice), program).context["entries"][-1]
    assert inserted.action == "created"
    assert not {"Created at", "Partnership", "Author organization"} & {
        change.field for change in inserted.changes}


class _Editor:
    connection = connection


def test_rows_from_before_the_trail_get_a_starting_snapshot(world, login):
    with pgtrigger.ignore("partnership.Program:insert_insert"):
        old = Program.objects.create(partnership=world.acme_contoso,
                                     author_organization=world.acme, code="OLD-1",
                                     name="Before the trail", modality="biologic",
                                     phase="phase_2")
    assert not ProgramEvent.objects.filter(pgh_obj_id=old.pk).exists()
    record_baseline(apps, _Editor(), "partnership")
    record_baseline(apps, _Editor(), "partnership")  # safe to run again
    assert list(ProgramEvent.objects.filter(pgh_obj_id=old.pk).values_list(
        "pgh_label", flat=True)) == ["snapshot"]
    Program.objects.filter(pk=old.pk).update(name="Renamed after")
    entries = _history(login(world.alice), old).context["entries"]
    assert [entry.action for entry in entries] == ["changed", "recorded as it stood"]
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [
        ("Name", "Before the trail", "Renamed after")]
    assert any(change.new == "Before the trail" for change in entries[1].changes)


def test_a_history_with_many_parts_reads_in_bounded_queries(world, login, contract,
                                                            django_assert_max_num_queries):
    client = login(world.bob)
    _history(client, contract)
    with recording(door="command", reason="Bulk correction"):
        for n in range(8):
            Contract.objects.filter(pk=contract.pk).update(title=f"Title {n}")
            NegotiationRound.objects.filter(contract=contract).update(summary=f"Draft {n}")
            ContractDocumentFactory(contract=contract, name=f"v{n}.pdf")
    signed(contract, "executed", signer=world.alice)
    with django_assert_max_num_queries(18):
        page = _history(client, contract)
    text = page.content.decode()
    assert "Page 1 of 2" in text and "Signature of" in text
    with django_assert_max_num_queries(18):
        older = client.get(reverse("partnership:record_history", args=[
            contract.partnership_id, "contract", contract.pk]) + "?page=2",
            HTTP_HX_REQUEST="true")
    assert b"<html" not in older.content and b"Negotiation round 1" in older.content
    with django_assert_max_num_queries(18):
        assert api(world.bob).get(f"/api/v1/contracts/{contract.pk}/history/").status_code \
            == 200
    assert Partnership.objects.exists()


def test_values_read_as_words_not_codes(world, login, contract, django_user_model):
    """A size in bytes reads as a size, an operator who acted as one, not a number."""
    operator = django_user_model.objects.create_user(
        email="op@lockstep.test", password="x", first_name="Opal", last_name="Operator",
        is_staff=True)
    with recording(door="admin", user=operator.pk):
        ContractDocumentFactory(contract=contract, name="terms.pdf", size=1536,
                                uploaded_by=operator)
    text = _history(login(world.bob), contract).content.decode()
    # (A time's microseconds may read 1536 too: the size's line is what must not.)
    assert "1.5\xa0KB" in text and "<strong>Size</strong>: 1536" not in text
    assert "a Lockstep operator" in text and "Opal" not in text and f"#{operator.pk}" \
        not in text


def test_a_partner_does_not_read_how_an_organization_secures_its_sign_in(world, login):
    from partnership.accounts.services import organization_two_factor_set

    world.alice.is_org_admin = True
    world.alice.save(update_fields=["is_org_admin"])
    for required in (True, False):  # on and off again: else her own pages ask for it first
        with recording(door="page", user=world.alice.pk):
            organization_two_factor_set(actor=world.alice, required=required)
    own = _history(login(world.alice), world.acme, world.acme_contoso).content.decode()
    partner = _history(login(world.bob), world.acme, world.acme_contoso).content.decode()
    assert "two-factor" in own.lower()
    assert "two-factor" not in partner.lower()
