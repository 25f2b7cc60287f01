"""An organization admin's pages (Playwright, the demo world): Olga, Meridian's admin,
changes a colleague's role in the dialog of the people page, and reads the load across
Meridian's partnerships."""

import pytest
from playwright.sync_api import expect

from partnership.models import Membership
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

NORTHWIND_MERIDIAN = "Northwind Biologics – Meridian Biomanufacturing"


def test_admin_changes_a_colleagues_role_and_reads_the_load(page, demo):
    log_in(page, demo, "olga@meridian.example")
    page.goto(f"{demo}/organization/people/")
    expect(page.get_by_role("heading", name="People and seats")).to_be_visible()
    tomas = page.get_by_role("row").filter(has_text="tomas@meridian.example")
    expect(tomas).to_contain_text(f"{NORTHWIND_MERIDIAN} — Member")
    tomas.get_by_role("link", name=f"Change role of Tomas Berg in {NORTHWIND_MERIDIAN}").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_role("heading", name=f"Role of Tomas Berg in {NORTHWIND_MERIDIAN}")
           ).to_be_visible()
    expect(dialog.get_by_text("Now member.")).to_be_visible()
    dialog.get_by_label("Role").select_option(label="QA lead")
    dialog.get_by_role("button", name="Save role").click()
    expect(page.get_by_role("status").filter(
        has_text=f"Role of Tomas Berg in {NORTHWIND_MERIDIAN} is now QA lead.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="tomas@meridian.example")).to_contain_text(
        f"{NORTHWIND_MERIDIAN} — QA lead")
    assert Membership.objects.get(user__email="tomas@meridian.example").role == "qa_lead"

    page.goto(f"{demo}/organization/load/")
    expect(page.get_by_role("heading", name="Load across partnerships")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # Meridian's two partnerships, and no one else's
    expect(rows.get_by_role("link", name=NORTHWIND_MERIDIAN)).to_be_visible()
    expect(rows.get_by_role("link", name="Helix Therapeutics – Meridian Biomanufacturing")
           ).to_be_visible()
    expect(page.get_by_text("Aurora")).to_have_count(0)


def test_a_person_reads_what_will_remind_them(page, demo):
    """Mei (Meridian) opens her reminders from the notification settings: the demo's
    meetings she attends and actions she owns in the next seven days, each with how she
    hears of it; nothing of Helix, the sponsor Meridian also serves."""
    log_in(page, demo, "mei@meridian.example")
    page.goto(f"{demo}/notifications/settings/")
    page.get_by_role("link", name="Your reminders in the next seven days").click()
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.filter(has_text="In the app and by e-mail right away").first).to_be_visible()
    expect(page.get_by_text("Helix")).to_have_count(0)
    page.screenshot(path="/tmp/mends_reminders.png", full_page=True)
