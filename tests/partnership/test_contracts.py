"""Contracts: lifecycle on the server, negotiation rounds and their early warnings, files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partnership.contracts import selectors, services
from partnership.models import Contract, ContractDocument, NegotiationRound
from tests.factories import ContractFactory, NegotiationRoundFactory, word_document

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def url(name, contract, *extra):
    return reverse(f"partnership:{name}", args=[contract.partnership_id, contract.pk, *extra])


@pytest.fixture
def msa(world):
    return services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                    kind="msa", reference="MSA-1", title="Master agreement")


def test_lifecycle_runs_draft_to_negotiation_and_refuses_illegal_steps(world, login, msa):
    """Execution is no step of the status buttons: both parties sign it
    (tests/partnership/test_signatures.py)."""
    client = login(world.bob)
    client.post(url("contract_transition", msa), {"status": "executed"})
    msa.refresh_from_db()
    assert msa.status == "draft"  # draft cannot jump to executed
    client.post(url("contract_transition", msa), {"status": "negotiation"})
    msa.refresh_from_db()
    assert msa.status == "negotiation"
    msa.effective_date = timezone.localdate()
    msa.save()
    response = client.post(url("contract_transition", msa), {"status": "executed"}, follow=True)
    assert "once both parties have signed it" in response.content.decode()
    msa.refresh_from_db()
    assert msa.status == "negotiation"
    page = client.get(url("contract_detail", msa)).content.decode()
    assert "Mark executed" not in page


def test_viewers_cannot_move_a_contract(world, login, msa):
    assert login(world.vera).post(url("contract_transition", msa),
                                  {"status": "negotiation"}).status_code == 403


def test_sow_needs_its_msa_from_the_same_partnership(world, login, msa):
    client = login(world.alice)
    data = {"kind": "sow", "reference": "SOW-1", "title": "Tech transfer",
            "renewal_notice_days": 30}
    response = client.post(reverse("partnership:contract_create",
                                   args=[world.acme_contoso.pk]), data)
    assert "sits under another contract" in response.content.decode()
    foreign = Contract.objects.filter(partnership=world.globex_contoso).first()
    response = client.post(reverse("partnership:contract_create", args=[world.acme_contoso.pk]),
                           {**data, "parent": foreign.pk})
    assert "parent" in response.context["form"].errors  # not among the choices
    response = client.post(reverse("partnership:contract_create", args=[world.acme_contoso.pk]),
                           {**data, "parent": msa.pk})
    assert response.status_code == 302
    assert Contract.objects.get(reference="SOW-1").parent == msa


def test_rounds_alternate_and_the_stats_show_each_partys_median(world, msa):
    services.contract_transition(actor=world.alice, contract=msa, status="negotiation")
    start = datetime.date(2026, 3, 1)
    services.negotiation_round_add(actor=world.alice, contract=msa, sent_on=start,
                                   summary="First draft")
    services.negotiation_round_add(actor=world.bob, contract=msa, sent_on=start + 12 * DAY,
                                   summary="Liability capped")
    services.negotiation_round_add(actor=world.alice, contract=msa, sent_on=start + 14 * DAY,
                                   summary="Accepted the cap, changed payment terms")
    services.negotiation_round_add(actor=world.bob, contract=msa, sent_on=start + 30 * DAY,
                                   summary="Payment terms 60 days")
    rounds = list(msa.rounds.all())
    assert [r.sent_by for r in rounds] == ["sponsor", "cdmo", "sponsor", "cdmo"]
    assert [r.turnaround_days for r in rounds] == [12, 2, 16, None]
    # Acme has sat on Contoso's round 4 for a day: counted at that age.
    stats = selectors.negotiation_stats(rounds, today=start + 31 * DAY)
    assert stats.rounds == 4
    assert stats.median_days == {"cdmo": 14, "sponsor": 1.5}
    assert stats.waiting == {"sponsor": (4, 1)}
    assert stats.warnings(world.acme_contoso) == ["Contoso CDMO answers in 14 days (median)"]


def test_a_round_sat_on_counts_with_its_age_in_the_median_and_the_warning(world, login):
    """Six rounds: Acme answered Contoso's rounds 2 and 4 in 3 and 4 days (a 3.5-day
    median) and has sat on round 6 for 64 days. Counted at its age so far, the round
    raises Acme's median and, older than the agreed 10 days, warns by itself."""
    today = timezone.now().date()
    contract = ContractFactory(partnership=world.acme_contoso, reference="SOW-6",
                               title="Slow SOW", status="negotiation")
    sent = today - 64 * DAY
    # (sent by, days before round 6 it was sent, days the other party took to answer)
    for number, (party, before, took) in enumerate(
            [("sponsor", 119, 28), ("cdmo", 91, 3), ("sponsor", 88, 42), ("cdmo", 46, 4),
             ("sponsor", 42, 42), ("cdmo", 0, None)], start=1):
        NegotiationRoundFactory(contract=contract, number=number, sent_by=party,
                                sent_on=sent - before * DAY,
                                answered_on=None if took is None else
                                sent - (before - took) * DAY)
    rounds = list(contract.rounds.all())
    answered = selectors.negotiation_stats(rounds, negotiating=False)
    assert answered.median_days == {"sponsor": 3.5, "cdmo": 42} and not answered.waiting
    stats = selectors.negotiation_stats(rounds)
    assert stats.median_days == {"sponsor": 4, "cdmo": 42}
    assert stats.waiting == {"sponsor": (6, 64)}
    warning = "Acme Pharma has not answered round 6 for 64 days (more than 10)"
    assert warning in stats.warnings(world.acme_contoso)
    for person in (world.alice, world.bob):  # both parties read the same figures
        page = login(person).get(contract.get_absolute_url()).content.decode()
        assert warning in page and "64 so far" in page
        assert "Round 6 has waited 64 days so far" in page
        home = login(person).get(world.acme_contoso.get_absolute_url()).content.decode()
        assert "Slow SOW" in home and warning in home
    # Answered at last, in 64 days: the median is a fact, and over the threshold.
    NegotiationRound.objects.filter(pk=rounds[-1].pk).update(answered_on=today)
    stats = selectors.negotiation_stats(list(contract.rounds.all()))
    assert stats.median_days["sponsor"] == 4 and not stats.waiting


def test_home_warns_of_strained_negotiations_and_renewals(world, login):
    world.acme_contoso.negotiation_round_threshold = 2
    world.acme_contoso.save()
    strained = ContractFactory(partnership=world.acme_contoso, reference="NDA-7",
                               title="Slow NDA")
    for number in (1, 2, 3):
        NegotiationRoundFactory(contract=strained, number=number)
    today = timezone.localdate()
    ContractFactory(partnership=world.acme_contoso, reference="QA-1", title="Quality agreement",
                    status="executed", effective_date=today - 300 * DAY,
                    expiry_date=today + 20 * DAY, renewal_notice_days=60)
    ContractFactory(partnership=world.acme_contoso, reference="MSA-9", title="Far from expiry",
                    status="executed", effective_date=today, expiry_date=today + 400 * DAY)
    page = login(world.bob).get(world.acme_contoso.get_absolute_url()).content.decode()
    assert "Slow NDA" in page and "3 rounds (more than 2)" in page
    assert "QA-1 Quality agreement" in page and "renewal notice period" in page
    assert "Far from expiry" not in page


def test_upload_checks_type_and_size_and_downloads_are_scoped(world, login, msa, settings):
    client = login(world.bob)
    upload = url("contractdocument_create", msa)
    response = client.post(upload, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "not a PDF, Word or Excel document" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * settings.MAX_UPLOAD_BYTES)
    assert "at most 20 MB" in client.post(upload, {"file": big}).content.decode()
    docx = word_document()
    assert client.post(upload, {"file": SimpleUploadedFile(
        "redline.docx", docx)}).status_code == 302
    document = ContractDocument.objects.get(contract=msa)
    assert document.content_type.endswith("wordprocessingml.document")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == docx
    assert "attachment" in response["Content-Disposition"]
    assert login(world.carol).get(document.get_absolute_url()).status_code == 404


def test_api_runs_a_contract_through_its_lifecycle(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    created = client.post("/api/v1/contracts/", {
        "partnership": world.acme_contoso.pk, "kind": "nda", "reference": "NDA-1",
        "title": "Confidentiality", "renewal_notice_days": 30}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = client.post(f"/api/v1/contracts/{pk}/transition/", {"status": "expired"},
                      format="json")
    assert bad.status_code == 400 and "status" in bad.json()
    ok = client.post(f"/api/v1/contracts/{pk}/transition/", {"status": "negotiation"},
                     format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "negotiation"
    round_ = client.post("/api/v1/negotiation-rounds/", {
        "contract": pk, "sent_on": "2026-05-01", "summary": "Our draft"}, format="json")
    assert round_.status_code == 201 and round_.json()["sent_by"] == "sponsor"
    answered = client.patch(f"/api/v1/negotiation-rounds/{round_.json()['id']}/",
                            {"answered_on": "2026-04-01"}, format="json")
    assert answered.status_code == 400 and "answered_on" in answered.json()


def test_contract_list_uses_a_bounded_number_of_queries(world, login,
                                                         django_assert_max_num_queries):
    client = login(world.alice)
    list_url = reverse("partnership:contract_list", args=[world.acme_contoso.pk])
    client.get(list_url)
    for _ in range(30):
        NegotiationRoundFactory(contract=ContractFactory(partnership=world.acme_contoso))
    with django_assert_max_num_queries(10):
        assert client.get(list_url).status_code == 200


@pytest.fixture
def answered(world, msa):
    """Acme sent a draft on 1 March; Contoso answered with its own on 6 March."""
    services.contract_transition(actor=world.alice, contract=msa, status="negotiation")
    first = services.negotiation_round_add(actor=world.alice, contract=msa,
                                           sent_on=datetime.date(2026, 3, 1),
                                           summary="First draft")
    services.negotiation_round_add(actor=world.bob, contract=msa,
                                   sent_on=datetime.date(2026, 3, 6), summary="Our redline")
    first.refresh_from_db()
    assert first.answered_on == datetime.date(2026, 3, 6)  # dated by Contoso, its answerer
    return first


def test_a_party_cannot_rewrite_the_others_answer_date_through_the_api(world, answered):
    """Acme pushing Contoso's answer to 20 April would make Contoso's median turnaround
    an early warning against it."""
    path = f"/api/v1/negotiation-rounds/{answered.pk}/"
    sponsor, cdmo = APIClient(), APIClient()
    sponsor.force_authenticate(world.alice)
    cdmo.force_authenticate(world.bob)
    response = sponsor.patch(path, {"answered_on": "2026-04-20"}, format="json")
    assert response.status_code == 400
    assert "Only the CDMO" in str(response.json()["answered_on"])
    assert sponsor.patch(path, {"answered_on": None}, format="json").status_code == 400
    answered.refresh_from_db()
    assert answered.answered_on == datetime.date(2026, 3, 6)
    corrected = cdmo.patch(path, {"answered_on": "2026-03-05"}, format="json")
    assert corrected.status_code == 200 and corrected.json()["answered_on"] == "2026-03-05"
    assert corrected.json()["turnaround_days"] == 4
    assert cdmo.patch(path, {"summary": "Rewritten", "sent_on": "2026-02-01"},
                      format="json").status_code == 200  # read-only once recorded
    answered.refresh_from_db()
    assert (answered.answered_on, answered.sent_on, answered.summary) == (
        datetime.date(2026, 3, 5), datetime.date(2026, 3, 1), "First draft")


def test_the_sender_cannot_date_the_answer_when_recording_a_draft(world, answered):
    client = APIClient()
    client.force_authenticate(world.alice)
    response = client.post("/api/v1/negotiation-rounds/", {
        "contract": answered.contract_id, "sent_on": "2026-03-10", "summary": "Counter",
        "answered_on": "2026-05-30"}, format="json")
    assert response.status_code == 400 and "answered_on" in response.json()
    assert answered.contract.rounds.count() == 2
    with pytest.raises(ValidationError) as error:
        services.negotiation_round_add(actor=world.alice, contract=answered.contract,
                                       sent_on=datetime.date(2026, 3, 10), summary="Counter",
                                       answered_on=datetime.date(2026, 5, 30))
    assert "answered_on" in error.value.message_dict


def test_only_the_answering_party_dates_its_answer_on_the_pages(world, login, answered):
    answer = url("negotiationround_answer", answered.contract, answered.pk)
    sponsor = login(world.alice)
    refused = sponsor.get(answer)
    assert refused.status_code == 403
    assert "the party that answered dates its own answer" in refused.content.decode()  # why
    assert sponsor.post(answer, {"answered_on": "2026-04-20"}).status_code == 403
    answered.refresh_from_db()
    assert answered.answered_on == datetime.date(2026, 3, 6)
    assert answer not in sponsor.get(answered.contract.get_absolute_url()).content.decode()
    cdmo = login(world.bob)
    assert answer in cdmo.get(answered.contract.get_absolute_url()).content.decode()
    assert cdmo.get(answer).context["form"].initial["answered_on"] == datetime.date(2026, 3, 6)
    assert cdmo.post(answer, {"answered_on": "2026-03-05"}).status_code == 302
    answered.refresh_from_db()
    assert answered.answered_on == datetime.date(2026, 3, 5)


def test_operators_cannot_redate_rounds_in_the_admin(world, login, answered):
    from partnership.models import User

    staff = User.objects.create_user("ops@lockstep.test", "pw", is_staff=True,
                                     is_superuser=True)
    page = login(staff).get(f"/admin/partnership/contract/{answered.contract_id}/change/")
    assert page.status_code == 200
    assert 'name="rounds-0-answered_on"' not in page.content.decode()


def test_a_contract_cannot_sit_under_one_beneath_it(world):
    msa = services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                   kind="msa", reference="MSA-LOOP", title="Master")
    sow = services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                   kind="sow", reference="SOW-LOOP", title="Work", parent=msa)
    with pytest.raises(ValidationError, match="contracts beneath it"):
        services.contract_update(actor=world.alice, contract=msa, parent=sow)
    msa.refresh_from_db()
    assert msa.parent_id is None
