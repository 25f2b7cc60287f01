"""The audit programme in two browsers: Northwind's QA lead plans an audit of a Meridian
site, Meridian's QA lead confirms its dates, and it shows on the audit calendar."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.login import log_in

pytestmark = pytest.mark.browser

NM = "Northwind Biologics – Meridian Biomanufacturing"
SCOPE = "Warehouse temperature mapping and QC microbiology (EM trending, media fills)"


def test_sponsor_plans_an_audit_the_cdmo_confirms_it_shows_on_the_calendar(page, browser,
                                                                             demo):
    first = timezone.localdate() + datetime.timedelta(days=50)
    log_in(page, demo, "quinn@northwind.example")
    page.get_by_role("link", name=NM).first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role(
        "link", name="Quality audits").click()
    page.get_by_role("link", name="Plan an audit").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Site").select_option(label="Meridian Boston (Boston)")
    dialog.get_by_label("Type").select_option("routine")
    dialog.get_by_label("Planned start").fill(first.isoformat())
    dialog.get_by_label("Planned end").fill((first + datetime.timedelta(days=1)).isoformat())
    dialog.get_by_label("Scope").fill(SCOPE)
    dialog.get_by_role("button", name="Plan the audit").click()
    expect(page.get_by_role("heading", name="Routine GMP audit of Meridian Boston")).to_be_visible()
    audit_url = page.url

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "ravi@meridian.example")
    cdmo.goto(audit_url)
    cdmo.get_by_role("link", name="Confirm the dates").click()
    cdmo.locator("dialog[open]").get_by_role("button", name="Confirm the dates").click()
    expect(cdmo.locator("header").get_by_text("Confirmed", exact=True)).to_be_visible()

    page.goto(f"{demo}/quality/calendar/?month={first:%Y-%m}")
    expect(page.locator("#calendar").get_by_role("link", name="Meridian Boston").first
           ).to_be_visible()
    page.get_by_role("link", name="List", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Routine GMP audit of Meridian Boston")
    expect(row).to_contain_text("Confirmed")
