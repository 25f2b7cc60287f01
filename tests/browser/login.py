"""Logging in as one of the demo cast, as a person would."""

from playwright.sync_api import expect


def log_in(page, base, email):
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("lockstep-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
