"""Strategic notices in two browsers: the CDMO posts a supply delay, the sponsor sees it
awaiting acknowledgement and acknowledges it, the CDMO then sees it acknowledged."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Notice
from governance.relationship.services import notice_post
from partnership.models import Partnership, User
from partnership.notifications.models import Notification
from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def open_notices(page):
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Notices").click()


def test_cdmo_posts_a_supply_delay_and_the_sponsor_acknowledges_it(page, browser, demo):
    log_in(page, demo, "mei@meridian.example")
    open_notices(page)
    page.get_by_role("link", name="New notice").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Internal")).to_have_count(0)  # notices are never internal
    dialog.get_by_role("button", name="Post notice").click()  # empty: errors, nothing saved
    expect(dialog.get_by_text("This field is required.").first).to_be_visible()
    dialog.get_by_label("Kind").select_option("supply_delay")
    dialog.get_by_label("Title").fill("Velarimab DS lot 5 slips two weeks")
    dialog.get_by_label(re.compile("What changes")).fill("A filter shortage delays lot 5.")
    dialog.get_by_label("Site").select_option(label="Meridian Boston (Boston)")
    dialog.get_by_role("button", name="Post notice").click()
    expect(page.get_by_role("heading", name="Velarimab DS lot 5 slips two weeks")
           ).to_be_visible()
    expect(page.locator("#notice-status")).to_have_text("Awaiting acknowledgement")
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)  # not hers
    notice = Notice.objects.get(title="Velarimab DS lot 5 slips two weeks")
    assert Notification.objects.filter(kind="notice_posted", url=notice.get_absolute_url(),
                                       recipient__email="nora@northwind.example").exists()

    # Aurora's notice to Northwind also awaits Nora, but in her other partnership.
    notice_post(actor=User.objects.get(email="ari@aurora.example"),
                partnership=Partnership.objects.get(cdmo__name="Aurora Analytical Labs"),
                kind="other", title="Aurora Milan moves to a new LIMS",
                body="From March.")
    sponsor = browser.new_context().new_page()
    log_in(sponsor, demo, "nora@northwind.example")
    open_notices(sponsor)
    results = sponsor.locator("#results")
    expect(results).to_contain_text("Meridian Cape Town closes on 30 June 2027")  # acknowledged
    expect(results).not_to_contain_text("Stability pulls move to a yearly plan")  # other pair
    sponsor.get_by_label("Acknowledgement").select_option("true")
    expect(sponsor).to_have_url(re.compile(r"awaiting=true"))
    expect(results).to_contain_text("Velarimab DS lot 5 slips two weeks")
    expect(results).not_to_contain_text("Meridian Cape Town closes")  # the filter works
    expect(results).not_to_contain_text("Aurora Milan moves to a new LIMS")  # other pair
    results.get_by_role("link", name="Velarimab DS lot 5 slips two weeks").click()
    expect(sponsor.get_by_text("A filter shortage delays lot 5.", exact=True)).to_be_visible()
    sponsor.get_by_role("button", name="Acknowledge").click()
    expect(sponsor.get_by_text("You acknowledged")).to_be_visible()
    expect(sponsor.locator("#notice-status")).to_have_text("Acknowledged")
    expect(sponsor.get_by_role("button", name="Acknowledge")).to_have_count(0)

    page.reload()
    expect(page.locator("#notice-status")).to_have_text("Acknowledged")
    expect(page.get_by_text(re.compile(r"By Nora Lindqvist \(Northwind Biologics\)"))
           ).to_be_visible()
    assert Notification.objects.filter(kind="notice_acknowledged",
                                       recipient__email="mei@meridian.example",
                                       url=notice.get_absolute_url()).count() == 1
