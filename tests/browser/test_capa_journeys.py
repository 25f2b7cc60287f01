"""A deviation's CAPA in two browsers: Meridian's QA lead raises it from the deviation and
implements it; Northwind's QA lead verifies its effectiveness with an e-signature; Meridian
sees it verified."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Capa, Deviation
from tests.browser.login import log_in
from tests.browser.test_journeys import sign

pytestmark = pytest.mark.browser


def test_deviation_capa_verified_by_the_sponsors_qa_lead(page, browser, demo):
    deviation = Deviation.objects.get(reference="DEV-2291")
    log_in(page, demo, "ravi@meridian.example")
    page.goto(f"{demo}{deviation.get_absolute_url()}")
    expect(page.get_by_text("Notified in time").first).to_be_visible()
    page.get_by_role("link", name="Raise a CAPA").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Title").fill("Interlock the F2 filler on a failed weight check")
    dialog.get_by_label("Root cause").fill("The filler kept running after a failed check.")
    dialog.get_by_label("Action plan").fill("PLC interlock stops the filler; SOP-PR-019 rev. 3.")
    dialog.get_by_label("Due date").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    dialog.get_by_role("button", name="Raise the CAPA").click()
    expect(page.get_by_role("heading", name="Interlock the F2 filler")).to_be_visible()
    page.get_by_role("link", name="Start the CAPA", exact=True).click()
    page.locator("dialog[open]").get_by_role("button", name="Start the CAPA", exact=True).click()
    expect(page.get_by_test_id("capa-status")).to_contain_text("In progress")
    page.get_by_role("link", name="Mark the CAPA implemented").click()
    done = page.locator("dialog[open]")
    done.get_by_label("Effectiveness check").fill("No filling after a failed check in 40 runs.")
    done.get_by_role("button", name="Mark the CAPA implemented").click()
    expect(page.get_by_test_id("capa-status")).to_contain_text("Implemented")
    expect(page.get_by_role("link", name="Sign: capa effectiveness verified")).to_have_count(0)

    sponsor = browser.new_context().new_page()
    log_in(sponsor, demo, "quinn@northwind.example")
    sponsor.goto(page.url)
    sign(sponsor, "Sign: capa effectiveness verified", "Approved", "Quinn Okafor")
    expect(sponsor.get_by_test_id("capa-status")).to_contain_text("Effectiveness verified")

    page.reload()
    expect(page.get_by_test_id("capa-status")).to_contain_text("Effectiveness verified")
    assert Capa.objects.get(title__startswith="Interlock the F2").status == "verified"
