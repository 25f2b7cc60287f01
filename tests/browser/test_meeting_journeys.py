"""Meetings in two browsers: the sponsor schedules and, once it has started, minutes a
meeting; the CDMO sees it in its own time zone and finds the action it was given on My work."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Meeting
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

NM = "Northwind Biologics – Meridian Biomanufacturing"


def every_page_text(request, url: str) -> str:
    """An API list whole, page after page through `next` (a page holds 200 rows at most)."""
    texts = []
    while url:
        response = request.get(url)
        assert response.ok, url
        texts.append(response.text())
        url = response.json()["next"]
    return "".join(texts)


def test_meeting_scheduled_minuted_and_action_reaches_the_cdmo(page, browser, demo):
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = datetime.datetime.combine(day, datetime.time(16, 0),
                                       zoneinfo.ZoneInfo("Europe/Zurich"))  # Nora's zone
    in_new_york = starts.astimezone(zoneinfo.ZoneInfo("America/New_York"))  # Mei's zone

    log_in(page, demo, "nora@northwind.example")
    page.get_by_role("link", name=NM).first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Meetings").click()
    page.get_by_role("link", name="New meeting").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_text("In your time zone (Europe/Zurich).")).to_be_visible()
    dialog.get_by_label("Title").fill("PPQ readiness review")
    dialog.get_by_label("Kind").select_option("operations_review")
    dialog.get_by_label("Starts").fill(f"{day.isoformat()}T16:00")
    dialog.get_by_label("Mei Chen (Meridian Biomanufacturing)").check()
    dialog.get_by_label("Ravi Iyer (Meridian Biomanufacturing)").check()
    dialog.get_by_label("Agenda").fill("1. Slot\n2. Open risks")
    dialog.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", name="PPQ readiness review")).to_be_visible()
    expect(page.get_by_test_id("viewer-time")).to_contain_text("16:00")
    meeting_url = page.url

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.get_by_role("link", name=NM).first.click()
    cdmo.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Meetings").click()
    cdmo.get_by_label("When").select_option("upcoming")
    expect(cdmo).to_have_url(re.compile(r"when=upcoming"))
    cdmo.get_by_role("link", name="PPQ readiness review").click()
    viewer_time = cdmo.get_by_test_id("viewer-time")
    expect(viewer_time).to_contain_text(in_new_york.strftime("%H:%M"))
    expect(viewer_time).to_contain_text("America/New_York")
    expect(cdmo.get_by_text("At Northwind Basel")).to_be_visible()
    expect(cdmo.get_by_text("At Meridian Boston")).to_be_visible()

    # Ten days later the meeting is under way: only then can it be minuted.
    expect(page.get_by_role("button", name="Mark held")).to_have_count(0)
    Meeting.objects.filter(title="PPQ readiness review").update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5))
    page.goto(meeting_url)
    page.get_by_role("textbox", name="Minutes").fill("Slot confirmed; resin risk open.")
    page.get_by_label("Action 1 title").fill("Confirm resin delivery date")
    page.get_by_label("Action 1 owner").select_option(
        label="Mei Chen (Meridian Biomanufacturing)")
    page.get_by_label("Action 1 due").fill((day + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text("Minutes recorded with 1 action.")).to_be_visible()
    expect(page.get_by_test_id("minutes")).to_contain_text("Slot confirmed")
    expect(page.get_by_text("Held").first).to_be_visible()

    cdmo.reload()
    expect(cdmo.get_by_test_id("minutes")).to_contain_text("resin risk open")
    cdmo.goto(f"{demo}/my-work/")
    cdmo.get_by_role("link", name="Confirm resin delivery date").click()
    expect(cdmo.get_by_test_id("source")).to_contain_text("PPQ readiness review")

    # Max works for Meridian too, for Helix: the meeting, its minutes and its action reach
    # none of his pages, his calendar feed, his search or his API.
    outsider = browser.new_context().new_page()
    log_in(outsider, demo, "max@meridian.example")
    outsider.goto(f"{demo}/account/profile/")
    outsider.get_by_role("button", name="Create calendar feed URL").click()
    feed_url = outsider.get_by_label("Your feed URL").input_value()
    feed = outsider.request.get(feed_url)
    assert feed.ok and "Weekly campaign check-in" in feed.text()  # his own Helix meetings
    assert "PPQ readiness review" not in feed.text()
    meetings = every_page_text(outsider.request, f"{demo}/api/v1/meetings/?page_size=20")
    actions = every_page_text(outsider.request, f"{demo}/api/v1/action-items/?page_size=20")
    assert "PPQ readiness review" not in meetings and "resin delivery" not in actions
    assert outsider.request.get(meeting_url).status == 404
    outsider.get_by_label("Search your partnerships").fill("PPQ readiness")
    outsider.get_by_label("Search your partnerships").press("Enter")
    expect(outsider.locator("#results")).to_contain_text("Nothing in your partnerships matches")
    outsider.goto(f"{demo}/my-work/")
    expect(outsider.get_by_text("Confirm resin delivery date")).to_have_count(0)
