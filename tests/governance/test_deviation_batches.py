"""A deviation names its lot (issue 12, items 5 and 7): a batch of its own partnership only
(another partnership's lot is a field error, a foreign one is not even found), or the number
of a lot the portal does not record; the lot's page lists the deviations naming it in a
pinned number of queries; a lot is not released while a deviation both parties see is
open; and a lot with a deviation is not right first time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Batch, Deviation
from governance.quality.batches import selectors as batch_selectors
from governance.quality.deviations import services
from partnership.models import Membership, Site
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.partnership.test_api import api

NOW = timezone.now()


@pytest.fixture
def world(saved_world):
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso; Rita also
    sits in Globex–Contoso (so she sees a lot of another partnership). The world's lot of
    Acme–Contoso awaits disposition with its CoA."""
    world.quinn = UserFactory(email="quinn@acme.test", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.quinn,
                      role=Membership.Role.QA_LEAD)
    MembershipFactory(partnership=world.acme_contoso, user=world.rita,
                      role=Membership.Role.QA_LEAD)
    MembershipFactory(partnership=world.globex_contoso, user=world.rita,
                      role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    world.lot = Batch.objects.get(partnership=world.acme_contoso)
    world.other_lot = Batch.objects.get(partnership=world.globex_contoso)
    return world


def report(world, actor=None, **extra) -> Deviation:
    fields = {"reference": "DEV-2500", "site": world.boston, "batch": world.lot,
              "kind": "deviation", "classification": "major",
              "title": "Particles in retained vials",
              "description": "Visible particles in two retained vials at the 3-month check.",
              "detected_at": NOW - datetime.timedelta(hours=5), **extra}
    return services.deviation_report(actor=actor or world.rita,
                                     partnership=world.acme_contoso, **fields)


def close(world, deviation) -> Deviation:
    deviation = services.deviation_investigate(actor=world.rita, deviation=deviation)
    deviation = services.deviation_investigation_write(
        actor=world.rita, deviation=deviation, investigation="Vials inspected again.",
        root_cause="Stopper coring at the capping station.", product_impact="None.")
    deviation = services.deviation_request_closure(actor=world.rita, deviation=deviation)
    return services.deviation_approve_closure(actor=world.quinn, deviation=deviation)


def release(world, lot):
    return sign(actor=world.quinn, record=lot, event="released", meaning="approval",
                password=PASSWORD)


def test_a_deviation_names_a_lot_of_its_own_partnership_only(cast):
    deviation = report(cast, lot="")
    assert deviation.batch == cast.lot and list(cast.lot.deviations.all()) == [deviation]
    with pytest.raises(ValidationError) as refused:
        report(cast, reference="DEV-2501", batch=cast.other_lot)
    assert "batch" in refused.value.message_dict
    assert not Deviation.objects.filter(reference="DEV-2501").exists()
    # A lot the portal does not record keeps its number in words.
    supplier = report(cast, reference="DEV-2502", batch=None, lot="Resin lot 7781-B")
    assert supplier.batch is None and supplier.lot == "Resin lot 7781-B"
    # The lot can be corrected while the deviation is open, within the partnership.
    with pytest.raises(ValidationError) as refused:
        services.deviation_update(actor=cast.rita, deviation=supplier, batch=cast.other_lot)
    assert "batch" in refused.value.message_dict
    supplier = services.deviation_update(actor=cast.rita, deviation=supplier, batch=cast.lot)
    assert supplier.batch == cast.lot


def test_the_api_takes_the_lot_and_never_tells_a_foreign_one_from_a_missing_one(cast):
    body = {"partnership": cast.acme_contoso.pk, "reference": "DEV-2600",
            "site": cast.boston.pk, "kind": "oos", "classification": "minor",
            "title": "Assay OOS", "description": "Assay 93 % against 95–105 %.",
            "detected_at": (NOW - datetime.timedelta(hours=2)).isoformat()}
    created = api(cast.rita).post("/api/v1/deviations/", {**body, "batch": cast.lot.pk},
                                  format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["batch"] == cast.lot.pk and created.json()["lot"] == ""
    # Another partnership's lot Rita sees: a field error, nothing written.
    other = api(cast.rita).post("/api/v1/deviations/", {
        **body, "reference": "DEV-2601", "batch": cast.other_lot.pk}, format="json")
    assert other.status_code == 400 and "batch" in other.json()
    # For Bob (Acme–Contoso only) Globex's lot and a missing id read the same.
    answers = [api(cast.bob).post("/api/v1/deviations/", {
        **body, "reference": "DEV-2602", "batch": pk}, format="json") for pk in
        (cast.other_lot.pk, 987654321)]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["batch"] == [
        message.replace("987654321", str(cast.other_lot.pk))
        for message in answers[1].json()["batch"]]
    assert not Deviation.objects.filter(reference__in=["DEV-2601", "DEV-2602"]).exists()
    listed = api(cast.quinn).get("/api/v1/deviations/", {"batch": cast.lot.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["reference"] for row in rows} == {"DEV-2600"}


def test_the_form_offers_the_partnerships_lots_and_refuses_another(cast, login):
    url = reverse("governance:deviation_create", args=[cast.acme_contoso.pk])
    page = login(cast.rita).get(url, {"batch": cast.lot.pk}).content.decode()
    assert cast.lot.lot_number in page and cast.other_lot.lot_number not in page
    assert f'<option value="{cast.lot.pk}" selected>' in page
    form = {"reference": "DEV-2700", "site": cast.boston.pk, "batch": cast.other_lot.pk,
            "kind": "deviation", "classification": "minor", "title": "Label smudged",
            "description": "Two labels smudged.", "notify_sponsor": "on",
            "detected_at": (NOW - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    refused = login(cast.rita).post(url, form)
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert login(cast.rita).post(url, {**form, "batch": cast.lot.pk}).status_code == 302
    assert Deviation.objects.get(reference="DEV-2700").batch == cast.lot
    listed = login(cast.quinn).get(reverse("governance:deviation_list",
                                           args=[cast.acme_contoso.pk]),
                                   {"batch": cast.lot.pk}).content.decode()
    assert "DEV-2700" in listed and "DEV-1" not in listed


def test_a_lot_is_not_released_while_a_deviation_naming_it_is_open(cast, login):
    deviation = report(cast)
    with pytest.raises(ValidationError) as refused:
        release(cast, cast.lot)
    assert "DEV-2500" in str(refused.value)
    assert cast.lot.dispositions_for(cast.quinn) == ["rejected", "quarantined"]
    page = login(cast.quinn).get(cast.lot.get_absolute_url()).content.decode()
    assert "DEV-2500" in page and 'data-testid="release-blocker"' in page
    assert "Release (sign)" not in page
    answer = api(cast.quinn).post(f"/api/v1/batches/{cast.lot.pk}/sign/", {
        "event": "released", "meaning": "approval", "password": PASSWORD}, format="json")
    assert answer.status_code == 400
    # Quarantine is allowed; release once the deviation is closed.
    sign(actor=cast.quinn, record=cast.lot, event="quarantined", meaning="approval",
         password=PASSWORD)
    close(cast, deviation)
    lot = Batch.objects.get(pk=cast.lot.pk)
    assert lot.open_deviations_blocker() is None
    release(cast, lot)
    assert Batch.objects.get(pk=lot.pk).status == "released"


def test_the_cdmos_own_unnotified_deviation_stays_out_of_the_sponsors_sight(cast, login):
    report(cast, notify_sponsor=False)
    page = login(cast.quinn).get(cast.lot.get_absolute_url()).content.decode()
    assert "DEV-2500" not in page and "No deviation names this lot" in page
    assert "DEV-2500" in login(cast.rita).get(cast.lot.get_absolute_url()).content.decode()
    assert Batch.objects.get(pk=cast.lot.pk).open_deviations_blocker() is None


def test_a_lot_with_a_deviation_is_not_right_first_time(cast):
    report(cast)
    lot = Batch.objects.get(pk=cast.lot.pk)
    Batch.objects.filter(pk=lot.pk).update(status="released", disposed_at=NOW)
    today = timezone.localdate()
    rates = batch_selectors.batch_quality_rates(user=cast.quinn, partnership=cast.acme_contoso,
                                                start=today, end=today)
    assert (rates["released"], rates["right_first_time"]) == (1, 0)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lots_page_lists_its_deviations_in_pinned_queries(cast, login):
    client = login(cast.quinn)
    report(cast)
    _queries(client, cast.lot.get_absolute_url())
    small = _queries(client, cast.lot.get_absolute_url())
    for n in range(12):
        report(cast, reference=f"DEV-26{n:02}")
    page = client.get(cast.lot.get_absolute_url()).content.decode()
    assert page.count('href="/p/') and "All the deviations naming lot" in page
    assert _queries(client, cast.lot.get_absolute_url()) == small
