"""Search as you type and the notification tabs in a real browser (Playwright, the demo
world): results follow a half-typed word, and the tab htmx switches to is the one marked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def test_results_follow_a_half_typed_word_and_tabs_say_which_is_current(browser, demo):
    page = browser.new_context().new_page()
    log_in(page, demo, "mei@meridian.example")
    page.goto(f"{demo}/search/")
    page.evaluate("window.__noReload = true")
    page.get_by_label(re.compile("^Search programs")).press_sequentially("velari", delay=50)
    expect(page.locator("#results")).to_contain_text("Velarimab PPQ campaign")
    expect(page).to_have_url(re.compile(r"\?q=velari$"))
    assert page.evaluate("window.__noReload") is True

    page.goto(f"{demo}/notifications/")
    page.evaluate("window.__noReload = true")
    unread, everything = page.locator("#tab-unread"), page.locator("#tab-all")
    expect(everything).to_have_attribute("aria-current", "page")
    unread.click()
    expect(page).to_have_url(re.compile(r"\?show=unread$"))
    expect(unread).to_have_attribute("aria-current", "page")
    expect(everything).not_to_have_attribute("aria-current", "page")
    expect(unread).to_be_focused()  # the swap keeps the focus on the tab clicked
    assert page.evaluate("window.__noReload") is True
