"""Real journeys in Debian's Chromium against a live server (Playwright)."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in, settle

pytestmark = pytest.mark.browser


def test_mei_never_meets_helix_on_any_page_she_can_reach(page, demo):
    log_in(page, demo, "mei@meridian.example")
    host = urlparse(demo).netloc
    queue, seen = [f"{demo}/"], set()
    while queue and len(seen) < 60:  # every page kind she reaches; the registry walks the rest
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        fetched = page.request.get(url)  # same session; also covers non-HTML (the schema)
        assert fetched.status < 500, url
        assert "Helix" not in fetched.text() and "Max Keller" not in fetched.text(), url
        if "html" not in fetched.headers.get("content-type", ""):
            continue
        page.goto(url)
        settle(page, url)  # what scripts load (htmx, the API docs' schema) counts too
        text = page.content()
        assert "Helix" not in text and "Max Keller" not in text, url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            absolute = urljoin(url, href).split("#")[0]
            parsed = urlparse(absolute)
            if parsed.netloc == host and not re.search(r"logout|/admin/|format=", absolute) \
                    and absolute not in seen:
                queue.append(absolute)
    assert len(seen) > 10  # she really walked the portal: home, pages, API, docs


def test_sponsor_adds_a_program_in_a_dialog_and_the_cdmo_sees_it(page, browser, demo):
    log_in(page, demo, "nora@northwind.example")
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Programs").click()
    page.get_by_role("link", name="New program").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Create program").click()  # empty: errors, no save
    expect(dialog.get_by_text("This field is required.").first).to_be_visible()
    dialog.get_by_label("Code").fill("NWB-555")
    dialog.get_by_label("Name").fill("Browserumab")
    dialog.get_by_label("Modality").select_option("biologic")
    dialog.get_by_label("Phase").select_option("phase_2")
    dialog.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", name="NWB-555 Browserumab")).to_be_visible()

    # The list filters without a reload and keeps the filter in the address bar.
    page.get_by_role("link", name="← All programs").click()
    page.evaluate("window.__noReload = true")
    page.get_by_label("Phase").select_option("phase_2")
    expect(page).to_have_url(re.compile(r"phase=phase_2"))
    expect(page.locator("#results")).to_contain_text("Browserumab")
    expect(page.locator("#results")).not_to_contain_text("Velarimab")
    assert page.evaluate("window.__noReload") is True

    other = browser.new_context().new_page()
    log_in(other, demo, "mei@meridian.example")
    other.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    expect(other.get_by_text("Browserumab")).to_be_visible()
    expect(other.get_by_text("Second-source assessment")).to_have_count(0)  # internal


def test_forms_and_filters_work_without_javascript(browser, demo):
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}/sites/")
    page.get_by_label("Capability").select_option("fill_finish")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"capability=fill_finish"))
    expect(page.locator("#results")).to_contain_text("Meridian Cape Town")
    expect(page.locator("#results")).not_to_contain_text("Aurora Milan")


def sign(page, button: str, meaning: str, signer: str, password: str = "lockstep-demo"
         ) -> None:
    """Open a record's sign dialog, choose the meaning starting with `meaning`, re-enter the
    password and sign; the record's page then shows the signer's signature."""
    page.get_by_role("link", name=button).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label(re.compile(f"^{meaning}")).check()
    dialog.get_by_label("Your password").fill(password)
    dialog.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_test_id("signature").filter(has_text=signer)).to_be_visible()


def test_contract_negotiation_as_both_parties(page, browser, demo):
    log_in(page, demo, "nora@northwind.example")
    page.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    page.get_by_role("navigation", name="Partnership").get_by_role("link",
                                                                   name="Contracts").click()
    page.get_by_role("link", name="New contract").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Kind").select_option("nda")
    dialog.get_by_label("Reference").fill("NDA-NWM-09")
    dialog.get_by_label("Title").fill("Mutual NDA for a new program")
    dialog.get_by_role("button", name="Create contract").click()
    heading = page.get_by_role("heading", name="NDA-NWM-09 Mutual NDA for a new program")
    expect(heading).to_be_visible()
    page.get_by_role("button", name="Start negotiation").click()
    expect(page.get_by_text("In negotiation").first).to_be_visible()
    page.get_by_role("link", name="Record a draft we sent").click()
    page.locator("dialog[open]").get_by_label("What changed").fill("Our first draft")
    page.locator("dialog[open]").get_by_role("button", name="Record round").click()
    expect(page.get_by_role("heading", name=re.compile("Negotiation: 1 round"))).to_be_visible()

    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.goto(page.url)
    expect(cdmo.get_by_role("cell", name="Our first draft", exact=True)).to_be_visible()
    cdmo.get_by_role("link", name="Record a draft we sent").click()
    cdmo.locator("dialog[open]").get_by_label("What changed").fill("Term shortened to 3 years")
    cdmo.locator("dialog[open]").get_by_role("button", name="Record round").click()
    expect(cdmo.get_by_role("heading", name=re.compile("Negotiation: 2 rounds"))).to_be_visible()
    expect(cdmo.get_by_text("Meridian Biomanufacturing 0 days")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Term shortened to 3 years").first).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.locator("dialog[open]").get_by_label("Effective date").fill("2026-11-01")
    page.locator("dialog[open]").get_by_role("button", name="Save").click()
    # Executed only once both parties' leads have signed: no one-party button any more.
    expect(page.get_by_role("button", name="Mark executed")).to_have_count(0)
    sign(page, "Sign: contract executed", "Approved", "Nora Lindqvist")
    expect(page.get_by_text("In negotiation").first).to_be_visible()
    expect(page.get_by_text("Awaiting the signature of Meridian Biomanufacturing")).to_be_visible()
    cdmo.reload()
    sign(cdmo, "Sign: contract executed", "Responsible", "Mei")
    expect(cdmo.get_by_text("Executed").first).to_be_visible()
    expect(cdmo.get_by_text("Valid for the current content")).to_have_count(2)
    page.reload()
    expect(page.get_by_text("Executed").first).to_be_visible()
    expect(page.get_by_text("Nora Lindqvist").first).to_be_visible()


def test_deliverable_acceptance_as_both_parties(page, browser, demo):
    title = "Phase 3 clinical drug substance, lot 3"
    cdmo = browser.new_context().new_page()
    log_in(cdmo, demo, "mei@meridian.example")
    cdmo.get_by_role("link", name="Northwind Biologics – Meridian Biomanufacturing").first.click()
    cdmo.get_by_role("navigation", name="Partnership").get_by_role(
        "link", name="Deliverables").click()
    cdmo.get_by_role("link", name=title).click()
    expect(cdmo.get_by_text("Delivered: awaiting review").first).to_be_visible()
    expect(cdmo.get_by_role("link", name="Review against the criteria")).to_have_count(0)

    log_in(page, demo, "nora@northwind.example")
    page.goto(cdmo.url)
    page.get_by_role("link", name="Review against the criteria").click()
    dialog = page.locator("dialog[open]")
    groups = dialog.get_by_role("group")
    expect(groups).to_have_count(4)  # three criteria, and the meaning of a signature
    groups.nth(0).get_by_label("Met", exact=True).check()
    groups.nth(1).get_by_label("Not met").check()
    groups.nth(2).get_by_label("Met", exact=True).check()
    dialog.get_by_label("Overall comment").fill("Stability data for the 90-day hold is missing")
    dialog.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Rejected").first).to_be_visible()
    expect(page.get_by_text("In progress").first).to_be_visible()

    cdmo.reload()
    expect(cdmo.get_by_text("Stability data for the 90-day hold is missing").first).to_be_visible()
    cdmo.get_by_role("button", name="Mark delivered").click()
    expect(cdmo.get_by_text("Delivered: awaiting review").first).to_be_visible()

    page.reload()
    page.get_by_role("link", name="Review against the criteria").click()
    dialog = page.locator("dialog[open]")
    for index in range(3):
        dialog.get_by_role("group").nth(index).get_by_label("Met", exact=True).check()
    dialog.get_by_role("button", name="Record the decision").click()
    expect(dialog.get_by_text("Choose the meaning of your signature")).to_be_visible()
    dialog.get_by_label(re.compile("^Accepted: fit for its intended use")).check()
    dialog.get_by_label("Your password").fill("lockstep-demo")
    dialog.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Accepted after 1 rejection")).to_be_visible()
    expect(page.get_by_test_id("signatures-accepted").get_by_text("Nora Lindqvist")).to_be_visible()
    cdmo.reload()
    expect(cdmo.get_by_text("Accepted after 1 rejection")).to_be_visible()
