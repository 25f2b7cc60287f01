"""Sam, Northwind's steering committee member, reads the KPIs of Northwind–Meridian: the
tiles on the partnership's home, then the scorecard with a chart drawn per KPI — at a desk
and at a phone's width (390 px), where the charts fit the screen and nothing scrolls
sideways. The browser reports no Content Security Policy violation on the way."""

import pytest
from playwright.sync_api import expect

from partnership.models import Partnership
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

#: Whether a canvas has been drawn on: some pixel is not transparent.
DRAWN = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
  return false;
}"""


def _read_scorecard(page, demo):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    log_in(page, demo, "sam@northwind.example")
    page.goto(f"{demo}/p/{partnership.pk}/")
    card = page.get_by_test_id("kpi-card")
    expect(card.get_by_test_id("kpi-tile").first).to_be_visible()
    card.get_by_role("link", name="Scorecard and charts").click()
    expect(page.get_by_role("heading", name="Scorecard", exact=True)).to_be_visible()
    tiles = page.get_by_test_id("scorecard-tiles").get_by_test_id("kpi-tile")
    expect(tiles.first).to_be_visible()
    rags = {tiles.nth(i).get_attribute("data-rag") for i in range(tiles.count())}
    canvas = page.locator("canvas[data-scorecard-chart]").first
    canvas.scroll_into_view_if_needed()
    expect(canvas).to_be_visible()
    page.wait_for_function("() => { const c = document.querySelector("
                           "'canvas[data-scorecard-chart]'); return c && c.chart; }")
    assert canvas.evaluate(DRAWN), "the chart's canvas is blank"
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the scorecard is {widths[0]} px wide in {widths[1]} px"
    box = canvas.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= widths[1]
    assert violations == []
    return rags


def test_the_steering_member_reads_the_scorecard_at_a_desk(page, demo):
    rags = _read_scorecard(page, demo)
    assert {"green", "amber", "red"} & rags, rags


def test_the_scorecard_fits_a_phone(browser, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        _read_scorecard(context.new_page(), demo)
    finally:
        context.close()
