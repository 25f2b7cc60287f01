"""Regressions found by attacking quality oversight (issue 12) from the wrong party, the
wrong partnership and with bad input: each request is refused with field errors and
changes nothing."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Deviation
from governance.quality.agreement import services as agreements
from partnership.models import Contract
from tests.factories import ContractFactory
from tests.governance.test_quality_deviations import cast  # noqa: F401 (fixture)
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def draft(cast):  # noqa: F811
    """An amendment of Acme–Contoso's agreement in negotiation, its matrix open."""
    contract = ContractFactory(partnership=cast.acme_contoso, kind="amendment",
                               parent=cast.agreement.contract, reference="QA-AM-9",
                               status=Contract.Status.NEGOTIATION)
    return agreements.quality_agreement_create(actor=cast.rita, partnership=cast.acme_contoso,
                                               contract=contract)


def _state(agreement):
    agreement.refresh_from_db()
    return (agreement.critical_notice_hours,
            [(row.activity, row.sponsor, row.cdmo) for row in agreement.responsibilities.all()])


@pytest.mark.parametrize("rows", [
    # A cell, then an activity the matrix has already.
    lambda row: [{"id": row.pk, "sponsor": "informed"}, {"activity": row.activity}],
    # Two new rows of one activity: the first is written before the second is refused.
    lambda row: [{"activity": "Recalls"}, {"activity": "Recalls"}],
    # A new row whose cell is not a part.
    lambda row: [{"id": row.pk, "cdmo": "informed"}, {"activity": "Recalls", "sponsor": ""},
                 {"activity": "Complaints"}, {"activity": "complaints"}],
])
def test_a_refused_matrix_patch_changes_nothing(cast, draft, rows):  # noqa: F811
    row = draft.responsibilities.first()
    before = _state(draft)
    answer = api(cast.quinn).patch(f"/api/v1/quality-agreements/{draft.pk}/", {
        "critical_notice_hours": 12, "responsibilities": rows(row)}, format="json")
    assert answer.status_code == 400, answer.json()
    assert _state(draft) == before


def test_a_deviation_cannot_record_the_sponsor_told_in_the_future(cast):  # noqa: F811
    now = timezone.now()
    body = {"partnership": cast.acme_contoso.pk, "reference": "DEV-901", "site": cast.boston.pk,
            "kind": "deviation", "classification": "critical", "title": "Seal failure, lot 9",
            "description": "Two vials leaked at 100 % inspection.",
            "detected_at": (now - datetime.timedelta(days=2)).isoformat(),
            "sponsor_notified_at": (now + datetime.timedelta(days=6)).isoformat()}
    answer = api(cast.bob).post("/api/v1/deviations/", body, format="json")
    assert answer.status_code == 400, answer.json()
    assert "sponsor_notified_at" in answer.json()
    assert not Deviation.objects.filter(reference="DEV-901").exists()


def test_a_notice_stated_before_the_report_says_so_beside_its_verdict(cast, login):  # noqa: F811
    """A CDMO may state, when reporting, that the sponsor was told earlier (telephone,
    e-mail): the portal cannot witness that notice, so the deviation's page and the list
    say it was stated by the CDMO and when it was reported; a notice sent by the portal
    says nothing of the kind."""
    now = timezone.now()
    body = {"partnership": cast.acme_contoso.pk, "site": cast.boston.pk, "kind": "deviation",
            "classification": "critical", "description": "Two vials leaked at inspection.",
            "detected_at": (now - datetime.timedelta(days=5)).isoformat()}
    stated = api(cast.bob).post("/api/v1/deviations/", {
        **body, "reference": "DEV-902", "title": "Seal failure, lot 9",
        "sponsor_notified_at": (now - datetime.timedelta(days=5)).isoformat()},
        format="json")
    sent = api(cast.bob).post("/api/v1/deviations/", {
        **body, "reference": "DEV-903", "title": "Seal failure, lot 10"}, format="json")
    assert stated.status_code == sent.status_code == 201, (stated.json(), sent.json())
    stated, sent = (Deviation.objects.get(reference=ref) for ref in ("DEV-902", "DEV-903"))
    assert stated.notified_in_time is True and stated.notice_stated_earlier
    assert sent.notified_in_time is False and not sent.notice_stated_earlier
    client = login(cast.quinn)
    words = "as stated by Contoso CDMO when reporting it on"
    assert words in client.get(stated.get_absolute_url()).content.decode()
    assert words not in client.get(sent.get_absolute_url()).content.decode()
