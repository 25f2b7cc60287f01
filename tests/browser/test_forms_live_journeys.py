"""Forms that help and pages that follow the record, in the browser (the demo world).

Nora's refused dialog puts the focus on its error summary, whose links move it to the
fields; the minutes take as many action rows as the meeting decided, each with its priority,
and a refused row is found from the summary. Nora's open request page follows Ravi's
acknowledgement without a reload (304s while nothing changed), keeping the focus on her
button; a comment Ravi posts appears in her open page's discussion while she is typing in
its box, which keeps the focus and her words. Mei's bell opens a preview of her latest
notifications, by mouse and by keyboard.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import ActionItem, Meeting, Request
from partnership.models import User
from partnership.notifications.services import notify
from tests.browser import axe
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

PARTNERSHIP = "Northwind Biologics – Meridian Biomanufacturing"


@pytest.fixture(autouse=True)
def _fast_live(settings):
    settings.LIVE_POLL_SECONDS = 1  # an open record page asks every second in these tests
    settings.NOTIFICATION_POLL_SECONDS = 1  # and so does the bell


def test_a_refused_dialog_focuses_its_error_summary_and_links_to_the_fields(
        page, demo, browser, _axe_watch):
    log_in(page, demo, "nora@northwind.example")
    page.get_by_role("link", name=PARTNERSHIP).first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Actions").click()
    page.get_by_role("link", name="New action").click()
    dialog = page.locator("dialog[open]")
    # axe-core will check the dialog as it opened (tests/browser/axe.py): it is noted.
    expect(dialog.get_by_label("Title")).to_be_visible()
    noted = _axe_watch.open[page.context].dialogs
    for _ in range(50):
        if noted:
            break
        page.wait_for_timeout(100)
    assert len(noted) == 1 and noted[0].url.endswith("/actions/new/")
    assert "Create action" in noted[0].html and noted[0].page_url == page.url
    dialog.get_by_role("button", name="Create action").click()
    summary = dialog.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    summary.get_by_role("link", name="Title", exact=True).click()
    expect(dialog.get_by_label("Title")).to_be_focused()
    # The summary stays while the fields are corrected.
    expect(summary.get_by_role("link", name="Title", exact=True)).to_be_visible()

    # And a dialog with a field nobody labelled would fail the journey.
    unlabelled = axe.Dialog(page_url=page.url, url=f"{demo}/axe-self-check/",
                            html='<form><input type="text" name="lot"></form>')
    problems = axe.check(browser, [axe.Visits(
        viewport={"width": 1001, "height": 700}, dialogs=[unlabelled],
        storage=page.context.storage_state())])
    assert len(problems) == 1 and "critical label" in problems[0], problems


def test_minutes_add_action_rows_with_priority_and_a_refused_row_is_found_from_the_summary(
        page, demo):
    now = timezone.now()
    meeting = Meeting.objects.filter(
        partnership__sponsor__name="Northwind Biologics", is_internal=False,
        partnership__cdmo__name="Meridian Biomanufacturing", starts_at__lt=now,
    ).exclude(status="cancelled").order_by("-starts_at").first()
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{meeting.get_absolute_url()}")
    minutes = page.locator("#minutes details")
    if minutes.get_attribute("open") is None:
        minutes.locator("summary").click()
    text = page.get_by_role("textbox", name="Minutes")
    if not text.input_value():
        text.fill("Agreed the stability pull plan.")
    reason = page.get_by_label("Reason for the correction")
    if reason.count():
        reason.fill("Actions added.")
    add = page.get_by_role("button", name="Add another action")
    add.click()
    expect(page.get_by_label("Action 4 title")).to_be_focused()
    add.click()
    expect(page.get_by_label("Action 5 title")).to_be_focused()
    page.get_by_label("Action 5 title").fill("Pull the 6-month stability samples")
    page.get_by_label("Action 5 priority").select_option("high")
    page.get_by_role("button", name="Save minutes").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Row 5, owner", exact=True).click()
    expect(page.get_by_label("Action 5 owner")).to_be_focused()
    page.get_by_label("Action 5 owner").select_option(index=1)
    page.get_by_label("Action 5 due").fill(due)
    if reason.count():
        reason.fill("Actions added.")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text(re.compile(r"Minutes recorded with 1 action"))).to_be_visible()
    action = ActionItem.objects.get(meeting=meeting,
                                    title="Pull the 6-month stability samples")
    assert action.priority == "high"


def test_an_open_request_page_follows_the_other_partys_step_without_a_reload(
        browser, demo):
    request = Request.objects.get(title="Equipment qualification summary for filling line F2")
    nora = browser.new_context().new_page()
    log_in(nora, demo, "nora@northwind.example")
    polls = []
    nora.on("response", lambda response: polls.append(response.status)
            if response.url.endswith(f"/requests/{request.pk}/live/") else None)
    nora.goto(f"{demo}{request.get_absolute_url()}")
    expect(nora.locator("#request-status")).to_contain_text("Sent")
    nora.evaluate("window.__noReload = true")
    for _ in range(100):  # an unchanged record answers 304: nothing is swapped
        if 304 in polls:
            break
        nora.wait_for_timeout(200)
    assert 304 in polls and 200 not in polls
    cancel = nora.get_by_role("link", name="Cancel request")
    cancel.focus()  # a button inside the live part keeps the focus through its refresh

    ravi = browser.new_context().new_page()
    log_in(ravi, demo, "ravi@meridian.example")
    ravi.goto(f"{demo}{request.get_absolute_url()}")
    ravi.get_by_role("link", name="Acknowledge request").click()
    dialog = ravi.locator("dialog[open]")
    dialog.get_by_label("Committed date").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    dialog.get_by_role("button", name="Acknowledge request").click()
    expect(ravi.locator("#request-status")).to_contain_text("Acknowledged")

    # Nora's page shows it on its next poll: status, committed date and timeline.
    expect(nora.locator("#request-status")).to_contain_text("Acknowledged")
    expect(nora.get_by_test_id("live-updated")).to_be_visible()
    timeline = nora.locator("section[aria-labelledby='timeline-h']")
    expect(timeline).to_contain_text("Acknowledged")
    expect(nora.locator("#committed-date")).not_to_contain_text("not yet")
    # Her window in front again (the other party's acted last): "focused" asks both that the
    # link is the page's active element and that the page has the window's focus.
    nora.bring_to_front()
    expect(nora.get_by_role("link", name="Cancel request")).to_be_focused()
    assert nora.evaluate("window.__noReload") is True
    assert 200 in polls


def test_a_comment_appears_on_the_other_partys_open_page_while_she_types(browser, demo):
    request = Request.objects.get(title="Equipment qualification summary for filling line F2")
    nora = browser.new_context().new_page()
    log_in(nora, demo, "nora@northwind.example")
    polls = []
    nora.on("response", lambda response: polls.append(response.status)
            if "/discussion/request/" in response.url and response.url.endswith("/live/")
            else None)
    nora.goto(f"{demo}{request.get_absolute_url()}")
    box = nora.locator("#discussion").get_by_label("Comment", exact=True)
    box.click()
    nora.keyboard.type("Thanks, we will")
    nora.evaluate("window.__noReload = true")
    for _ in range(100):
        if 304 in polls:
            break
        nora.wait_for_timeout(200)
    assert 304 in polls and 200 not in polls

    ravi = browser.new_context().new_page()
    log_in(ravi, demo, "ravi@meridian.example")
    ravi.goto(f"{demo}{request.get_absolute_url()}")
    ravi.locator("#discussion").get_by_label("Comment", exact=True).fill(
        "The F2 summary goes out on Thursday.")
    ravi.locator("#discussion").get_by_role("button", name="Post comment").click()
    expect(ravi.locator("#discussion-comments")).to_contain_text("goes out on Thursday")

    comments = nora.locator("#discussion-comments")
    expect(comments).to_contain_text("The F2 summary goes out on Thursday.")
    expect(comments.get_by_test_id("live-updated")).to_be_visible()
    expect(box).to_be_focused()
    expect(box).to_have_value("Thanks, we will")
    nora.keyboard.type(" check it.")
    expect(box).to_have_value("Thanks, we will check it.")
    assert nora.evaluate("window.__noReload") is True


def test_the_bell_opens_a_preview_of_the_latest_notifications(page, demo):
    mei = User.objects.get(email="mei@meridian.example")
    request = Request.objects.get(title="Equipment qualification summary for filling line F2")
    notify(recipients=[mei], kind="request_updated", partnership=request.partnership,
           title="Preview: the F2 summary is due", url=request.get_absolute_url())
    log_in(page, demo, "mei@meridian.example")
    bell = page.locator("#bell")
    expect(bell).to_have_attribute("aria-label", re.compile(r"\d+ unread"))
    preview = page.locator("#bell-preview")
    expect(preview).to_be_hidden()

    # By keyboard: Enter opens it, the arrow moves into it, Escape closes it again.
    bell.focus()
    page.keyboard.press("Enter")
    expect(preview).to_be_visible()
    items = preview.get_by_test_id("bell-preview-item")
    expect(items.first).to_contain_text("Preview: the F2 summary is due")
    assert 1 <= items.count() <= 5
    expect(bell).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(items.first).to_be_focused()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(page.locator("#bell")).to_be_focused()
    # The bell's own refresh (its poll swaps it) leaves the focus on it.
    with page.expect_response(lambda response: response.url.endswith("/bell/")):
        pass
    page.wait_for_timeout(300)
    expect(page.locator("#bell")).to_be_focused()

    # By mouse: the item opens its record; All notifications opens the page.
    page.locator("#bell").click()
    expect(preview.get_by_test_id("bell-preview-item").first).to_be_visible()
    preview.get_by_role("link", name="All notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.locator("#bell").click()
    page.locator("#bell-preview").get_by_test_id("bell-preview-item").first.click()
    expect(page).to_have_url(re.compile(re.escape(request.get_absolute_url()) + "$"))
