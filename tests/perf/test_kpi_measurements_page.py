"""The KPI values' API list reads its default order (newest period first) partnership by
partnership (metrics.measurements.selectors.newest_first): the same rows, in the same order,
on every page, as sorting the whole list would give."""

import pytest
from rest_framework.test import APIClient

from metrics.measurements import selectors
from metrics.models import KPIMeasurement
from tests.perf.test_api_lists import copies, more_partnerships

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(world):
    """Alice's values in six partnerships, in periods that interleave."""
    mine = list(KPIMeasurement.objects.filter(partnership=world.acme_contoso)[:2])
    assert mine, "the world holds a KPI value"
    copies(mine, 30, more_partnerships(world, 5))
    return world


def ids(client, query: str) -> list[int]:
    rows, url = [], f"/api/v1/kpi-measurements/?{query}"
    while url:
        page = client.get(url).json()
        rows += [row["id"] for row in page["results"]]
        url = page["next"]
    return rows


@pytest.mark.parametrize("depth", [200, 12])
def test_every_page_holds_the_rows_of_the_whole_sort(values, monkeypatch, depth):
    monkeypatch.setattr(selectors, "NEWEST_FIRST_DEPTH", depth)  # 12: past it, the plain way
    client = APIClient()
    client.force_login(values.alice)
    expected = list(selectors.kpi_measurement_list(user=values.alice).order_by(
        "-period", "-pk").values_list("pk", flat=True))
    assert len(expected) > 30
    assert ids(client, "page_size=7") == expected
    assert ids(client, "page_size=7&ordering=-period") == expected
    oldest_first = list(selectors.kpi_measurement_list(user=values.alice).order_by(
        "period", "pk").values_list("pk", flat=True))
    assert ids(client, "page_size=7&ordering=period") == oldest_first
    one = list(selectors.kpi_measurement_list(
        user=values.alice, partnership=values.acme_contoso).order_by(
        "-period", "-pk").values_list("pk", flat=True))
    assert ids(client, f"page_size=3&partnership={values.acme_contoso.pk}") == one


def test_the_other_party_reads_only_its_own_rows(values):
    """Bob (the CDMO's, one partnership) reads what the scoped list gives him, no more."""
    client = APIClient()
    client.force_login(values.bob)
    expected = list(selectors.kpi_measurement_list(user=values.bob).order_by(
        "-period", "-pk").values_list("pk", flat=True))
    assert ids(client, "page_size=4") == expected
