"""A change control in two browsers: Meridian's QA lead raises a process change and submits
it; the quality agreement says it needs the sponsor's approval, so it cannot be marked
implemented yet; Northwind's QA lead signs the approval; Meridian then marks it
implemented."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import ChangeControl
from partnership.models import Partnership, Site
from tests.browser.login import log_in
from tests.browser.test_journeys import sign

pytestmark = pytest.mark.browser


def test_change_control_approved_by_the_sponsor_then_implemented(page, browser, demo):
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    log_in(page, demo, "ravi@meridian.example")
    page.goto(f"{demo}/p/{partnership.pk}/change-controls/")
    page.get_by_role("link", name="Raise a change control").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Reference").fill("CC-2026-090")
    dialog.get_by_label("Title").fill("Single-use mixer for the Velarimab buffer preparation")
    dialog.get_by_label("Category").select_option("process")
    dialog.get_by_label("Site").select_option(str(Site.objects.get(name="Meridian Boston").pk))
    dialog.get_by_label("Program").select_option(index=1)
    dialog.get_by_label("Description").fill("Prepare the formulation buffer in a 500 L "
                                            "single-use mixer instead of the steel tank.")
    dialog.get_by_label("Rationale").fill("Frees the steel tank's cleaning slot each batch.")
    dialog.get_by_label("Proposed implementation date").fill(
        (timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    dialog.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name="CC-2026-090")).to_be_visible()
    page.get_by_role("link", name="Submit to the sponsor").click()
    page.locator("dialog[open]").get_by_role("button", name="Submit to the sponsor").click()
    expect(page.get_by_text("Awaiting the sponsor's decision").first).to_be_visible()
    expect(page.get_by_role("link", name="Mark implemented")).to_have_count(0)

    sponsor = browser.new_context().new_page()
    log_in(sponsor, demo, "quinn@northwind.example")
    sponsor.goto(page.url)
    sign(sponsor, "Approve (sign)", "Approved", "Quinn Okafor")
    expect(sponsor.get_by_test_id("decision")).to_contain_text("Approved")

    page.reload()
    page.get_by_role("link", name="Mark implemented").click()
    done = page.locator("dialog[open]")
    done.get_by_label("Evidence").fill("Mixer IQ/OQ approved; first buffer lot made in it.")
    done.get_by_role("button", name="Mark implemented").click()
    expect(page.get_by_test_id("implementation")).to_contain_text("Implemented on")
    assert ChangeControl.objects.get(reference="CC-2026-090").status == "implemented"
