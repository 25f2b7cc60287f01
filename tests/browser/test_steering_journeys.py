"""The steering committee's journey in the browser, at a desk and at a phone's width
(390 px): Sam logs in and lands on his steering page, reads the scorecard, opens the
portfolio, then asks for Northwind–Meridian's steering pack, which a real worker makes,
and downloads it. No page scrolls sideways on the phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in, settle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


@pytest.fixture(params=["desk", "phone"])
def screen(request, browser):
    context = browser.new_context(viewport=DESK if request.param == "desk" else PHONE,
                                  accept_downloads=True)
    page = context.new_page()
    page.phone = request.param == "phone"
    yield page
    context.close()


def _top_bar_link(page, name):
    if page.phone:
        page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def _fits(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in {widths[1]} px"


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
    _fits(screen)

    _top_bar_link(screen, "Portfolio")
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
    _fits(screen)
