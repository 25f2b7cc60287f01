"""Logging in as one of the demo cast, as a person would."""

import re

from playwright.sync_api import expect

#: Where log-in leads: the list of one's partnerships, or for a person whose seats are all
#: steering seats the steering committee's page.
LANDING = re.compile(r"^(My partnerships|Steering committee)$")


def log_in(page, base, email):
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("lockstep-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=LANDING)).to_be_visible()


def settle(page, url) -> None:
    """Wait, after the page at `url` has loaded, for what its scripts fetch: htmx's loads
    (its elements carry `htmx-request` while one runs) and, on the API docs, the schema.
    Cheaper than waiting for the network to idle on every page (half a second each)."""
    if "/api/docs" in url:
        page.wait_for_load_state("networkidle")
    else:
        expect(page.locator(".htmx-request")).to_have_count(0)  # no eval: the CSP forbids it
