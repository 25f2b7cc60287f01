"""A record's discussion in two browsers: the sponsor comments on a request, mentioning the
CDMO's lead and attaching a file; the CDMO's lead is notified, reads it and downloads it."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Request
from partnership.discussion.models import Attachment
from partnership.notifications.models import Notification
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_comment_with_a_mention_and_a_file_reaches_the_other_party(page, browser, demo):
    request = Request.objects.get(title="Quote for two additional PPQ batches")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    section = page.locator("#discussion")
    box = section.get_by_label("Comment", exact=True)
    expect(box).to_be_visible()  # the thread is loaded into the page by htmx
    box.fill("Mei, the signed quote is attached: please confirm the PPQ slots.")
    section.get_by_label(re.compile(r"^Mei .*\(Meridian Biomanufacturing\)$")).check()
    expect(section.get_by_label(re.compile(r"^Max "))).to_have_count(0)  # Helix's, not here
    section.get_by_label("Attach a file").set_input_files(
        files=[{"name": "PPQ quote signed.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    url_before = page.url
    section.get_by_role("button", name="Post comment").click()
    expect(section.get_by_text("please confirm the PPQ slots")).to_be_visible()
    expect(section.get_by_role("link", name="PPQ quote signed.pdf")).to_be_visible()
    assert page.url == url_before  # posted without a page reload
    expect(section.get_by_label("Comment", exact=True)).to_have_value("")  # the box is empty again

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(f"{demo}/notifications/")
    cdmo.get_by_role("button", name=re.compile(r"^Nora .* mentioned you")).first.click()
    expect(cdmo.get_by_role("heading", name="Quote for two additional PPQ batches")
           ).to_be_visible()
    thread = cdmo.locator("#discussion")
    expect(thread.get_by_text("please confirm the PPQ slots")).to_be_visible()
    expect(thread.get_by_text(re.compile(r"Mentioned: @Mei"))).to_be_visible()
    with cdmo.expect_download() as pending:
        thread.get_by_role("link", name="PPQ quote signed.pdf").click()
    download = pending.value
    assert download.suggested_filename == "PPQ quote signed.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF

    assert Notification.objects.filter(recipient__email="mei@meridian.example",
                                       kind="mentioned").count() == 1
    assert not Notification.objects.filter(recipient__email="max@meridian.example",
                                           kind="mentioned").exists()
    assert Attachment.objects.filter(name="PPQ quote signed.pdf",
                                     comment__record_id=request.pk).exists()

    helix = browser.new_context().new_page()
    log_in(helix, demo, "max@meridian.example")
    attachment = Attachment.objects.get(name="PPQ quote signed.pdf")
    response = helix.goto(f"{demo}{attachment.get_absolute_url()}")
    assert response.status == 404


def test_a_refused_comment_takes_the_focus_to_its_error_summary(page, demo):
    """Posting an empty comment swaps the thread back with its error summary, and the focus
    goes there (it was left on the page's body, so a keyboard or screen-reader user heard
    nothing of what went wrong); the summary's link leads to the box."""
    request = Request.objects.get(title="Quote for two additional PPQ batches")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    section = page.locator("#discussion")
    expect(section.get_by_label("Comment", exact=True)).to_be_visible()
    expect(section.get_by_label(re.compile(r"^Nora "))).to_have_count(0)  # not herself
    section.get_by_role("button", name="Post comment").click()
    summary = section.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Comment").click()
    expect(section.get_by_label("Comment", exact=True)).to_be_focused()
