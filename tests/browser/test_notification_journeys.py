"""The bell and search in two browsers (Playwright, Debian's Chromium, the demo world).

Nora (Northwind, sponsor) gives Mei (Meridian, CDMO) an action in the existing dialog; Mei's
bell counts it without a reload, she clicks through to the action (a POST that marks it
read) and the count drops, and the e-mail reaches her through the real worker. Hana (Helix,
a competitor served by the same CDMO) sees no notification, gets no e-mail and finds nothing
of it.
"""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnership.notifications.models import Notification
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

TITLE = "Send the zirconium stopper specification"
PARTNERSHIP = "Northwind Biologics – Meridian Biomanufacturing"


@pytest.fixture(autouse=True)
def _fast_bell(settings):
    settings.NOTIFICATION_POLL_SECONDS = 1  # the bell polls every second in this test


def unread(page) -> int:
    label = page.locator("#bell").get_attribute("aria-label") or ""
    match = re.search(r"(\d+) unread", label)
    return int(match.group(1)) if match else -1


def mails_about(title: str, *, wait: float = 10.0) -> list:
    """E-mails whose subject names `title`, once the worker has sent at least one."""
    deadline = time.monotonic() + wait
    while True:
        found = [message for message in mail.outbox if title in message.subject]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_the_bell_rings_without_a_reload_and_search_keeps_to_the_partnership(
        browser, demo, celery_worker):
    """`celery_worker` after `demo`: the e-mail task that notify() queues when Nora's action
    commits in the live server runs on a real worker (in this process, so the test's mail
    outbox collects what it sends)."""
    mei = browser.new_context().new_page()
    log_in(mei, demo, "mei@meridian.example")
    expect(mei.locator("#bell")).to_have_attribute("aria-label", re.compile(r"\d+ unread"))
    before = unread(mei)
    mei.evaluate("window.__noReload = true")

    nora = browser.new_context().new_page()
    log_in(nora, demo, "nora@northwind.example")
    nora.get_by_role("link", name=PARTNERSHIP).first.click()
    nora.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Actions").click()
    nora.get_by_role("link", name="New action").click()
    dialog = nora.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title").fill(TITLE)
    dialog.get_by_label("Owner").select_option(label="Mei Chen")
    dialog.get_by_label("Due date").fill("2030-01-15")
    dialog.get_by_role("button", name="Create action").click()
    expect(nora.get_by_role("heading", name=TITLE)).to_be_visible()

    # Mei's bell counts it on its next poll, without reloading her page.
    bell = mei.locator("#bell")
    expect(bell).to_have_attribute("aria-label", f"Notifications, {before + 1} unread",
                                   timeout=10_000)
    assert mei.evaluate("window.__noReload") is True
    bell.click()  # the preview opens with the latest, this one first
    preview = mei.locator("#bell-preview")
    expect(preview.get_by_test_id("bell-preview-item").first).to_contain_text(TITLE)
    preview.get_by_role("link", name="All notifications").click()
    expect(mei.get_by_role("heading", name="Notifications")).to_be_visible()
    # Opening it is a form's button (a POST marks it read), not a link a GET would follow.
    expect(mei.get_by_role("link", name=f"Action for you: {TITLE}")).to_have_count(0)
    opener = mei.get_by_role("button", name=f"Action for you: {TITLE}", exact=True)
    expect(opener).to_have_class(re.compile("fw-bold"))
    opener.click()
    expect(mei.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(mei.locator("#bell")).to_have_attribute("aria-label",
                                                   f"Notifications, {before} unread")
    notification = Notification.objects.get(recipient__email="mei@meridian.example",
                                            title=f"Action for you: {TITLE}")
    assert notification.read_at is not None
    assert mei.url.endswith(notification.url)
    mei.goto(f"{demo}/notifications/")  # the list again, where it is read now
    expect(mei.get_by_role("button", name=f"Action for you: {TITLE}", exact=True)
           ).not_to_have_class(re.compile("fw-bold"))

    # She finds it with the top bar's search box.
    mei.get_by_label("Search your partnerships").fill("zirconium")
    mei.get_by_label("Search your partnerships").press("Enter")
    expect(mei.locator("#results")).to_contain_text(TITLE)

    # Hana (Helix) works with Meridian too, but none of this reaches her.
    hana = browser.new_context().new_page()
    log_in(hana, demo, "hana@helix.example")
    hana.goto(f"{demo}/notifications/")
    expect(hana.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(hana.get_by_text(TITLE)).to_have_count(0)
    hana.get_by_label("Search your partnerships").fill("zirconium")
    hana.get_by_label("Search your partnerships").press("Enter")
    expect(hana.locator("#results")).to_contain_text("Nothing in your partnerships matches")
    expect(hana.get_by_text(TITLE)).to_have_count(0)
    assert "Northwind" not in hana.content()

    # The e-mail went to Mei, once, and nothing at all to Hana.
    assert [message.to for message in mails_about(TITLE)] == [["mei@meridian.example"]]
    assert not [message for message in mail.outbox if "hana@helix.example" in message.to]


def test_opening_a_notification_works_without_javascript_and_a_get_marks_nothing(
        browser, demo):
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, demo, "mei@meridian.example")
    notification = Notification.objects.filter(
        recipient__email="mei@meridian.example", read_at__isnull=True,
        url__startswith="/").order_by("-created_at").first()
    assert notification is not None, "the demo gives Mei unread notifications"

    # Following the URL (as a mail scanner or a prefetch would) goes to the record only.
    page.goto(f"{demo}/notifications/{notification.pk}/")
    assert page.url.endswith(notification.url)
    notification.refresh_from_db()
    assert notification.read_at is None

    page.goto(f"{demo}/notifications/?show=unread")
    page.get_by_role("button", name=notification.title, exact=True).click()
    expect(page).to_have_url(f"{demo}{notification.url}")
    notification.refresh_from_db()
    assert notification.read_at is not None
