"""Computed values stored and reviewed: a draft of the reporting party with its source
links (shown only to readers who may see each record), replaced while a draft, never once
submitted; the Compute now page, the API action, the nightly job (once; in the real
worker: test_computed_job) and the value page's bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.computed.models import KPIComputation, MeasurementSource
from metrics.computed.services import computed_kpis_compute, kpi_value_compute
from metrics.measurements import services as measurement_services
from metrics.measurements.models import KPIMeasurement
from tests.metrics.computed_records import JUNE, action, at, deviation, on
from tests.metrics.helpers import add_cast, agreed_kpi
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def actions_kpi(world):
    """Action items on time: reported by the sponsor (Alice's party)."""
    return agreed_kpi(world, key="actions-on-time")


def test_an_adopted_computable_standard_is_computed(world):
    assert actions_kpi(world).data_source == "computed"
    assert agreed_kpi(world, key="on-time-delivery").data_source == "entered"


def test_a_value_is_a_draft_replaced_until_submitted_then_never_overwritten(world):
    definition = actions_kpi(world)
    action(world, on(6, 10), completed=at(6, 9))
    late = action(world, on(6, 20))
    value = kpi_value_compute(actor=world.alice, definition=definition, period=JUNE)
    assert (value.status, value.value, value.numerator, value.denominator) == \
        ("draft", Decimal("50.00"), 1, 2)
    assert value.author_organization == world.acme and "1 of 2 action items" in value.comment
    assert MeasurementSource.objects.filter(measurement=value).count() == 2
    type(late).objects.filter(pk=late.pk).update(status="done", completed_at=at(6, 19))
    again = kpi_value_compute(actor=world.alice, definition=definition, period=JUNE)
    assert again.pk == value.pk and again.value == Decimal("100.00")
    assert MeasurementSource.objects.filter(measurement=value).count() == 2
    with pytest.raises(ValidationError) as error:  # a computed value is not edited
        measurement_services.kpi_measurement_update(actor=world.alice, measurement=again,
                                                    value=Decimal(90))
    assert "value" in error.value.message_dict
    measurement_services.kpi_measurement_submit(actor=world.alice, measurement=again)
    action(world, on(6, 25))
    with pytest.raises(ValidationError) as error:
        kpi_value_compute(actor=world.alice, definition=definition, period=JUNE)
    assert "never overwritten" in error.value.message_dict["period"][0]
    again.refresh_from_db()
    assert again.value == Decimal("100.00")


def test_a_value_entered_by_hand_before_the_kpi_became_computed_is_not_replaced(world):
    from metrics.kpis import library
    from metrics.kpis import services as kpi_services
    from tests.metrics.helpers import sign_off

    terms = {**library.terms_of(library.BY_KEY["actions-on-time"]), "data_source": "entered"}
    entered = kpi_services.kpi_definition_create(actor=world.alice,
                                                 partnership=world.acme_contoso, **terms)
    entered = sign_off(kpi_services.kpi_definition_step(actor=world.alice, definition=entered,
                                                        step="submit"), world.alice, world.cole)
    by_hand = measurement_services.kpi_measurement_create(
        actor=world.alice, definition=entered, period=JUNE, value=Decimal(80),
        numerator=Decimal(4), denominator=Decimal(5))
    revision = kpi_services.kpi_definition_revise(actor=world.alice, definition=entered)
    revision = kpi_services.kpi_definition_update(actor=world.alice, definition=revision,
                                                  data_source="computed")
    computed = sign_off(kpi_services.kpi_definition_step(actor=world.alice, definition=revision,
                                                         step="submit"), world.alice, world.cole)
    action(world, on(6, 10), completed=at(6, 9))
    with pytest.raises(ValidationError) as error:
        kpi_value_compute(actor=world.alice, definition=computed, period=JUNE)
    assert "entered by hand" in error.value.message_dict["period"][0]
    by_hand.refresh_from_db()
    assert by_hand.value == 80


def test_only_the_reporting_partys_writers_compute_an_agreed_computed_kpi(world):
    definition = actions_kpi(world)
    action(world, on(6, 10), completed=at(6, 9))
    for person in (world.bob, world.vera):
        with pytest.raises(PermissionDenied):
            kpi_value_compute(actor=person, definition=definition, period=JUNE)
    entered = agreed_kpi(world, key="on-time-delivery")
    with pytest.raises(ValidationError):
        kpi_value_compute(actor=world.bob, definition=entered, period=JUNE)
    current = datetime.date.today().replace(day=1)
    for period, field in ((current, "period"), (on(6, 2), "period"), (on(1, 1), "period")):
        with pytest.raises(ValidationError) as error:  # not ended, not a period, nothing
            kpi_value_compute(actor=world.alice, definition=definition, period=period)
        assert field in error.value.message_dict
    assert not KPIMeasurement.objects.filter(key="actions-on-time").exists()


def share(actor, value) -> None:
    """The reporting party submits and shares a computed draft: the other party reads it."""
    value = measurement_services.kpi_measurement_submit(actor=actor, measurement=value)
    measurement_services.kpi_measurement_share(actor=actor, measurement=value)


def test_the_page_computes_and_lists_the_sources_each_reader_may_see(world, login):
    definition = agreed_kpi(world, key="deviations-notified-in-time")  # the CDMO reports
    deviation(world, "DEV-A", detected=at(6, 3), notify_by=at(6, 5), notified=at(6, 4))
    deviation(world, "DEV-C", detected=at(6, 26), notify_by=at(6, 28))  # the CDMO's own
    page = login(world.bob).get(definition.get_absolute_url()).content.decode()
    url = reverse("metrics:kpidefinition_compute", args=[world.acme_contoso.pk, definition.pk])
    assert url in page and url not in login(world.alice).get(
        definition.get_absolute_url()).content.decode()
    assert login(world.alice).post(url, {"period": "2025-06-01"}).status_code == 403
    assert login(world.vera).post(url, {"period": "2025-06-01"}).status_code == 403
    response = login(world.bob).post(url, {"period": "2025-06-01"})
    value = KPIMeasurement.objects.get(key=definition.key, period=JUNE)
    assert response.status_code == 302 and response.url == value.get_absolute_url()
    cdmo_page = login(world.bob).get(value.get_absolute_url()).content.decode()
    sources = cdmo_page.split('data-testid="sources"')[1].split("</section>")[0]
    assert "DEV-A" in sources and "DEV-C" in sources and "never overwritten" in sources
    assert login(world.alice).get(value.get_absolute_url()).status_code == 404  # a draft
    share(world.bob, value)
    sponsor_page = login(world.alice).get(value.get_absolute_url()).content.decode()
    sources = sponsor_page.split('data-testid="sources"')[1].split("</section>")[0]
    assert "DEV-A" in sources and "DEV-C" not in sources
    assert "only the other party sees" in sources
    read = api(world.alice).get(f"/api/v1/kpi-measurements/{value.pk}/").json()["sources"]
    assert (read["total"], read["hidden"]) == (2, 1)
    assert [record["name"] for record in read["records"]] == ["DEV-A DEV-A title"]


def test_the_page_refuses_a_period_still_running_with_a_field_error(world, login):
    definition = actions_kpi(world)
    url = reverse("metrics:kpidefinition_compute", args=[world.acme_contoso.pk, definition.pk])
    response = login(world.alice).post(url, {"period": "2025-06-01"})
    assert response.status_code == 200 and "Nothing to compute from" in response.content.decode()
    response = login(world.alice).post(url, {"period": "1999-01-01"})
    assert response.status_code == 200 and "period" in response.context["form"].errors


def test_the_api_action_computes_and_the_value_shows_its_sources(world):
    definition = actions_kpi(world)
    item = action(world, on(6, 10), completed=at(6, 9), title="Ship the CoA")
    url = f"/api/v1/kpi-definitions/{definition.pk}/compute/"
    assert api(world.bob).post(url, {"period": "2025-06-01"}, format="json").status_code == 403
    assert api(world.carol).post(url, {"period": "2025-06-01"},
                                 format="json").status_code == 404
    response = api(world.alice).post(url, {"period": "2025-06-01"}, format="json")
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["value"]) == 100 and response.json()["status"] == "draft"
    share(world.alice, KPIMeasurement.objects.get(pk=response.json()["id"]))
    read = api(world.bob).get(f"/api/v1/kpi-measurements/{response.json()['id']}/").json()
    assert read["sources"]["total"] == 1 and read["sources"]["records"][0]["name"] == str(item)
    bad = api(world.alice).post(url, {"period": "2025-06-02"}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_value_page_keeps_its_number_of_queries_whatever_the_sources(world, login):
    definition = actions_kpi(world)
    for day in (1, 2, 3):
        action(world, on(6, day), completed=at(6, day))
    value = kpi_value_compute(actor=world.alice, definition=definition, period=JUNE)
    client = login(world.alice)  # a draft: its reporting party's own
    _queries(client, value.get_absolute_url())  # the content types' cache, filled once
    small = _queries(client, value.get_absolute_url())
    for day in range(4, 30):
        action(world, on(6, day), completed=at(6, day + 1))
    kpi_value_compute(actor=world.alice, definition=definition, period=JUNE)
    large = _queries(client, value.get_absolute_url())
    assert large == small and small < 45


def test_the_nightly_job_computes_the_last_ended_period_once(world):
    definition = actions_kpi(world)
    action(world, on(6, 10), completed=at(6, 9))
    night = datetime.datetime(2025, 7, 2, 2, tzinfo=datetime.UTC)
    assert computed_kpis_compute(now=night) == 1
    assert computed_kpis_compute(now=night) == 0
    value = KPIMeasurement.objects.get(key=definition.key, period=JUNE)
    assert value.status == "draft" and value.created_by is None
    claim = KPIComputation.objects.get(partnership=world.acme_contoso, key=definition.key)
    assert claim.period == JUNE and claim.outcome == "Value stored as a draft."
    july_night = datetime.datetime(2025, 8, 1, 2, tzinfo=datetime.UTC)
    assert computed_kpis_compute(now=july_night) == 0  # nothing due in July: claimed, noted
    assert "Nothing to compute from" in KPIComputation.objects.get(
        key=definition.key, period=on(7, 1)).outcome


def test_beat_runs_the_job_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["compute-kpi-values"]
    assert entry["task"] == "metrics.computed.tasks.compute_kpi_values"
    assert entry["schedule"].hour == {2}
