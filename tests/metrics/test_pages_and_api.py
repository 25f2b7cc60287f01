"""KPI pages and API: the KPIs page shows the agreed KPIs with their latest published
value and red / amber / green and what awaits the viewer; the flow runs through the API
(dispute, correction, publication) with 400s for bad input and nothing saved; the pages
and the API keep their number of queries whatever the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.measurements.models import KPIMeasurement
from metrics.periods import previous_period
from tests.factories import PASSWORD
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi, shared_value
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def published_history(world, definition, months: int, start=1):
    """`months` published values before the last month, written directly (set-up only)."""
    period, rows = LAST_MONTH, []
    for _ in range(start):
        period = previous_period(period, "monthly")
    for number in range(months):
        rows.append(KPIMeasurement(
            partnership=world.acme_contoso, author_organization=world.contoso,
            created_by=world.bob, definition=definition, key=definition.key, period=period,
            value=Decimal(70 + number % 30), status="published", published_at=timezone.now()))
        period = previous_period(period, "monthly")
    KPIMeasurement.objects.bulk_create(rows)


def test_the_kpis_page_shows_latest_published_value_and_what_awaits(world, login):
    definition = agreed_kpi(world)
    published_history(world, definition, 3)  # the latest: 70 %, red (below 80)
    shared_value(world, definition)  # last month, under review: not on the scorecard
    page = login(world.alice).get(reverse("metrics:kpidefinition_list",
                                          args=[world.acme_contoso.pk])).content.decode()
    scorecard = page.split('data-testid="scorecard"')[1].split("</section>")[0]
    assert "On-time delivery" in scorecard and 'data-rag="red"' in scorecard
    assert "70 %" in scorecard
    assert "Review" in page.split('data-testid="awaiting-me"')[1]
    other = login(world.bob).get(reverse("metrics:kpidefinition_list",
                                         args=[world.acme_contoso.pk])).content.decode()
    assert "70 %" in other  # both parties see the same numbers
    assert f'href="/p/{world.acme_contoso.pk}/kpis/"' in page  # the side navigation


def test_the_flow_through_the_api(world):
    definition = agreed_kpi(world)
    bob, alice, cole = api(world.bob), api(world.alice), api(world.cole)
    bad = bob.post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), "value": "50",
        "numerator": "23", "denominator": "25"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()
    assert not KPIMeasurement.objects.filter(definition=definition).exists()
    created = bob.post("/api/v1/kpi-measurements/", {
        "definition": definition.pk, "period": str(LAST_MONTH), "value": "92",
        "numerator": "23", "denominator": "25"}, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/kpi-measurements/{created.json()['id']}/"
    assert bob.post(url + "submit/").status_code == 200
    assert bob.post(url + "share/").json()["status"] == "shared"
    commented = alice.post(url + "comment/", {"text": "Which lots?"}, format="json").json()
    assert commented["id"] == created.json()["id"]
    assert alice.post(url + "dispute/", {}, format="json").status_code == 400  # no words
    assert alice.post(url + "dispute/", {"text": "Lot 7 late."},
                      format="json").json()["status"] == "disputed"
    signing = {"event": "published", "meaning": "approval", "password": PASSWORD}
    assert cole.post(url + "sign/", signing, format="json").status_code == 400
    body = bob.post(url + "correct/", {"value": "88", "numerator": "22", "denominator": "25",
                                       "reason": "Agreed: lot 7 was late."},
                    format="json").json()
    assert (body["status"], body["value"]) == ("shared", "88.0000")
    assert alice.post(url + "accept/", {}, format="json").status_code == 200
    assert cole.post(url + "sign/", signing, format="json").status_code == 201
    body = alice.get(url).json()
    assert body["status"] == "published" and body["rag"] == "amber"
    assert [r["kind"] for r in body["reviews"]] == ["comment", "dispute", "correction",
                                                    "acceptance"]
    assert api(world.dave).get(url).status_code == 404  # another partnership's lead


def test_definitions_through_the_api(world):
    alice = api(world.alice)
    created = alice.post("/api/v1/kpi-definitions/", {
        "partnership": world.acme_contoso.pk, "name": "Process yield", "formula": "Out ÷ in.",
        "unit": "%", "direction": "higher", "target": "90", "amber_threshold": "95",
        "red_threshold": "80", "reporting_party": "cdmo"}, format="json")
    assert created.status_code == 400 and "amber_threshold" in created.json()
    created = alice.post("/api/v1/kpi-definitions/", {
        "partnership": world.acme_contoso.pk, "name": "Process yield", "formula": "Out ÷ in.",
        "unit": "%", "direction": "higher", "target": "90", "amber_threshold": "85",
        "red_threshold": "80", "reporting_party": "cdmo"}, format="json")
    assert created.status_code == 201 and created.json()["key"] == "process-yield"
    url = f"/api/v1/kpi-definitions/{created.json()['id']}/"
    assert api(world.bob).post(url + "submit/").status_code == 403  # a member
    assert alice.post(url + "submit/").json()["status"] == "awaiting_signoff"
    for lead in (world.alice, world.cole):
        assert api(lead).post(url + "sign/", {"event": "agreed", "meaning": "approval",
                                              "password": PASSWORD},
                              format="json").status_code == 201
    assert alice.get(url).json()["status"] == "agreed"
    revision = alice.post(url + "revise/")
    assert revision.status_code == 201 and revision.json()["version"] == 2


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_and_api_keep_their_number_of_queries_whatever_the_data(world, login):
    definition = agreed_kpi(world)
    second = agreed_kpi(world, key="capa-on-time")
    value = shared_value(world, definition)
    published_history(world, definition, 2)
    client, rest = login(world.alice), api(world.alice)
    home = reverse("metrics:kpidefinition_list", args=[world.acme_contoso.pk])
    urls = (home, definition.get_absolute_url(), value.get_absolute_url())
    for warm_up in ("/api/v1/kpi-measurements/", "/api/v1/kpi-definitions/"):
        _queries(rest, warm_up)  # the content types' cache, filled once
    small = [_queries(client, url) for url in urls] + [
        _queries(rest, "/api/v1/kpi-measurements/"), _queries(rest, "/api/v1/kpi-definitions/")]
    published_history(world, definition, 30, start=3)
    published_history(world, second, 30)
    for key in ("right-first-time", "lot-acceptance", "complaint-rate"):
        agreed_kpi(world, key=key)
    large = [_queries(client, url) for url in urls] + [
        _queries(rest, "/api/v1/kpi-measurements/"), _queries(rest, "/api/v1/kpi-definitions/")]
    assert large == small, (small, large)
    assert max(small) < 40


def test_a_page_form_refuses_bad_input_with_a_field_error(world, login):
    definition = agreed_kpi(world)
    url = reverse("metrics:kpimeasurement_create", args=[world.acme_contoso.pk])
    this_month = f"{datetime.date.today():%Y-%m}"
    response = login(world.bob).post(url, {"definition": definition.pk,
                                           "period": this_month, "value": "90"})
    assert response.status_code == 200
    assert "once its period has ended" in response.content.decode()
    assert not KPIMeasurement.objects.filter(definition=definition).exists()
    assert login(world.alice).get(url).status_code == 200  # no KPI of Acme's to report
    assert login(world.vera).get(url).status_code == 403


def test_evidence_is_attached_by_the_reporting_party_and_served_only_in_scope(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PDF

    value = shared_value(world, agreed_kpi(world))
    url = reverse("metrics:kpievidence_create", args=[world.acme_contoso.pk, value.pk])
    upload = SimpleUploadedFile("deliveries.pdf", PDF, content_type="application/pdf")
    assert login(world.bob).post(url, {"file": upload}).status_code == 302
    [evidence] = value.evidence.all()
    assert login(world.alice).get(evidence.get_absolute_url()).status_code == 200
    assert login(world.dave).get(evidence.get_absolute_url()).status_code == 404
    fake = SimpleUploadedFile("deliveries.pdf", b"not a pdf", content_type="application/pdf")
    response = login(world.bob).post(url, {"file": fake})
    assert response.status_code == 200 and value.evidence.count() == 1
    assert login(world.alice).get(url).status_code == 403  # not the reporting party
    page = login(world.alice).get(value.get_absolute_url()).content.decode()
    assert "deliveries.pdf" in page.split('data-testid="evidence"')[1]
