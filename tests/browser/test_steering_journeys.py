"""The steering committee's journey in the browser, at a desk and at a phone's width
(390 px): Sam logs in and lands on his steering page, reads the scorecard, opens the
portfolio, then asks for Northwind–Meridian's steering pack, which a real worker makes,
and downloads it. No page scrolls sideways on the phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in, settle
from tests.browser.screens import assert_fits, top_bar_link

pytestmark = pytest.mark.browser

def test_sam_lands_on_his_page_reads_it_and_downloads_the_pack(screen, demo, celery_worker):
    """`celery_worker` after `demo`: the pack's job, queued when Sam's ask commits in the
    live server, runs on a real worker."""
    log_in(screen, demo, "sam@northwind.example")
    expect(screen.get_by_role("heading", name="Steering committee")).to_be_visible()
    scorecard = screen.get_by_test_id("steering-scorecard")
    delivery = scorecard.locator('[data-kpi="on-time-delivery"]')
    expect(delivery).to_have_count(2)  # Meridian's and Aurora's
    expect(delivery.first.locator("[data-rag]")).to_be_visible()
    expect(screen.get_by_text("Helix")).to_have_count(0)
    for section in ("steering-escalations", "steering-over-budget", "steering-awaiting",
                    "steering-risks", "steering-health"):
        expect(screen.get_by_test_id(section)).to_be_visible()
    settle(screen, screen.url)
    assert_fits(screen)

    top_bar_link(screen, "Portfolio")
    expect(screen.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    expect(screen.locator('[data-kpi="on-time-delivery"] tbody tr')).to_have_count(2)
    screen.go_back()

    screen.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first \
        .click()
    expect(screen.get_by_test_id("steering-packs")).to_be_visible()
    screen.get_by_role("link", name="Ask for a steering pack (PDF)").click()
    screen.get_by_role("button", name="Make the pack").click()
    expect(screen.get_by_text("The pack is being made")).to_be_visible()
    download_link = screen.get_by_test_id("pack-download").first
    for _attempt in range(20):  # the worker makes it in a moment: reload until it shows
        if download_link.count():
            break
        screen.wait_for_timeout(500)
        screen.reload()
    expect(download_link).to_be_visible()
    with screen.expect_download() as pending:
        download_link.click()
    download = pending.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert_fits(screen)
