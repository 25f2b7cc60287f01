"""Electronic signatures: a contract executed by both parties' signatures, a deliverable's
accepting review signed, minutes approved and corrected as versions; the signer re-enters the
password (and the TOTP code), and a signature bound to content that has changed shows so."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.meetings import services as meetings
from partnership.contracts import services as contracts
from partnership.deliverables import services as deliverables
from partnership.models import Signature
from partnership.signatures.pdf import signature_flowables, signature_lines
from partnership.signatures.services import sign
from tests.factories import PASSWORD, ContractFactory
from tests.partnership.test_api import api
from tests.partnership.test_two_factor import VERIFY, code_of, enrol


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def sign_url(contract):
    return reverse("partnership:contract_sign", args=[contract.partnership_id, contract.pk])


def detail(contract):
    return reverse("partnership:contract_detail", args=[contract.partnership_id, contract.pk])


def test_one_party_alone_cannot_execute_a_contract(world, login, contract, contoso_lead):
    with pytest.raises(ValidationError, match="once both parties have signed"):
        contracts.contract_transition(actor=world.alice, contract=contract, status="executed")
    response = login(world.alice).post(sign_url(contract), {
        "event": "executed", "meaning": "approval", "password": PASSWORD})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "negotiation"  # the sponsor alone has signed
    with pytest.raises(ValidationError, match="already signed"):
        sign(actor=world.alice, record=contract, event="executed", meaning="approval",
             password=PASSWORD)
    page = login(contoso_lead).get(detail(contract)).content.decode()
    assert "Awaiting the signature of Contoso CDMO" in page and "Alice Acmeson" in page
    listing = login(contoso_lead).get(reverse("partnership:contract_list",
                                              args=[contract.partnership_id]))
    assert "Signed 1/2" in listing.content.decode()
    response = api(contoso_lead).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "responsibility", "password": PASSWORD}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["printed_name"] == "Cleo Contososon"
    contract.refresh_from_db()
    assert contract.status == "executed"
    body = api(world.alice).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert [(s["party"], s["valid"]) for s in body["signatures"]] == [
        ("sponsor", True), ("cdmo", True)]


def test_a_changed_record_shows_its_signature_invalid(world, login, contract):
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    page = login(world.bob).get(detail(contract)).content.decode()
    assert "Valid for the current content" in page
    with pytest.raises(ValidationError, match="say why you change it"):
        contracts.contract_update(actor=world.alice, contract=contract, title="Other terms")
    contracts.contract_update(actor=world.alice, contract=contract, title="Other terms",
                              reason="The title named the wrong product")
    page = login(world.bob).get(detail(contract)).content.decode()
    assert "No longer valid: the record changed after signing" in page
    assert "Valid for the current content" not in page
    listed = api(world.bob).get("/api/v1/contracts/", {"partnership": world.acme_contoso.pk})
    row = next(r for r in listed.json()["results"] if r["id"] == contract.pk)
    assert [s["valid"] for s in row["signatures"]] == [False]
    [signature] = api(world.bob).get("/api/v1/signatures/").json()["results"][-1:]
    assert signature["record_id"] == contract.pk and signature["valid"] is False
    # The sponsor may sign the new content again; the first signature stays, invalid.
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    assert Signature.objects.of(contract).count() == 2
    contract.refresh_from_db()
    lines = signature_lines(contract, zone=datetime.UTC)
    assert "NO LONGER VALID" in lines[0] and "valid for the current content" in lines[1]
    assert len(signature_flowables(contract)) == 2


def test_a_wrong_password_signs_nothing(world, login, contract):
    response = login(world.alice).post(sign_url(contract), {
        "event": "executed", "meaning": "approval", "password": "guess"})
    assert response.status_code == 200
    assert "The password is not correct" in response.content.decode()
    response = api(world.alice).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "approval", "password": "guess"}, format="json")
    assert response.status_code == 400 and "password" in response.json()
    response = api(world.alice).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "nonsense", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "meaning" in response.json()
    assert not Signature.objects.of(contract).exists()


def test_a_viewer_or_a_member_cannot_sign_an_execution(world, login, contract):
    assert login(world.vera).get(sign_url(contract)).status_code == 403
    assert login(world.vera).post(sign_url(contract), {
        "meaning": "approval", "password": PASSWORD}).status_code == 403
    assert api(world.vera).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "approval", "password": PASSWORD}, format="json").status_code == 403
    # Bob is a member, not a lead: contracts are signed by the leads.
    with pytest.raises(PermissionDenied, match="Only leads sign"):
        sign(actor=world.bob, record=contract, event="executed", meaning="approval",
             password=PASSWORD)
    assert "Sign: contract executed" not in login(world.vera).get(detail(contract)).content.decode()
    assert not Signature.objects.of(contract).exists()


def test_the_other_tenant_gets_404(world, login, contract):
    assert login(world.dave).get(sign_url(contract)).status_code == 404
    assert api(world.dave).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "approval", "password": PASSWORD}, format="json").status_code == 404
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    ids = {row["record_id"] for row in api(world.dave).get("/api/v1/signatures/").json()[
        "results"] if row["record_type"] == "contract"}
    assert contract.pk not in ids
    assert contract.pk in {row["record_id"] for row in api(world.bob).get(
        "/api/v1/signatures/").json()["results"] if row["record_type"] == "contract"}


def test_an_internal_records_signatures_stay_with_its_party(world, contract):
    internal = contracts.contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="nda", reference="NDA-S",
        title="Our own", is_internal=True, effective_date=datetime.date(2026, 5, 1))
    internal = contracts.contract_transition(actor=world.alice, contract=internal,
                                             status="negotiation")
    with pytest.raises(PermissionDenied):  # the CDMO never sees it, so never signs it
        sign(actor=world.bob, record=internal, event="executed", meaning="approval",
             password=PASSWORD)
    signature = sign(actor=world.alice, record=internal, event="executed",
                     meaning="approval", password=PASSWORD)
    assert not Signature.objects.visible_to(world.bob).filter(pk=signature.pk).exists()
    assert Signature.objects.visible_to(world.alice).filter(pk=signature.pk).exists()
    internal.refresh_from_db()
    assert internal.status == "executed"  # its own party's signature is all it waits for


def test_a_person_with_two_factor_signs_with_a_code_too(world, login, contract):
    backup_codes = enrol(world.alice)
    device = TOTPDevice.objects.get(user=world.alice, confirmed=True)
    client = login(world.alice)
    assert client.post(VERIFY, {"code": backup_codes[0]}).status_code == 302
    page = client.get(sign_url(contract)).content.decode()
    assert "Code from your authenticator app" in page
    with pytest.raises(ValidationError, match="code of your authenticator"):
        sign(actor=world.alice, record=contract, event="executed", meaning="approval",
             password=PASSWORD)
    code = code_of(device, steps_ahead=1)  # the enrolment used up the current one
    with pytest.raises(ValidationError, match="code is not correct"):
        sign(actor=world.alice, record=contract, event="executed", meaning="approval",
             password=PASSWORD, otp_code="000000" if code != "000000" else "111111")
    assert not Signature.objects.of(contract).exists()
    response = api(world.alice).post(f"/api/v1/contracts/{contract.pk}/sign/", {
        "meaning": "approval", "password": PASSWORD, "otp_code": code}, format="json")
    assert response.status_code == 201, response.content


def test_the_accepting_review_signs_the_deliverable(world, login):
    sow = ContractFactory(partnership=world.acme_contoso, kind="sow", reference="SOW-S")
    deliverable = deliverables.deliverable_create(
        actor=world.alice, partnership=world.acme_contoso, sow=sow, title="Standard",
        due_date=datetime.date(2026, 12, 15), responsible_party="cdmo")
    criterion = deliverables.acceptance_criterion_add(actor=world.alice,
                                                      deliverable=deliverable, text="CoA")
    deliverables.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                        status="in_progress")
    deliverables.deliverable_transition(actor=world.bob, deliverable=deliverable,
                                        status="delivered")
    review_url = reverse("partnership:deliverablereview_create",
                         args=[world.acme_contoso.pk, deliverable.pk])
    client = login(world.alice)
    response = client.post(review_url, {f"met_{criterion.pk}": "yes", "meaning": "approval",
                                        "password": "guess"})
    assert "The password is not correct" in response.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.status == "delivered" and not deliverable.reviews.exists()
    response = client.post(review_url, {f"met_{criterion.pk}": "yes", "meaning": "approval",
                                        "password": PASSWORD})
    assert response.status_code == 302
    [signature] = Signature.objects.of(deliverable)
    assert (signature.event, signature.party, signature.printed_name) == (
        "accepted", "sponsor", "Alice Acmeson")
    page = login(world.bob).get(deliverable.get_absolute_url()).content.decode()
    assert "Deliverable accepted" in page and "Valid for the current content" in page


@pytest.fixture
def held(world):
    meeting = meetings.meeting_create(
        actor=world.alice, partnership=world.acme_contoso, title="Check-in",
        kind="weekly_check_in", starts_at=timezone.now() - datetime.timedelta(hours=2))
    return meetings.meeting_record_minutes(actor=world.alice, meeting=meeting,
                                           minutes="Agreed the plan.")


def test_approved_minutes_are_corrected_only_as_a_new_version_with_a_reason(world, login, held):
    url = reverse("governance:meeting_sign", args=[held.partnership_id, held.pk])
    assert login(world.bob).post(url, {"meaning": "approval", "password": PASSWORD}
                                 ).status_code == 302
    with pytest.raises(ValidationError, match="say why you correct"):
        meetings.meeting_record_minutes(actor=world.alice, meeting=held,
                                        minutes="Agreed another plan.")
    minutes_url = reverse("governance:meeting_minutes", args=[held.partnership_id, held.pk])
    response = login(world.alice).post(minutes_url, {
        "minutes": "Agreed another plan.", "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0"})
    assert response.status_code == 400 and "say why you correct" in response.content.decode()
    held.refresh_from_db()
    assert held.minutes == "Agreed the plan."
    response = login(world.alice).post(minutes_url, {
        "minutes": "Agreed the plan, for batch 7.", "reason": "The batch was left out",
        "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    versions = list(held.minutes_versions.order_by("number").values_list("number", "reason"))
    assert versions == [(1, ""), (2, "The batch was left out")]
    page = login(world.bob).get(held.get_absolute_url()).content.decode()
    assert "Versions of the minutes" in page and "The batch was left out" in page
    assert "No longer valid: the record changed after signing" in page
    assert "Sign: minutes approved" in page  # the correction needs approving again
    body = api(world.bob).get(f"/api/v1/meetings/{held.pk}/").json()
    assert [v["number"] for v in body["minutes_versions"]] == [1, 2]
    assert [s["valid"] for s in body["signatures"]] == [False]


def test_minutes_are_approved_once_held(world, held):
    scheduled = meetings.meeting_create(
        actor=world.alice, partnership=world.acme_contoso, title="Later",
        kind="weekly_check_in", starts_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="once the meeting is held"):
        sign(actor=world.alice, record=scheduled, event="minutes_approved",
             meaning="approval", password=PASSWORD)
    signature = sign(actor=world.alice, record=held, event="minutes_approved",
                     meaning="approval", password=PASSWORD)
    assert signature.meaning_label.startswith("Approved: the minutes are a true record")


def test_a_record_the_other_party_signed_stays_shared(world, contract, contoso_lead):
    sign(actor=contoso_lead, record=contract, event="executed", meaning="responsibility",
         password=PASSWORD)
    with pytest.raises(ValidationError, match="other party has signed"):
        contracts.contract_update(actor=world.alice, contract=contract, is_internal=True)
    contract.refresh_from_db()
    assert not contract.is_internal
    assert Signature.objects.visible_to(contoso_lead).of(contract).count() == 1


def test_wrong_passwords_at_signing_lock_signing_as_at_log_in(world, contract, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(ValidationError, match="password is not correct"):
            sign(actor=world.alice, record=contract, event="executed", meaning="approval",
                 password="not-my-password")
    with pytest.raises(ValidationError, match="Too many wrong passwords"):
        sign(actor=world.alice, record=contract, event="executed", meaning="approval",
             password=PASSWORD)
    assert not Signature.objects.of(contract).exists()


def test_the_panel_says_why_a_contract_cannot_be_signed_yet(world, login):
    undated = contracts.contract_create(
        actor=world.alice, partnership=world.acme_contoso, kind="msa", reference="MSA-U",
        title="Undated agreement")
    undated = contracts.contract_transition(actor=world.alice, contract=undated,
                                            status="negotiation")
    page = login(world.alice).get(detail(undated)).content.decode()
    assert "Give the contract its effective date before signing it" in page
    assert sign_url(undated) not in page or "Sign: contract executed" not in page


def test_documents_are_fixed_once_signing_has_started(world, contract, contoso_lead):
    def upload(name):
        return contracts.contract_document_upload(
            actor=world.alice, contract=contract,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=name))

    upload("agreed text.pdf")
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    with pytest.raises(ValidationError, match="fixed once signing has started"):
        upload("afterthought.pdf")
    assert contract.documents.count() == 1
