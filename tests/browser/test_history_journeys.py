"""The audit trail in two browsers: the sponsor corrects an executed contract, which asks
for a reason; the CDMO opens the same contract and reads the change with its reason, the
person and the door in the contract's History."""

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def open_msa(page):
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role(
        "link", name="Contracts").click()
    page.get_by_role("link", name="MSA-NWM-2024").first.click()


def test_a_correction_of_an_executed_contract_shows_with_its_reason(page, browser, demo):
    log_in(page, demo, "nora@northwind.example")
    open_msa(page)
    page.get_by_role("link", name="Edit").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Title").fill("Master services agreement (restated)")
    dialog.get_by_role("button", name="Save").click()  # without the reason it asks for
    expect(dialog.get_by_text("This field is required.")).to_be_visible()
    dialog.get_by_label("Reason for change").fill("Restated after the 2026 audit")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="MSA-NWM-2024 Master services agreement "
                                             "(restated)")).to_be_visible()

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    open_msa(cdmo)
    cdmo.get_by_text("Show every change of this record").click()  # folded until asked for
    history = cdmo.locator("#history")
    expect(history).to_contain_text("Restated after the 2026 audit")
    expect(history).to_contain_text("Nora")
    expect(history).to_contain_text("Master services agreement → Master services agreement "
                                    "(restated)")
    expect(history).to_contain_text("Renewal notice lengthened")  # the seed's, as a command
