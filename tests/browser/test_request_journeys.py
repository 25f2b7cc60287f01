"""Formal requests in two browsers: the sponsor sends, the CDMO acknowledges with a date."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Request
from partnership.notifications.models import Notification
from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def test_sponsor_sends_and_cdmo_acknowledges_with_a_committed_date(page, browser, demo):
    committed = timezone.localdate() + datetime.timedelta(days=10)
    log_in(page, demo, "nora@northwind.example")
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Requests").click()
    expect(page.get_by_text(re.compile(r"Emergencies this month"))).to_be_visible()
    page.get_by_role("link", name="New request").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_text(re.compile(r"\d+ of \d+ emergencies used this month"))
           ).to_be_visible()
    dialog.get_by_label("Title").fill("Hold-time study report for the buffer")
    dialog.get_by_label("Description").fill("The signed report, please.")
    dialog.get_by_label("Kind").select_option("document")
    dialog.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Hold-time study report for the buffer")
           ).to_be_visible()
    expect(page.locator("#request-status")).to_contain_text("Sent")
    expect(page.get_by_role("link", name="Acknowledge request")).to_have_count(0)  # not hers to do
    request = Request.objects.get(title="Hold-time study report for the buffer")

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(page.url)
    expect(cdmo.get_by_text("The signed report, please.").first).to_be_visible()
    cdmo.get_by_role("link", name="Acknowledge request").click()
    ack = cdmo.locator("dialog[open]")
    # Two days back is in the past in every zone (Mei's day may still be yesterday in UTC).
    ack.get_by_label("Committed date").fill(
        (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    ack.get_by_role("button", name="Acknowledge request").click()
    expect(ack.get_by_text("The committed date cannot be in the past.")).to_be_visible()
    ack.get_by_label("Committed date").fill(committed.isoformat())
    ack.get_by_role("button", name="Acknowledge request").click()
    expect(cdmo.locator("#request-status")).to_contain_text("Acknowledged")

    page.reload()
    expect(page.locator("#request-status")).to_contain_text("Acknowledged")
    expect(page.locator("#committed-date")).to_contain_text(committed.strftime("%B"))
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert Notification.objects.filter(recipient__email="nora@northwind.example",
                                       kind="request_updated",
                                       url=request.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient__email="mei@meridian.example",
                                       kind="request_received",
                                       url=request.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient__email="max@meridian.example",
                                           url=request.get_absolute_url()).exists()


def test_cdmo_queries_a_request_and_the_sponsor_answers(page, browser, demo):
    request = Request.objects.get(title="Emergency: release testing slot for lot 5")
    log_in(page, demo, "mei@meridian.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    page.get_by_role("link", name="Ask a question").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Question").fill("Lot 5A or lot 5B?")
    dialog.get_by_role("button", name="Send the question").click()
    expect(page.locator("#request-status")).to_contain_text("Queried")
    expect(page.get_by_role("link", name="Acknowledge request")).to_have_count(0)  # asked, not yet

    sponsor = browser.new_context().new_page()
    log_in(sponsor, demo, "nora@northwind.example")
    sponsor.goto(f"{demo}{request.get_absolute_url()}")
    expect(sponsor.get_by_text("Lot 5A or lot 5B?").first).to_be_visible()
    sponsor.get_by_role("link", name="Answer the question").click()
    answer = sponsor.locator("dialog[open]")
    answer.get_by_label("Answer").fill("Lot 5B, the one on hold.")
    answer.get_by_role("button", name="Send the answer").click()
    expect(sponsor.locator("#request-status")).to_contain_text("Sent")

    page.reload()
    expect(page.locator("#request-status")).to_contain_text("Sent")
    expect(page.get_by_text("Lot 5B, the one on hold.").first).to_be_visible()
    expect(page.get_by_role("link", name="Acknowledge request")).to_be_visible()  # a fresh window
    assert Notification.objects.filter(recipient__email="nora@northwind.example",
                                       kind="request_updated", body="Lot 5A or lot 5B?",
                                       url=request.get_absolute_url()).exists()


def test_sponsor_relays_to_the_lab_and_each_cdmo_sees_only_its_side(page, browser, demo):
    original = Request.objects.get(
        title="Which column did the lab validate the HPLC method on?")
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{original.get_absolute_url()}")
    page.get_by_role("link", name="Relay to another partnership").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("#relay-original")).to_contain_text(original.title)
    expect(dialog.get_by_label("Title")).to_have_value("")  # nothing copied by a click
    dialog.get_by_label("Relay to").select_option(
        label="Northwind Biologics – Aurora Analytical Labs")
    dialog.get_by_label("Title").fill("Column lot qualified for the HPLC transfer")
    dialog.get_by_label("Description").fill("Please confirm the column lot you qualified.")
    dialog.get_by_role("button", name="Send in the other partnership").click()
    expect(page.get_by_role("heading", name="Column lot qualified for the HPLC transfer")
           ).to_be_visible()
    expect(page.get_by_role("link", name=original.title)).to_be_visible()  # the sponsor's link
    relay = Request.objects.get(title="Column lot qualified for the HPLC transfer")

    lab = browser.new_context().new_page()
    log_in(lab, demo, "ari@aurora.example")
    lab.get_by_role("link", name="Northwind Biologics – Aurora Analytical Labs").first.click()
    lab.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                  name="Requests").click()
    lab.locator("#results").get_by_role("link", name=relay.title).click()
    expect(lab.get_by_text("Please confirm the column lot you qualified.").first).to_be_visible()
    text = lab.content()
    assert "Meridian" not in text and original.title not in text and "Relay" not in text

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(f"{demo}{original.get_absolute_url()}")
    expect(cdmo.get_by_role("heading", name=original.title)).to_be_visible()
    text = cdmo.content()
    assert "Aurora" not in text and relay.title not in text and "Relay" not in text


def test_an_escalated_request_shows_its_path_and_keeps_it_once_acknowledged(page, demo):
    """The demo's late request for line F2's qualification summary has climbed
    Meridian–Northwind's path to the functional heads (the seed ran the escalation job);
    Ravi, one of them, acknowledges."""
    request = Request.objects.get(title="Equipment qualification summary for filling line F2")
    assert Notification.objects.filter(recipient__email="ravi@meridian.example",
                                       kind="escalated",
                                       url=request.get_absolute_url()).exists()
    log_in(page, demo, "ravi@meridian.example")
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Requests").click()
    row = page.locator("#results tr", has_text=request.title)
    expect(row.get_by_text("Escalated: level 2")).to_be_visible()
    row.get_by_role("link", name=request.title).click()
    timeline = page.locator("section[aria-labelledby='timeline-h']")
    expect(timeline.get_by_text("Escalated to level 1")).to_be_visible()
    expect(timeline.get_by_text("Escalated to level 2")).to_be_visible()
    expect(timeline).to_contain_text("Functional heads")
    page.get_by_role("link", name="Acknowledge request").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Committed date").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    dialog.get_by_role("button", name="Acknowledge request").click()
    expect(page.locator("#request-status")).to_contain_text("Acknowledged")
    expect(page.get_by_text("Escalated: level 2")).to_have_count(0)  # no longer waiting
    expect(timeline.get_by_text("Escalated to level 2")).to_be_visible()  # history stays


def test_the_lab_declines_and_the_sponsor_reads_why(page, browser, demo):
    """Aurora declines Northwind's relayed question with a reason; Nora, who sent it, finds
    it declined with that reason. The demo's own declined pull shows its reason to Quinn."""
    request = Request.objects.get(title="Column used in the validated HPLC method")
    lab = browser.new_context().new_page()
    log_in(lab, demo, "ari@aurora.example")
    lab.goto(f"{demo}{request.get_absolute_url()}")
    lab.get_by_role("link", name="Decline request").click()
    dialog = lab.locator("dialog[open]")
    dialog.get_by_label("Why your party declines it").fill(
        "We never ran this method; the site that validated it holds the column records.")
    dialog.get_by_role("button", name="Decline the request").click()
    expect(lab.locator("#request-status")).to_contain_text("Declined")
    expect(lab.get_by_role("link", name="Acknowledge request")).to_have_count(0)

    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}{request.get_absolute_url()}")
    expect(page.locator("#request-status")).to_contain_text("Declined")
    expect(page.locator("#decline-reason")).to_contain_text("holds the column records")
    timeline = page.locator("section[aria-labelledby='timeline-h']")
    expect(timeline.get_by_text("Declined", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Cancel request")).to_have_count(0)  # closed
    assert Notification.objects.filter(recipient__email="nora@northwind.example",
                                       kind="request_updated",
                                       url=request.get_absolute_url()).exists()

    seeded = Request.objects.get(title="Pull the 18-month stability samples two weeks early")
    quinn = browser.new_context().new_page()
    log_in(quinn, demo, "quinn@northwind.example")
    quinn.goto(f"{demo}{seeded.get_absolute_url()}")
    expect(quinn.locator("#request-status")).to_contain_text("Declined")
    expect(quinn.locator("#decline-reason")).to_contain_text("±7-day pull window")


def test_an_emergency_is_acknowledged_inside_its_own_window(page, demo):
    """Meridian's agreed 4 hours for an emergency: Mei acknowledges Northwind's emergency
    sent a little over two hours ago, in time; one sent six hours ago (in time for any
    other request, which has 48) shows late."""
    partnership = Request.objects.get(
        title="Emergency: release testing slot for lot 5").partnership
    assert partnership.emergency_acknowledgement_hours == 4
    now = timezone.now()
    late = Request.objects.get(title="Emergency: regulator question on the filter validation")
    sent = now - datetime.timedelta(hours=6)
    Request.objects.filter(pk=late.pk).update(
        sent_at=sent, acknowledge_by=sent + partnership.acknowledgement_window(emergency=True))
    on_time = Request.objects.get(title="Emergency: release testing slot for lot 5")
    assert now - datetime.timedelta(hours=4) < on_time.sent_at

    log_in(page, demo, "mei@meridian.example")
    page.goto(f"{demo}{late.get_absolute_url()}")
    expect(page.locator("#request-status")).to_contain_text("Late")
    expect(page.locator("#acknowledge-by")).to_contain_text("late")
    expect(page.locator("#acknowledge-by")).to_contain_text("an emergency's own")

    page.goto(f"{demo}{on_time.get_absolute_url()}")
    expect(page.locator("#request-status")).not_to_contain_text("Late")
    page.get_by_role("link", name="Acknowledge request").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Committed date").fill(
        (timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    dialog.get_by_role("button", name="Acknowledge request").click()
    expect(page.locator("#request-status")).to_contain_text("Acknowledged")
    expect(page.locator("#request-status")).not_to_contain_text("Late")
    expect(page.locator("#acknowledge-by")).to_contain_text("acknowledged")
    on_time.refresh_from_db()
    assert on_time.acknowledged_at <= on_time.acknowledge_by
    assert on_time.acknowledge_by - on_time.sent_at == datetime.timedelta(hours=4)

    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Requests").click()
    expect(page.get_by_text(re.compile(r"an emergency within 4"))).to_be_visible()
    row = page.locator("#results tr", has_text=late.title)
    expect(row.get_by_text("Late", exact=True)).to_be_visible()
