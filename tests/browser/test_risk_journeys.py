"""The risk register in two browsers: the sponsor enters a risk in the dialog, finds it in
its heat-map cell and filters the list by that cell; the CDMO sees the shared risk but never
the sponsor's internal one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

pytestmark = pytest.mark.browser

INTERNAL = "Meridian over-committed across its sponsors"  # Northwind's own view (3 × 3)


def open_risks(page):
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link", name="Risks").click()


def heat_cell(page, count, likelihood, impact):
    """The link of one heat-map cell, found by what it says (its count is in the name)."""
    return page.get_by_role("link", name=re.compile(
        rf"^{count} open risks? with likelihood {likelihood} and impact {impact},"))


def test_sponsor_enters_a_risk_and_filters_by_its_cell_the_cdmo_sees_it(page, browser, demo):
    log_in(page, demo, "nora@northwind.example")
    open_risks(page)
    expect(page.locator("#results")).to_contain_text(INTERNAL)  # her party's own
    expect(heat_cell(page, 0, 1, 3)).to_be_visible()
    page.get_by_role("link", name="New risk").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title").fill("Glass vial shortage")
    dialog.get_by_label("Category").select_option("supply")
    dialog.get_by_label("Likelihood").select_option("1")
    dialog.get_by_label("Impact").select_option("3")
    dialog.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("heading", name="Glass vial shortage")).to_be_visible()
    expect(page.get_by_text("Score 3 · Low")).to_be_visible()

    page.get_by_role("link", name="← Risk register").click()
    heat_cell(page, 1, 1, 3).click()
    expect(page).to_have_url(re.compile(r"likelihood=1&impact=3&status=open"))
    results = page.locator("#results")
    expect(results).to_contain_text("Glass vial shortage")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and the one risk
    expect(page.get_by_label("Likelihood", exact=True)).to_have_value("1")  # the bar agrees

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    open_risks(cdmo)
    expect(cdmo.locator("#results")).to_contain_text("Glass vial shortage")
    expect(cdmo.locator("#results")).not_to_contain_text(INTERNAL)
    expect(cdmo.locator("body")).not_to_contain_text(INTERNAL)
    expect(heat_cell(cdmo, 1, 1, 3)).to_be_visible()
    expect(heat_cell(cdmo, 0, 3, 3)).to_be_visible()  # Nora's map counts the internal one
    expect(heat_cell(page, 1, 3, 3)).to_be_visible()
