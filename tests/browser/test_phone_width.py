"""A phone's width (390 × 844, an iPhone 14): lists, the profile's API tokens and the
organization admin's people scroll inside their tables, never the whole page sideways; the
sign dialog fits, its buttons on screen."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.login import log_in, settle
from tests.browser.screens import PHONE, assert_fits

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page, url):
    page.goto(url)
    settle(page, url)  # what htmx loads into the page counts too
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


def test_the_organization_people_keep_their_seats_readable_on_a_phone(phone, demo):
    """The seats column kept no width of its own: a partnership's name broke letter by
    letter down a 50 px column ("Meridia|n Bioman|ufacturi|ng"). It scrolls in its box."""
    log_in(phone, demo, "olga@meridian.example")
    _no_sideways_scroll(phone, demo + reverse("partnership:organization_people"))
    seats = phone.get_by_role("row").filter(has_text="mei@meridian.example").locator(
        "ul.seat-list li").first
    expect(seats).to_contain_text("Northwind Biologics – Meridian Biomanufacturing")
    assert seats.bounding_box()["width"] >= 240  # a name's words on a line, not its letters


def test_my_work_reminders_and_notifications_stay_readable_on_a_phone(phone, demo):
    """My work's "What" and the reminders' "Record" squeezed to five letters a line
    ("Send|the|TSE/B|SE|state|ment"); a notification's "Mark read" to one letter a line."""
    log_in(phone, demo, "mei@meridian.example")
    _no_sideways_scroll(phone, demo + reverse("governance:my_work"))
    title = phone.locator("td.work-title").first
    assert title.bounding_box()["width"] >= 180  # whole words, a line of them
    _no_sideways_scroll(phone, demo + reverse("portal:reminder_list"))
    assert phone.locator("td.work-title").first.bounding_box()["width"] >= 180
    # A notification's "Mark read" is one line, not a column of letters ("M|a|r|k").
    _no_sideways_scroll(phone, demo + reverse("portal:notification_list") + "?show=unread")
    button = phone.get_by_role("button", name=re.compile("^Mark read: ")).first
    assert button.bounding_box()["height"] < 40


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


#: One person per role of the demo's cast (the demo has no viewer): the sponsor's lead, the
#: CDMO's QA lead and member, the sponsor's steering committee member, the CDMO's
#: organization admin (no seat of her own).
CAST = ("nora@northwind.example", "ravi@meridian.example", "tomas@meridian.example",
        "sam@northwind.example", "olga@meridian.example")


def _main_pages(email) -> list[str]:
    """The pages a person comes to (DESIGN §8), in their first partnership, and an
    organization admin's pages of people and load."""
    from governance.models import Request
    from partnership.models import Partnership, User

    user = User.objects.get(email=email)
    partnership = Partnership.objects.visible_to(user).order_by("pk").first()
    request = Request.objects.visible_to(user).filter(partnership=partnership).order_by("pk")
    inside = [reverse(name, args=[partnership.pk]) for name in (
        "partnership:partnership_detail", "governance:request_list",
        "governance:actionitem_list", "governance:meeting_list", "governance:audit_list",
        "governance:deviation_list", "governance:capa_list", "governance:risk_list",
        "metrics:kpi_scorecard", "metrics:steering")]
    admin = [reverse(name) for name in (
        "partnership:organization_detail", "partnership:organization_people",
        "governance:partnership_load")] if user.is_org_admin else []
    return [reverse("landing"), *inside, request.first().get_absolute_url(),
            reverse("governance:my_work"), reverse("governance:search") + "?q=batch",
            reverse("governance:quality_desk"), reverse("governance:audit_calendar"), *admin]


OPEN = re.compile(r"(^|\s)collapse show($|\s)")


def _fold_and_unfold(phone, toggle, menu, link):
    """The button opens its menu and says so; Escape folds it and the focus is back on the
    button; the button folds it too."""
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_have_class(OPEN)  # unfolded: Bootstrap's transition has ended
    link.focus()
    phone.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()
    toggle.click()
    expect(menu).to_have_class(OPEN)
    expect(link).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()


def test_the_main_pages_on_a_desk(page, demo):
    """The same pages on a desk, where the top bar's links are shown (and so checked by axe,
    as every page the journeys visit is: tests/browser/axe.py)."""
    log_in(page, demo, "nora@northwind.example")
    for url in _main_pages("nora@northwind.example"):
        page.goto(demo + url)
        settle(page, url)
        assert_fits(page)


@pytest.mark.parametrize("email", CAST)
def test_the_main_pages_fit_a_phone_for_every_role(phone, demo, email):
    """Each role's main pages at 390 px: nothing scrolls the page sideways (tables scroll in
    their own box, the heat map fits), and the top bar's and the partnership's navigation
    fold behind buttons that open, close and give the focus back."""
    log_in(phone, demo, email)
    pages = _main_pages(email)
    for url in pages:
        _no_sideways_scroll(phone, demo + url)
        if url.endswith("/risks/"):
            heat_map = phone.locator(".heat-map")
            expect(heat_map).to_be_visible()
            box = heat_map.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    phone.goto(demo + pages[1])
    top_bar = phone.get_by_role("navigation", name="Main")
    _fold_and_unfold(phone, top_bar.get_by_role("button", name="Toggle navigation"),
                     phone.locator("#topnav"), top_bar.get_by_role("link", name="My work"))
    sections = phone.get_by_role("navigation", name="Partnership")
    _fold_and_unfold(phone, sections.get_by_role("button", name="Sections"),
                     phone.locator("#partnership-sections"),
                     sections.get_by_role("link", name="Requests"))


@pytest.mark.parametrize("width", [390, 900, 1024])
def test_the_opened_top_bar_fits_a_narrow_window(browser, demo, width):
    """The top bar folds behind its menu button below 1200 px, and the opened menu fits:
    the partnership's long name ("Northwind Biologics – Meridian Biomanufacturing") made a
    phone's page sideways-scrollable, and at 768-1199 px the unfolded bar widened every page
    by up to 400 px."""
    from partnership.models import Partnership

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    log_in(page, demo, "mei@meridian.example")
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    page.goto(demo + partnership.get_absolute_url())
    page.get_by_role("button", name="Toggle navigation").click()
    # Opened (its "show" class is set once the unfolding, which clips it, has ended).
    expect(page.locator("#topnav")).to_have_class(re.compile(r"\bshow\b"))
    assert_fits(page)
    context.close()


def test_the_top_bar_is_one_line_at_a_desk(browser, demo):
    """At 1280 px the bar's links, the bell's count and one's name sit on one line beside
    the partnership's name, which is cut with its full name on hover."""
    from partnership.models import Partnership

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, demo, "max@meridian.example")
    partnership = Partnership.objects.get(sponsor__name="Helix Therapeutics")
    page.goto(demo + partnership.get_absolute_url())
    assert page.locator("nav.topbar").bounding_box()["height"] < 60
    assert page.locator(".topbar-partnership").get_attribute("title") == str(partnership)
    assert_fits(page)
    context.close()
