"""Two-factor sign-in in the browser (Playwright, the demo world): the operator's log-in
asks for the code after the password; Nora sets up two-factor from her profile, keeps her
backup codes, and her next log-in asks for the code too."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from partnership.accounts.demo import DEMO_TOTP_KEY

pytestmark = pytest.mark.browser


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app with `secret` (base32, as the page shows it) shows."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def next_code(secret: str, after: float) -> str:
    """The app's code in the first 30-second step after the one shown at `after`, waiting for
    that step if need be. Not the code one step ahead: a code accepted a step late (the
    turn-on, across a step's end) moves the device's drift back by one, and django-otp then
    refuses the next step's code; the present one it always takes."""
    used_step = int(after // 30)
    while int(time.time() // 30) <= used_step:
        time.sleep(0.5)
    return code_for(secret)


def password_step(page, demo, email):
    page.goto(f"{demo}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("lockstep-demo")
    page.get_by_role("button", name="Log in").click()


def test_the_operator_gives_a_code_after_the_password(page, demo):
    password_step(page, demo, "admin@lockstep.example")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto(f"{demo}/my-work/")  # nothing else opens before the code
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill("000000" if code_for(DEMO_TOTP_KEY) != "000000" else "1")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    time.sleep(1.1)  # django-otp waits a second after a wrong code
    page.get_by_label("Code").fill(code_for(DEMO_TOTP_KEY, 1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def test_nora_sets_up_two_factor_and_her_next_log_in_asks_for_it(page, demo):
    password_step(page, demo, "nora@northwind.example")
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    page.goto(f"{demo}/account/profile/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("secret").inner_text()
    turned_on_at = time.time()
    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()

    page.context.clear_cookies()
    password_step(page, demo, "nora@northwind.example")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(next_code(secret, after=turned_on_at))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
