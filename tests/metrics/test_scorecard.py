"""The partnership scorecard: the selector's figures (latest published value, its red /
amber / green under its own version, trend order, the range), the page (tiles, charts'
data, filters, empty state, bad input), the home's KPI tiles, and a fixed number of
queries however many KPIs and values there are."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.kpis import library
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from metrics.scorecard import charts, selectors
from metrics.scorecard.forms import ScorecardFilterForm
from tests.metrics.helpers import (
    LAST_MONTH,
    add_cast,
    agreed,
    agreed_kpi,
    month,
    publish,
    shared_value,
)


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def tile_of(tiles, key):
    return next(tile for tile in tiles if tile.definition.key == key)


def test_each_agreed_kpi_has_its_latest_published_value_rag_and_trend(world):
    delivery = agreed_kpi(world)  # higher is better: target 95, amber < 90, red < 80
    publish(world, delivery, {3: "97", 2: "85", 1: "78"})  # green, amber, red
    shared_value(world, delivery, value="99", numerator="99", denominator="100")
    agreed_kpi(world, key="capa-on-time")
    tiles = selectors.scorecard(user=world.alice, partnership=world.acme_contoso)
    tile = tile_of(tiles, "on-time-delivery")
    # Oldest first; the value shared for review (last month) is not on the scorecard.
    assert [point.period for point in tile.points] == [month(3), month(2), month(1)]
    assert [point.value for point in tile.points] == [Decimal(97), Decimal(85), Decimal(78)]
    assert [point.rag for point in tile.points] == ["green", "amber", "red"]
    assert (tile.latest.value, tile.latest.period, tile.rag) == (Decimal(78), month(1), "red")
    assert tile_of(tiles, "capa-on-time").latest is None
    assert tile_of(tiles, "capa-on-time").rag is None
    assert [t.definition.name for t in tiles] == sorted(t.definition.name for t in tiles)
    # Both parties see the same numbers.
    theirs = selectors.scorecard(user=world.bob, partnership=world.acme_contoso)
    assert [(t.definition.key, t.points) for t in theirs] == \
        [(t.definition.key, t.points) for t in tiles]
    assert selectors.scorecard(user=world.dave, partnership=world.acme_contoso) == []


def test_a_value_is_judged_under_the_version_it_was_measured_under(world):
    first = agreed_kpi(world)
    publish(world, first, {2: "88"})  # amber under v1 (amber below 90)
    KPIDefinition.objects.filter(pk=first.pk).update(status="superseded")
    second = KPIDefinition.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=world.alice,
        key=first.key, version=2, name=first.name, formula=first.formula, unit="%",
        direction="higher", target=85, amber_threshold=80, red_threshold=70,
        reporting_party="cdmo", status="agreed", supersedes=first)
    publish(world, second, {1: "84"})  # green under v2 (below the target, above amber)
    tile = tile_of(selectors.scorecard(user=world.alice, partnership=world.acme_contoso),
                   first.key)
    assert tile.definition == second
    assert [(point.version, point.rag) for point in tile.points] == [(1, "amber"), (2, "green")]


def test_the_range_bounds_the_values_and_counts_a_quarter_that_overlaps_it(world):
    delivery = agreed_kpi(world)
    publish(world, delivery, {offset: "96" for offset in range(15)})
    tiles = selectors.scorecard(user=world.alice, partnership=world.acme_contoso)
    assert len(tile_of(tiles, delivery.key).points) == 12  # the default: twelve months
    tiles = selectors.scorecard(user=world.alice, partnership=world.acme_contoso,
                                start=month(5), end=month(2) + datetime.timedelta(days=9))
    assert [p.period for p in tile_of(tiles, delivery.key).points] == [
        month(5), month(4), month(3), month(2)]
    quarterly = agreed(world, library.Standard(
        "findings-per-audit", "Findings per audit", "Findings ÷ audits.", "per audit", "lower",
        Decimal(2), Decimal(3), Decimal(5), frequency="quarterly"))
    quarter = datetime.date(2025, 4, 1)
    KPIMeasurement.objects.create(
        partnership=world.acme_contoso, author_organization=world.contoso, created_by=world.bob,
        definition=quarterly, key=quarterly.key, period=quarter, value=4, status="published")
    tiles = selectors.scorecard(user=world.alice, partnership=world.acme_contoso,
                                start=datetime.date(2025, 5, 1), end=datetime.date(2025, 12, 1))
    [point] = tile_of(tiles, quarterly.key).points
    assert (point.period, point.label, point.rag) == (quarter, "Q2 2025", "amber")


def test_a_sparkline_runs_oldest_first_with_the_target_in_its_box(world):
    delivery = agreed_kpi(world)
    publish(world, delivery, {2: "80", 1: "100"})
    tile = tile_of(selectors.scorecard(user=world.alice, partnership=world.acme_contoso),
                   delivery.key)
    line = charts.sparkline(tile.points, tile.definition.target)
    (x1, y1), (x2, y2) = [map(float, pair.split(",")) for pair in line["points"].split()]
    assert x1 < x2 and y1 > y2  # rising: SVG's y grows downwards
    assert y2 < line["target"] < y1  # the target 95 between 80 and 100
    assert line["last"] == (x2, y2)
    [data] = charts.chart_data([tile])
    assert (data["values"], data["rags"], data["target"]) == ([80.0, 100.0],
                                                              ["amber", "green"], 95.0)
    publish(world, agreed_kpi(world, key="capa-on-time"), {1: "90"})
    single = tile_of(selectors.scorecard(user=world.alice, partnership=world.acme_contoso),
                     "capa-on-time")
    # one value is no trend
    assert charts.sparkline(single.points, single.definition.target) is None


def test_the_page_shows_tiles_charts_and_the_same_numbers_to_both_parties(world, login):
    delivery = agreed_kpi(world)
    publish(world, delivery, {3: "97", 2: "85", 1: "78"})
    url = reverse("metrics:kpi_scorecard", args=[world.acme_contoso.pk])
    pages = [login(person).get(url) for person in (world.alice, world.bob, world.vera)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    page = pages[0].content.decode()
    assert 'data-key="on-time-delivery" data-rag="red"' in page
    assert "78&nbsp;%" in page and 'data-testid="sparkline"' in page
    # Where amber starts is on the tile: the walk read 94.74 % "Green" beside "target 95 %".
    assert "target 95&nbsp;% · amber past 90" in page
    assert 'data-scorecard-chart="on-time-delivery"' in page
    data = json.loads(page.split('id="scorecard-data" type="application/json">')[1]
                      .split("</script>")[0])
    assert [kpi["values"] for kpi in data if kpi["key"] == delivery.key] == [[97.0, 85.0, 78.0]]
    assert "chart.js-4.5.1/chart.umd.min.js" in page and "<script>" not in page
    assert 'aria-current="page" href="' + url in page  # its place in the side navigation
    for other in pages[1:]:
        body = other.content.decode()
        assert body.split('id="scorecard-data"')[1] == page.split('id="scorecard-data"')[1]
    export = reverse("metrics:kpidefinition_export", args=[world.acme_contoso.pk,
                                                           delivery.pk, "xlsx"])
    assert export in page


def test_the_page_says_what_to_do_when_nothing_is_published(world, login):
    url = reverse("metrics:kpi_scorecard", args=[world.acme_contoso.pk])
    page = login(world.alice).get(url).content.decode()
    assert 'data-testid="scorecard-empty"' in page and "scorecard-data" not in page
    assert "chart.umd.min.js" not in page  # no chart: no chart library
    assert "Acme–Contoso supply agreement on-time delivery" in page  # agreed, no value yet


@pytest.mark.parametrize(("query", "field"), [
    ({"start": "2026-13"}, "start"), ({"start": "1850-01"}, "start"),
    ({"start": "2025-06", "end": "2025-01"}, "end"),
    ({"start": "2020-01", "end": "2025-01"}, "start")])
def test_a_bad_range_answers_400_with_the_fields_error(world, login, query, field):
    response = login(world.alice).get(
        reverse("metrics:kpi_scorecard", args=[world.acme_contoso.pk]), query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode()


def test_the_filter_fills_a_missing_end_of_the_range():
    form = ScorecardFilterForm({"end": "2025-06"})
    assert form.is_valid()
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (
        datetime.date(2024, 7, 1), datetime.date(2025, 6, 1))
    form = ScorecardFilterForm({})
    assert form.is_valid() and form.cleaned_data["end"] == LAST_MONTH


def test_the_home_shows_the_kpi_tiles_linking_to_the_scorecard(world, login):
    publish(world, agreed_kpi(world), {2: "97", 1: "85"})
    page = login(world.bob).get(world.acme_contoso.get_absolute_url()).content.decode()
    card = page.split('data-testid="kpi-card"')[1].split("</section>")[0]
    assert 'data-key="on-time-delivery" data-rag="amber"' in card
    assert reverse("metrics:kpi_scorecard", args=[world.acme_contoso.pk]) in card
    assert 'data-testid="sparkline"' in card


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_scorecard_and_the_home_keep_their_number_of_queries(world, login):
    """24 months × every standard KPI against one KPI with two values: the same queries."""
    client = login(world.alice)
    scorecard = reverse("metrics:kpi_scorecard", args=[world.acme_contoso.pk])
    wide = f"{scorecard}?start={month(23):%Y-%m}&end={month(0):%Y-%m}"
    home = world.acme_contoso.get_absolute_url()
    delivery = agreed(world, library.BY_KEY["on-time-delivery"])
    publish(world, delivery, {1: "90", 0: "96"})
    for url in (scorecard, home):
        _queries(client, url)  # the session and the content types' cache, warmed once
    small = [_queries(client, url) for url in (scorecard, wide, home)]
    publish(world, delivery, {offset: str(70 + offset) for offset in range(2, 24)})
    for standard in library.STANDARD:
        if standard.key != delivery.key:
            publish(world, agreed(world, standard),
                    {offset: str(offset % 9) for offset in range(24)})
    assert KPIMeasurement.objects.filter(partnership=world.acme_contoso,
                                         status="published").count() == \
        len(library.STANDARD) * 24
    large = [_queries(client, url) for url in (scorecard, wide, home)]
    assert large == small, (small, large)
    page = client.get(wide).content.decode()
    assert page.count('data-testid="kpi-tile"') == len(library.STANDARD) + 1  # + the world's
    rags = {rag for rag in ("green", "amber", "red") if f'data-rag="{rag}"' in page}
    assert rags == {"green", "amber", "red"}


@pytest.mark.parametrize(("value", "shown"), [("94.4444", "94.44"), ("0.4000", "0.4"),
                                              ("100.0000", "100"), ("0", "0")])
def test_a_tile_shows_two_decimals_at_most(value, shown):
    point = selectors.Point(period=LAST_MONTH, label="", value=Decimal(value), rag=None, pk=1,
                            version=1)
    assert point.shown == shown
