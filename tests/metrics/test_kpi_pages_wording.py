"""The KPI pages as a newcomer reads them: "Adopt standard KPIs" only while the library has
one left, figures with their unit and two decimals at most, a draft's step called Submit,
"Back to draft" not the primary button, the review window said once on a value's page, no
KPI filter on one KPI's page, and a value named by its KPI and period in recent activity."""

from decimal import Decimal

import pytest
from django.urls import reverse

from governance.overview.selectors import recent_activity
from metrics.kpis import library
from metrics.kpis import services as kpi_services
from metrics.measurements import services
from metrics.periods import label
from metrics.templatetags.kpis import kpi_change
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi, shared_value


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def kpis_page(login, user, world) -> str:
    return login(user).get(reverse("metrics:kpidefinition_list",
                                   args=[world.acme_contoso.pk])).content.decode()


def test_adopt_is_offered_only_while_a_standard_is_left(world, login):
    adopt = reverse("metrics:kpidefinition_adopt", args=[world.acme_contoso.pk])
    assert f'href="{adopt}"' in kpis_page(login, world.alice, world)
    kpi_services.kpi_definitions_adopt(actor=world.alice, partnership=world.acme_contoso,
                                       keys=[s.key for s in library.STANDARD[1:]])
    form = login(world.alice).get(adopt).content.decode()
    assert f'value="{library.STANDARD[0].key}"' in form
    assert f'value="{library.STANDARD[1].key}"' not in form  # adopted already
    kpi_services.kpi_definitions_adopt(actor=world.alice, partnership=world.acme_contoso,
                                       keys=[library.STANDARD[0].key])
    page = kpis_page(login, world.alice, world)
    assert f'href="{adopt}"' not in page and 'data-testid="all-adopted"' in page
    answer = login(world.alice).get(adopt, follow=True)
    assert "already adopted" in answer.content.decode()
    assert login(world.vera).get(adopt).status_code == 403  # a viewer: refused as before


def test_figures_show_their_unit_and_two_decimals_at_most(world, login):
    definition = agreed_kpi(world)
    value = shared_value(world, definition, value="91.6667", numerator="11",
                         denominator="12")
    for url in (value.get_absolute_url(), definition.get_absolute_url()):
        page = login(world.alice).get(url).content.decode()
        assert "91.67 %" in page and "91.6667" not in page, url
    assert "95 %" in login(world.alice).get(definition.get_absolute_url()).content.decode()
    history = login(world.bob).get(value.get_absolute_url()).content.decode()
    assert "11.0000" not in history and "Numerator" in history  # exact, no stored zeros


def test_the_value_page_says_the_review_window_once(world, login):
    value = shared_value(world, agreed_kpi(world))
    page = login(world.alice).get(value.get_absolute_url()).content.decode()
    assert page.count("may still comment or dispute") == 1


def test_a_draft_is_submitted_and_back_to_draft_is_no_primary_button(world, login):
    definition = agreed_kpi(world)
    services.kpi_measurement_create(actor=world.bob, definition=definition, period=LAST_MONTH,
                                    value=Decimal("92"))
    awaiting = kpis_page(login, world.bob, world).split('data-testid="awaiting-me"')[1]
    assert "<li>Submit <a" in awaiting and "<li>Share <a" not in awaiting
    [draft] = kpi_services.kpi_definitions_adopt(
        actor=world.alice, partnership=world.acme_contoso, keys=["capa-on-time"])
    kpi_services.kpi_definition_step(actor=world.alice, definition=draft, step="submit")
    page = login(world.alice).get(draft.get_absolute_url()).content.decode()
    reopen = page.split("/reopen/")[0].rsplit("<a ", 1)[1]
    assert "btn-outline-secondary" in reopen and "btn-primary" not in reopen


def test_one_kpis_page_has_no_kpi_filter(world, login):
    definition = agreed_kpi(world)
    page = login(world.alice).get(definition.get_absolute_url()).content.decode()
    assert 'name="status"' in page and 'name="key"' not in page


def test_recent_activity_names_a_value_by_its_kpi_and_period(world):
    value = shared_value(world, agreed_kpi(world))
    rows = recent_activity(user=world.alice, partnership=world.acme_contoso)
    labels = [row["label"] for row in rows if row["kind"] == "KPI value"]
    assert f"On-time delivery, {label(LAST_MONTH, 'monthly')}" in labels, rows
    assert value.key not in labels


@pytest.mark.parametrize("latest, previous, direction, unit, arrow, text, css", [
    ("92.1", "90", "higher", "%", "▲", "2.1 pts", "text-success"),
    ("92.1", "90", "lower", "%", "▲", "2.1 pts", "text-danger"),
    ("12", "15", "lower", "days", "▼", "3 days", "text-success"),
    ("90", "90.001", "higher", "%", "=", "no change", "text-body-secondary"),
])
def test_a_trend_says_its_way_its_size_with_the_unit_and_colours_by_direction(
        latest, previous, direction, unit, arrow, text, css):
    change = kpi_change(Decimal(latest), Decimal(previous), direction, unit)
    assert (change["arrow"], change["text"], change["css"]) == (arrow, text, css)
    assert kpi_change(Decimal(latest), "", direction, unit) is None  # one value: no trend
