"""The cross-partnership KPI pages in the browser, at a desk and at a phone's width (390 px):
Sam (Northwind's steering committee) opens the portfolio from the top bar, compares
Meridian and Aurora and opens a KPI's whole ranking; Olga (Meridian's organization admin)
reads Meridian's performance across its sponsors, none of them named; Nora reads
Northwind–Meridian's relationship health. No page scrolls sideways on the phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnership.models import Partnership
from tests.browser.login import log_in, settle
from tests.browser.screens import PHONE, assert_fits, top_bar_link

pytestmark = pytest.mark.browser

def test_sam_compares_meridian_and_aurora_in_the_portfolio(screen, demo):
    log_in(screen, demo, "sam@northwind.example")
    top_bar_link(screen, "Portfolio")
    expect(screen.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    partners = screen.get_by_test_id("partners")
    expect(partners.get_by_role("link", name="Meridian Biomanufacturing")).to_be_visible()
    expect(partners.get_by_role("link", name="Aurora Analytical Labs")).to_be_visible()
    delivery = screen.locator('[data-kpi="on-time-delivery"]')
    expect(delivery.locator("tbody tr")).to_have_count(2)
    expect(delivery.get_by_role("link", name="Meridian Biomanufacturing")).to_be_visible()
    expect(delivery.get_by_role("link", name="Aurora Analytical Labs")).to_be_visible()
    expect(delivery.locator("[data-rag]")).to_have_count(2)
    expect(delivery.get_by_test_id("ranked-period")).to_contain_text("Ranked on the values of")
    expect(screen.get_by_test_id("portfolio-overdue")).to_be_visible()
    expect(screen.get_by_text("Helix")).to_have_count(0)
    settle(screen, screen.url)
    assert_fits(screen)
    if screen.phone:  # each KPI's card fits the screen, its table scrolls inside it
        card = delivery.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
        box = delivery.locator(".table-responsive")
        # wider than the phone, the table scrolls in its box; narrow enough, it just fits
        assert box.evaluate("b => getComputedStyle(b).overflowX === 'auto'"
                            " && b.getBoundingClientRect().right <= window.innerWidth")
    # The KPI's name opens its whole ranking, a page of partners with their trends.
    name = delivery.get_by_role("heading").get_by_role("link")
    kpi = name.inner_text()
    name.click()
    expect(screen.get_by_role("heading", name=kpi)).to_be_visible()
    ranking = screen.get_by_test_id("ranking")
    expect(ranking.locator("tbody tr")).to_have_count(2)
    expect(ranking.get_by_role("link", name="Meridian Biomanufacturing")).to_be_visible()
    expect(ranking.get_by_test_id("sparkline")).not_to_have_count(0)
    expect(screen.get_by_text("2 partners in all")).to_be_visible()
    expect(screen.get_by_text("Helix")).to_have_count(0)
    settle(screen, screen.url)
    assert_fits(screen)
    screen.get_by_role("link", name="Portfolio", exact=True).last.click()
    expect(screen.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()


def test_olga_reads_meridians_performance_without_a_sponsors_name(screen, demo):
    log_in(screen, demo, "olga@meridian.example")
    top_bar_link(screen, "Our performance")
    expect(screen.get_by_role("heading", name="Our performance")).to_be_visible()
    figures = screen.get_by_test_id("cdmo-performance")
    row = figures.locator('[data-kpi="on-time-delivery"]')
    expect(row).to_be_visible()
    expect(row.locator("td").first).to_have_text("2")  # Northwind's and Helix's, added up
    for sponsor in ("Northwind", "Helix"):
        expect(figures.get_by_text(sponsor)).to_have_count(0)
    assert_fits(screen)


def test_nora_reads_the_relationship_health_of_a_partnership(screen, demo):
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    log_in(screen, demo, "nora@northwind.example")
    screen.goto(demo + reverse("metrics:relationship_health", args=[partnership.pk]))
    expect(screen.get_by_role("heading", name="Relationship health")).to_be_visible()
    for section in ("warning-signs", "survey-scores", "responsiveness", "health-kpis"):
        expect(screen.get_by_test_id(section)).to_be_visible()
    expect(screen.get_by_test_id("health-kpis").locator("tbody tr").first).to_be_visible()
    assert_fits(screen)
