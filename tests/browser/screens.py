"""The two screens the journeys are walked on, a desk and a phone (390 px wide), and what
a journey checks or does differently on the phone."""

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def top_bar_link(page, name):
    """Follow a link of the top bar; on the phone it hides behind its toggle button."""
    if page.phone:
        page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def assert_fits(page):
    """Nothing on the page scrolls it sideways."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in {widths[1]} px"
