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


def test_the_top_bar_type_ahead_opens_a_record_from_the_keyboard(browser, demo):
    """At desk width: "/" focuses the top bar's box, a near-miss typed there lists the best
    matches, the arrow keys move through them and Enter opens the one chosen; Ctrl-K
    focuses the box from anywhere, Escape closes the list. Mei meets nothing of Helix."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, demo, "mei@meridian.example")
    box, listbox = page.locator("#topbar-search"), page.locator("#topbar-suggestions")
    page.locator("h1").first.click()  # the focus on the page, not in a field
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the slash focused the box; it was not typed
    box.press_sequentially("velarimb", delay=40)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Velarimab")
    expect(listbox).not_to_contain_text("Helix")
    assert 2 <= options.count() <= 9  # the best eight at most, and "All results"
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "topbar-option-2")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    target = options.first.get_attribute("href")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", name=re.compile("Velarimab"))).to_be_visible()

    page.locator("h1").first.click()
    page.keyboard.press("Control+k")
    expect(page.locator("#topbar-search")).to_be_focused()
    page.locator("#topbar-search").press_sequentially("Tomas", delay=40)
    expect(page.locator("#topbar-suggestions")).to_contain_text("Tomas Berg")
    page.locator("#topbar-search").press("Escape")
    expect(page.locator("#topbar-suggestions")).to_be_hidden()
    page.locator("#topbar-search").press("Enter")  # no option chosen: the search page
    expect(page).to_have_url(re.compile(r"/search/\?q=Tomas$"))
    expect(page.locator("#results")).to_contain_text("Tomas Berg")


def test_on_a_phone_the_shortcut_opens_the_navigation_to_reach_the_box(browser, demo):
    """At 390 px the box sits in the collapsed navigation: "/" opens it and focuses the box,
    without typing the slash."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, demo, "mei@meridian.example")
    box = page.locator("#topbar-search")
    expect(box).to_be_hidden()
    page.locator("h1").first.click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")
