"""My work past its 50 rows of a kind, by keyboard only (Playwright, the demo world): the
link to all of a kind and the page links swap the list they sit in, and the focus goes on
from the new list's heading rather than falling back to the top of the page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from governance.models import ActionItem
from partnership.models import Partnership
from tests.browser.login import log_in, settle

pytestmark = pytest.mark.browser


def test_see_all_and_next_keep_the_focus_in_the_list(browser, demo):
    nora = get_user_model().objects.get(email="nora@northwind.example")
    partnership = Partnership.objects.get(sponsor__name__startswith="Northwind",
                                          cdmo__name__startswith="Meridian")
    today = datetime.date.today()
    ActionItem.objects.bulk_create(
        ActionItem(partnership=partnership, author_organization=partnership.sponsor,
                   title=f"Walk action {n:02}", owner=nora,
                   due_date=today + datetime.timedelta(days=30 + n))
        for n in range(60))
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}/my-work/")
    settle(page, page.url)
    see_all = page.get_by_role("link", name="See all")
    see_all.focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="open actions you own, the earliest due first")
    expect(heading).to_be_focused()
    next_page = page.locator("#results nav").get_by_role("link", name="Next")
    next_page.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo}/my-work/?kind=actions&page=2")
    expect(heading).to_be_focused()
    # Tab goes on from the heading: the first row's link, not the top bar's.
    page.keyboard.press("Tab")
    expect(page.locator("#results tbody a").first).to_be_focused()
