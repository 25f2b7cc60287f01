"""A record's discussion in two browsers: the sponsor comments on a request, mentioning the
CDMO's lead by typing "@" and attaching two files; the CDMO's lead is notified, reads it,
sees both files in the Files tab and downloads them. An author withdraws a comment, after a
confirmation and with a reason: it stays in the thread as withdrawn, its file gone."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Finding, Request
from partnership.discussion.models import Attachment
from partnership.notifications.models import Notification
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_comment_with_a_typed_mention_and_two_files_reaches_the_other_party(page, browser, demo):
    request = Request.objects.get(title="Quote for two additional PPQ batches")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    section = page.locator("#discussion")
    box = section.get_by_label("Comment", exact=True)
    expect(box).to_be_visible()  # the thread is loaded into the page by htmx
    box.press_sequentially("@Me")  # the people this box may mention, as one types
    suggestions = section.get_by_role("listbox", name="People you may mention")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    expect(suggestions.get_by_role("option")).to_have_text(
        re.compile(r"^Mei Chen \(Meridian Biomanufacturing\)$"))
    box.press("Enter")  # picks the highlighted person (keyboard only)
    expect(suggestions).to_be_hidden()
    box.press_sequentially("the signed quote is attached: please confirm the PPQ slots.")
    expect(box).to_have_value(
        "@Mei Chen the signed quote is attached: please confirm the PPQ slots.")
    expect(section.get_by_label(re.compile(r"^Mei .*\(Meridian Biomanufacturing\)$"))
           ).to_be_checked()
    expect(section.get_by_label(re.compile(r"^Max "))).to_have_count(0)  # Helix's, not here
    section.get_by_label("Attach files").set_input_files(files=[
        {"name": "PPQ quote signed.pdf", "mimeType": "application/pdf", "buffer": PDF},
        {"name": "PPQ slot plan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    url_before = page.url
    section.get_by_role("button", name="Post comment").click()
    expect(section.get_by_text("please confirm the PPQ slots")).to_be_visible()
    expect(section.get_by_role("link", name="PPQ quote signed.pdf")).to_be_visible()
    expect(section.get_by_role("link", name="PPQ slot plan.pdf")).to_be_visible()
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
    thread.get_by_role("link", name="Files", exact=True).click()  # every file of the record
    expect(thread.get_by_role("link", name="Files", exact=True)).to_have_attribute(
        "aria-current", "page")
    files = thread.get_by_role("table")
    expect(files.get_by_role("row", name=re.compile("PPQ slot plan.pdf .*Nora"))).to_be_visible()
    with cdmo.expect_download() as pending:
        files.get_by_role("link", name="PPQ slot plan.pdf").click()
    assert pending.value.suggested_filename == "PPQ slot plan.pdf"

    assert Notification.objects.filter(recipient__email="mei@meridian.example",
                                       kind="mentioned").count() == 1
    assert not Notification.objects.filter(recipient__email="max@meridian.example",
                                           kind="mentioned").exists()
    assert Attachment.objects.filter(name__in=["PPQ quote signed.pdf", "PPQ slot plan.pdf"],
                                     comment__record_id=request.pk).count() == 2

    helix = browser.new_context().new_page()
    log_in(helix, demo, "max@meridian.example")
    attachment = Attachment.objects.get(name="PPQ quote signed.pdf")
    response = helix.goto(f"{demo}{attachment.get_absolute_url()}")
    assert response.status == 404


def test_the_author_withdraws_a_comment_after_a_confirmation(page, browser, demo):
    request = Request.objects.get(title="Quote for two additional PPQ batches")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    section = page.locator("#discussion")
    section.get_by_label("Comment", exact=True).fill("Wrong revision of the quote, ignore.")
    section.get_by_label("Attach files").set_input_files(files=[
        {"name": "quote rev A.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    section.get_by_role("button", name="Post comment").click()
    comment = section.locator("li", has_text="Wrong revision of the quote")
    expect(comment).to_be_visible()
    comment.get_by_text("Withdraw this comment…").click()
    comment.get_by_label("Why do you withdraw it?").fill("Posted revision A; B is current.")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    comment.get_by_role("button", name="Withdraw comment").click()
    expect(section.get_by_text(re.compile(
        r"Withdrawn by Nora .* on .*Reason: Posted revision A; B is current."))).to_be_visible()
    assert asked and asked[0].startswith("Withdraw this comment?")
    expect(section.get_by_text("Wrong revision of the quote")).to_have_count(0)
    expect(section.get_by_role("link", name="quote rev A.pdf")).to_have_count(0)

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(f"{demo}{request.get_absolute_url()}")
    thread = cdmo.locator("#discussion")
    expect(thread.get_by_text(re.compile(r"Withdrawn by Nora"))).to_be_visible()
    expect(thread.get_by_role("button", name="Withdraw comment")).to_have_count(0)
    attachment = Attachment.objects.get(name="quote rev A.pdf")
    assert cdmo.goto(f"{demo}{attachment.get_absolute_url()}").status == 404


def test_a_finding_has_its_own_page_with_its_thread(page, demo):
    """The demo's accepted finding: the CDMO's two files on one comment, below the draft its
    author withdrew, from the audit's page to the finding's."""
    from partnership.discussion.models import Comment

    comment = Comment.objects.get(record_type="finding", withdrawn_at__isnull=True,
                                  body__contains="root-cause")
    finding = Finding.objects.get(pk=comment.record_id)
    log_in(page, demo, "quinn@northwind.example")
    page.goto(f"{demo}{finding.audit.get_absolute_url()}")
    page.get_by_role("link", name=f"{finding.number}. {finding.title}").click()
    expect(page.get_by_role("heading", name=f"Finding {finding.number}: {finding.title}")
           ).to_be_visible()
    thread = page.locator("#discussion")
    expect(thread.get_by_text(re.compile(r"^Withdrawn by .*Reason: Posted the unreviewed"))
           ).to_be_visible()
    expect(thread.get_by_role("link", name=re.compile(r"root cause analysis\.pdf$"))
           ).to_be_visible()
    expect(thread.get_by_role("link", name=re.compile(r"CAPA plan\.pdf$"))).to_be_visible()
    thread.get_by_role("link", name="Files", exact=True).click()
    expect(thread.get_by_role("table").get_by_role("row")).to_have_count(3)  # head + 2


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
