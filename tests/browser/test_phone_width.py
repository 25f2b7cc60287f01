"""A phone's width (390 × 844, an iPhone 14): lists, the profile's API tokens and the
organization admin's people scroll inside their tables, never the whole page sideways; the
sign dialog fits, its buttons on screen."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.login import log_in
from tests.browser.screens import PHONE

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{url} is {widths[0]} px wide in a {widths[1]} px window"


@pytest.fixture
def signable(demo):
    """A contract in negotiation with its effective date: its lead can sign its execution."""
    from partnership.contracts import services as contracts
    from partnership.models import Partnership, User

    nora = User.objects.get(email="nora@northwind.example")
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    contract = contracts.contract_create(
        actor=nora, partnership=partnership, kind="nda", reference="NDA-PHONE-1",
        title="A mutual NDA with a rather long title, as real agreements have",
        effective_date=datetime.date(2026, 11, 1))
    return contracts.contract_transition(actor=nora, contract=contract, status="negotiation")


def test_pages_with_tables_fit_a_phone(phone, demo, signable):
    log_in(phone, demo, "nora@northwind.example")
    partnership = signable.partnership_id
    phone.goto(demo + reverse("partnership:profile"))
    phone.locator("#token-name").fill("LIMS export with a long descriptive name")
    phone.get_by_role("button", name="Create token").click()
    expect(phone.get_by_test_id("token-row")).to_have_count(1)
    for url in (reverse("partnership:contract_list", args=[partnership]),
                reverse("partnership:deliverable_list", args=[partnership]),
                reverse("governance:actionitem_list", args=[partnership]),
                reverse("metrics:kpidefinition_list", args=[partnership]),
                reverse("partnership:profile"),
                reverse("partnership:organization_detail")):
        _no_sideways_scroll(phone, demo + url)
    # A History reads as cards: each entry fits the screen, nothing scrolls sideways.
    from partnership.models import Contract

    msa = Contract.objects.get(reference="MSA-NWM-2024")
    url = reverse("partnership:record_history", args=[msa.partnership_id, "contract", msa.pk])
    _no_sideways_scroll(phone, demo + url)
    table = phone.locator("#history-table table")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    cells = phone.locator("#history-table tbody tr").first.locator("td")
    assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]  # stacked
    # Meridian's admin, whose organization has the most people, reads its admin page too.
    phone.context.clear_cookies()
    log_in(phone, demo, "olga@meridian.example")
    _no_sideways_scroll(phone, demo + reverse("partnership:organization_detail"))


def test_the_sign_dialog_fits_a_phone(phone, demo, signable):
    log_in(phone, demo, "nora@northwind.example")
    phone.goto(demo + signable.get_absolute_url())
    phone.get_by_role("link", name="Sign: contract executed").click()
    dialog = phone.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Event", exact=True)).to_have_count(0)
    for name in ("Sign", "Cancel"):
        button = dialog.get_by_role("button" if name == "Sign" else "link", name=name,
                                    exact=True)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box is not None
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], (name, box)
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], (name, box)
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_qa_desk_fits_a_phone(phone, demo):
    """Its sections stack as cards of rows: long titles wrap, nothing scrolls sideways."""
    for email in ("quinn@northwind.example", "ravi@meridian.example"):
        phone.context.clear_cookies()
        log_in(phone, demo, email)
        _no_sideways_scroll(phone, demo + reverse("governance:quality_desk"))
        expect(phone.locator("#desk-capas")).to_be_visible()


def test_a_partnership_page_on_a_phone_opens_on_its_content(phone, demo):
    """The partnership's two dozen sections fold behind one button on a phone, so the page's
    heading is on the first screen; a long status badge (the CDMO-internal deviation's) wraps
    instead of pushing the page sideways."""
    from governance.models import Deviation

    deviation = Deviation.objects.get(reference="DEV-2305")
    assert deviation.is_internal
    log_in(phone, demo, "ravi@meridian.example")
    _no_sideways_scroll(phone, demo + deviation.get_absolute_url())
    heading = phone.get_by_role("heading", name="DEV-2305")
    assert heading.bounding_box()["y"] < PHONE["height"] / 2
    sections = phone.get_by_role("navigation", name="Partnership")
    expect(sections.get_by_role("link", name="CAPAs")).to_be_hidden()
    sections.get_by_role("button", name="Sections").click()
    sections.get_by_role("link", name="CAPAs").click()
    expect(phone.get_by_role("heading", name="CAPAs", exact=True)).to_be_visible()
