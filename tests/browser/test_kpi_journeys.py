"""A KPI in two browsers: Nora drafts it and submits it for sign-off, Nora and Mei sign it
off (agreed); Mei enters last month's value (a month, its numerator and denominator: the
value is worked out), submits and shares it; Nora disputes it, Mei corrects it with her
reason, Nora accepts it and publishes it under her signature — and the value's page shows
both sides' words."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.models import KPIDefinition, KPIMeasurement
from partnership.models import Partnership
from tests.browser.login import log_in
from tests.browser.test_journeys import sign

pytestmark = pytest.mark.browser


def test_a_kpi_agreed_disputed_corrected_and_published(page, browser, demo):
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}/p/{partnership.pk}/")
    page.get_by_role("navigation", name="Partnership").get_by_role("link", name="KPIs").click()
    page.get_by_role("link", name="Draft a KPI").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_label("Name")).to_be_focused()  # the key is made from it
    dialog.get_by_label("Name").fill("Process yield")
    dialog.get_by_label("Formula in words").fill("Drug substance made ÷ theoretical × 100.")
    dialog.get_by_label("Unit").fill("%")
    dialog.get_by_label("Direction").select_option("higher")
    dialog.get_by_label("Target").fill("90")
    dialog.get_by_label("Amber threshold").fill("85")
    dialog.get_by_label("Red threshold").fill("80")
    dialog.get_by_label("Reporting party").select_option("cdmo")
    dialog.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name="Process yield")).to_be_visible()
    page.get_by_role("link", name="Submit for sign-off").click()
    page.locator("dialog[open]").get_by_role("button", name="Submit for sign-off").click()
    sign(page, "Sign: kpi definition agreed", "Approved", "Nora Lindqvist")

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(page.url)
    sign(cdmo, "Sign: kpi definition agreed", "Approved", "Mei Chen")
    expect(cdmo.get_by_text("Agreed", exact=True).first).to_be_visible()
    definition = KPIDefinition.objects.get(partnership=partnership, key="process-yield")
    assert definition.status == "agreed"

    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(
        day=1)
    cdmo.get_by_role("link", name="Enter a value").click()
    entry = cdmo.locator("dialog[open]")
    expect(entry.get_by_label("Period")).to_be_focused()  # the KPI is chosen already
    entry.get_by_label("Period").fill(f"{last_month:%Y-%m}")
    entry.get_by_label("Numerator").fill("23")  # the value is worked out from the two
    entry.get_by_label("Denominator").fill("25")
    entry.get_by_role("button", name="Save as draft").click()
    expect(cdmo.get_by_test_id("value")).to_contain_text("92")
    for step in ("Submit the value", "Share for review"):
        cdmo.get_by_role("link", name=step, exact=True).click()
        cdmo.locator("dialog[open]").get_by_role("button", name=step, exact=True).click()
        expect(cdmo.locator("dialog[open]")).to_have_count(0)
    value_url = cdmo.url

    page.goto(value_url)
    page.get_by_role("link", name="Dispute the value", exact=True).click()
    dispute = page.locator("dialog[open]")
    dispute.get_by_label("Your words").fill("Lot 12 was reprocessed: 22 of 25.")
    dispute.get_by_role("button", name="Dispute the value").click()
    expect(page.get_by_test_id("review-thread")).to_contain_text("Lot 12 was reprocessed")

    cdmo.reload()
    cdmo.get_by_role("link", name="Correct the value").click()
    correction = cdmo.locator("dialog[open]")
    correction.get_by_role("spinbutton", name="Value").fill("88")
    correction.get_by_label("Numerator").fill("22")
    correction.get_by_label("Why the value is corrected").fill("Agreed: lot 12 counts.")
    correction.get_by_role("button", name="Correct the value").click()
    expect(cdmo.get_by_test_id("review-thread")).to_contain_text("Agreed: lot 12 counts.")

    page.reload()
    page.get_by_role("link", name="Accept the value").click()
    page.locator("dialog[open]").get_by_role("button", name="Accept the value").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    sign(page, "Sign: kpi value published", "Approved", "Nora Lindqvist")
    thread = page.get_by_test_id("review-thread")
    expect(thread).to_contain_text("Lot 12 was reprocessed")
    expect(thread).to_contain_text("Agreed: lot 12 counts.")
    value = KPIMeasurement.objects.get(definition=definition)
    assert (value.status, str(value.value.normalize())) == ("published", "88")
