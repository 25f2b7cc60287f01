"""The audit trail as people meet it: the reason for change on pages, API and services;
the History of a record (readable exactly when the record is, in bounded queries); the API's
history action; the auditor's export in CSV and PDF, holding only what its reader may see."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Meeting
from partnership.contracts.services import contract_transition, contract_update
from partnership.history.context import recording
from partnership.models import Contract, ContractEvent, Membership, Program
from tests.factories import ContractFactory
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def executed(world):
    contract = Contract.objects.filter(partnership=world.acme_contoso,
                                       is_internal=False).order_by("pk").first()
    Contract.objects.filter(pk=contract.pk).update(
        status="executed", effective_date=datetime.date(2026, 1, 1))
    contract.refresh_from_db()
    return contract


def _history_url(record, partnership_pk=None):
    return reverse("partnership:record_history", args=[
        partnership_pk or record.partnership_id, record._meta.model_name, record.pk])


def test_an_executed_contract_changes_only_with_a_reason(world, executed):
    with pytest.raises(ValidationError) as refused:
        contract_update(actor=world.alice, contract=executed, title="Quietly changed")
    assert "reason" in refused.value.message_dict
    assert Contract.objects.get(pk=executed.pk).title != "Quietly changed"
    with pytest.raises(ValidationError, match="say why"):
        contract_transition(actor=world.alice, contract=executed, status="terminated")
    contract_update(actor=world.alice, contract=executed, title="Corrected title",
                    reason="Typo in the signed copy's title")
    event = ContractEvent.objects.filter(pgh_obj_id=executed.pk).latest("pgh_id")
    assert event.title == "Corrected title"
    assert event.pgh_context["reason"] == "Typo in the signed copy's title"


def test_a_draft_contract_changes_without_a_reason(world):
    draft = ContractFactory(partnership=world.acme_contoso, status="draft")
    contract_update(actor=world.alice, contract=draft, title="Draft retitled")
    assert Contract.objects.get(pk=draft.pk).title == "Draft retitled"


def test_the_edit_page_asks_for_the_reason_and_keeps_it(world, login, executed):
    client = login(world.alice)
    url = reverse("partnership:contract_edit", args=[world.acme_contoso.pk, executed.pk])
    page = client.get(url)
    assert "Reason for change" in page.content.decode()
    assert "both leads are asked to sign it again" in page.content.decode()
    body = {name: value for name, value in page.context["form"].initial.items()
            if value is not None}
    body.update(title="Retitled on the page", effective_date="2026-01-01")
    body.pop("is_internal", None)
    refused = client.post(url, body)
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert client.post(url, {**body, "reason": "Name agreed at the QBR"}).status_code == 302
    event = ContractEvent.objects.filter(pgh_obj_id=executed.pk).latest("pgh_id")
    assert event.title == "Retitled on the page"
    assert event.pgh_context == {"user": world.alice.pk, "door": "page",
                                 "path": url, "reason": "Name agreed at the QBR"}


def test_the_status_button_of_an_executed_contract_takes_a_reason(world, login, executed):
    client = login(world.alice)
    detail = client.get(executed.get_absolute_url()).content.decode()
    assert 'name="reason"' in detail
    url = reverse("partnership:contract_transition", args=[world.acme_contoso.pk, executed.pk])
    client.post(url, {"status": "terminated"})
    assert Contract.objects.get(pk=executed.pk).status == "executed"
    client.post(url, {"status": "terminated", "reason": "Site closed"})
    assert Contract.objects.get(pk=executed.pk).status == "terminated"
    event = ContractEvent.objects.filter(pgh_obj_id=executed.pk).latest("pgh_id")
    assert event.pgh_context["reason"] == "Site closed"


def test_the_api_takes_the_reason_in_the_body(world, login, executed):
    client = api(world.bob, token=True)  # token authentication happens in the view
    url = f"/api/v1/contracts/{executed.pk}/"
    refused = client.patch(url, {"title": "API title"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = client.patch(url, {"title": "API title", "reason": "Counter-signed copy"},
                        format="json")
    assert done.status_code == 200, done.content
    event = ContractEvent.objects.filter(pgh_obj_id=executed.pk).latest("pgh_id")
    assert event.pgh_context["user"] == world.bob.pk
    assert event.pgh_context["door"] == "api"
    world.bob.time_zone = "Asia/Tokyo"
    world.bob.save(update_fields=["time_zone"])
    # Read with a session, as the browsable API is: the reader's zone is active then.
    history = login(world.bob).get(f"/api/v1/contracts/{executed.pk}/history/",
                                   HTTP_ACCEPT="application/json").json()
    latest = history["results"][0]
    assert latest["at"].endswith(("Z", "+00:00"))  # in UTC, as documented, not in Tokyo's
    assert latest["reason"] == "Counter-signed copy" and latest["door"] == "api"
    assert {"field": "Title", "old": executed.title, "new": "API title"} in latest["changes"]
    assert latest["person"] == str(world.bob)


def test_both_parties_read_a_shared_records_history(world, login, executed):
    contract_update(actor=world.alice, contract=executed, title="Both see this",
                    reason="Shared change")
    for person in (world.alice, world.bob, world.vera):
        page = login(person).get(_history_url(executed))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Shared change" in text and "Both see this" in text


def test_only_its_party_reads_an_internal_records_history(world, login):
    secret = world.acme_internal_program
    Program.objects.filter(pk=secret.pk).update(name="Secret plan B")
    assert login(world.alice).get(_history_url(secret)).status_code == 200
    assert login(world.bob).get(_history_url(secret)).status_code == 404
    assert api(world.bob).get(f"/api/v1/programs/{secret.pk}/history/").status_code == 404
    assert api(world.alice).get(f"/api/v1/programs/{secret.pk}/history/").status_code == 200
    # nor through another partnership's URL, nor as a kind that keeps no history
    assert login(world.alice).get(_history_url(secret, world.acme_labcorp.pk)).status_code \
        == 404
    assert login(world.alice).get(reverse("partnership:record_history", args=[
        world.acme_contoso.pk, "site", 1])).status_code == 404


def test_the_history_page_reads_in_bounded_queries(world, login, executed,
                                                    django_assert_max_num_queries):
    client = login(world.bob)
    url = _history_url(executed)
    client.get(url)
    with recording(door="command", reason="Bulk correction"):
        for n in range(30):
            Contract.objects.filter(pk=executed.pk).update(title=f"Title {n}")
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert "Title 29" in page.content.decode() and "Page 1 of 2" in page.content.decode()
    with django_assert_max_num_queries(14):
        older = client.get(f"{url}?page=2", HTTP_HX_REQUEST="true")
    assert b"<html" not in older.content and b"Title 0" in older.content
    with django_assert_max_num_queries(14):
        assert api(world.bob).get(
            f"/api/v1/contracts/{executed.pk}/history/").status_code == 200


def _export(client, partnership, fmt):
    today = datetime.date.today()
    return client.get(reverse("partnership:audit_export", args=[partnership.pk]), {
        "start": (today - datetime.timedelta(days=2)).isoformat(),
        "end": (today + datetime.timedelta(days=1)).isoformat(), "format": fmt})


def test_the_export_holds_only_what_its_reader_sees(world, login, executed):
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).update(
        role="lead")
    Program.objects.filter(pk=world.acme_internal_program.pk).update(name="Acme only plan")
    contract_update(actor=world.alice, contract=executed, title="Exported title",
                    reason="Auditor asked")
    for person, sees_secret in ((world.alice, True), (world.bob, False)):
        response = _export(login(person), world.acme_contoso, "csv")
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert any(row["new value"] == "Exported title" and row["reason"] == "Auditor asked"
                   for row in rows)
        assert ("Acme only plan" in response.content.decode()) is sees_secret
        assert "Globex" not in response.content.decode()
    pdf = _export(login(world.bob), world.acme_contoso, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_export_is_for_leads_and_qa_leads(world, login):
    assert _export(login(world.vera), world.acme_contoso, "csv").status_code == 403
    assert _export(login(world.bob), world.acme_contoso, "csv").status_code == 403
    assert _export(login(world.dave), world.acme_contoso, "csv").status_code == 404
    form = login(world.vera).get(reverse("partnership:audit_export",
                                         args=[world.acme_contoso.pk]))
    assert form.status_code == 200 and b"Only the partnership" in form.content


def test_a_bad_period_is_a_400_with_the_field_named(world, login):
    url = reverse("partnership:audit_export", args=[world.acme_contoso.pk])
    response = login(world.alice).get(url, {"start": "2026-05-01", "end": "2026-01-01",
                                            "format": "csv"})
    assert response.status_code == 400 and response.context["form"].errors["end"]
    for day in ("9999-12-31", "0001-01-01"):
        response = login(world.alice).get(url, {"start": day, "end": day, "format": "csv"})
        assert response.status_code == 400 and response.context["form"].errors["start"]


def test_the_export_holds_no_signature_of_the_other_partys_internal_record(world, login):
    """A signature is shown as the record it signs is: never the other party's internal
    meeting's approval, though the signature row carries the partnership."""
    meeting = Meeting.objects.filter(partnership=world.acme_contoso).first()
    Meeting.objects.filter(pk=meeting.pk).update(is_internal=True)  # the sponsor's now
    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).update(
        role="lead")  # a CDMO lead, who may export
    url = reverse("partnership:audit_export", args=[world.acme_contoso.pk])
    today = timezone.localdate()
    # Days either side: the period is whole days in the reader's zone, not the server's.
    period = {"start": today - datetime.timedelta(days=2),
              "end": today + datetime.timedelta(days=1), "format": "csv"}
    sponsor = login(world.alice).get(url, period).content.decode()
    cdmo = login(world.bob).get(url, period)
    assert "Minutes approved" in sponsor
    assert cdmo.status_code == 200
    assert "Minutes approved" not in cdmo.content.decode()


def test_a_reason_with_a_nul_character_is_never_a_500(world, login, executed):
    """Attack, issue 11: the reason goes into the trail's context, which PostgreSQL's text
    cannot hold a NUL in; any write that carries one answers as it would without it."""
    client = api(world.bob)
    response = client.patch(f"/api/v1/contracts/{executed.pk}/",
                             {"title": "NUL title", "reason": "a\u0000b"}, format="json")
    assert response.status_code == 200, response.content
    event = ContractEvent.objects.filter(pgh_obj_id=executed.pk).latest("pgh_id")
    assert event.pgh_context["reason"] == "ab"
    page = login(world.alice).post(
        reverse("partnership:contract_transition", args=[world.acme_contoso.pk, executed.pk]),
        {"status": "expired", "reason": "x\x00y"})
    assert page.status_code < 500
