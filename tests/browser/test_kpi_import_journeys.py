"""A spreadsheet of KPI values in the browser: Mei (Meridian, which reports the KPI)
downloads the template, uploads a CSV of two months, and watches the import's progress bar
fill until the job — run by a real worker — is done and links the draft values."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from metrics.periods import previous_period
from partnership.models import Partnership
from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def _free_months(definition, count: int) -> list[datetime.date]:
    """Ended months of the KPI's series that hold no value yet (the demo fills two years)."""
    taken = set(KPIMeasurement.objects.filter(partnership=definition.partnership,
                                              key=definition.key).values_list("period",
                                                                              flat=True))
    period, free = timezone.localdate().replace(day=1), []
    while len(free) < count:
        period = previous_period(period, "monthly")
        if period not in taken:
            free.append(period)
    return free


def test_a_csv_import_fills_its_progress_bar_until_done(page, demo, celery_worker, tmp_path):
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    definition = KPIDefinition.objects.filter(
        partnership=partnership, status="agreed", data_source="entered", frequency="monthly",
        reporting_party="cdmo").order_by("key").first()
    assert definition is not None, "the demo has no monthly KPI Meridian reports"
    months = _free_months(definition, 2)
    sheet = tmp_path / "kpi-values.csv"
    sheet.write_text("KPI key,Period,Value,Numerator,Denominator,Comment\n" + "".join(
        f"{definition.key},{period:%Y-%m},{value},,,From the monthly report\n"
        for period, value in zip(months, ("12", "14"), strict=True)))

    log_in(page, demo, "mei@meridian.example")
    page.goto(f"{demo}/p/{partnership.pk}/kpis/")
    page.get_by_role("link", name="Import values").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_role("link", name="Download the template (CSV)")).to_be_visible()
    dialog.get_by_label("Spreadsheet").set_input_files(str(sheet))
    dialog.get_by_role("button", name="Upload and import").click()

    progress = page.get_by_test_id("import-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-status", "done")  # htmx polled it there
    expect(page.get_by_test_id("import-bar")).to_have_attribute("value", "100")
    values = page.get_by_test_id("import-values")
    expect(values).to_contain_text("2 values entered as drafts")
    values.get_by_role("link").first.click()
    expect(page.get_by_test_id("value")).to_be_visible()
    assert KPIMeasurement.objects.filter(partnership=partnership, key=definition.key,
                                         period__in=months, status="draft").count() == 2
