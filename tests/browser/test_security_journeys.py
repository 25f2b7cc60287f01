"""The Content Security Policy, enforced by a real Chromium: the portal's pages, its dialogs,
the API docs and the admin run without a single violation (Playwright, the demo world)."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

from partnership.accounts.demo import DEMO_TOTP_KEY
from tests.browser.login import log_in, settle
from tests.browser.test_two_factor_journeys import code_for, password_step

pytestmark = pytest.mark.browser

# Reported by the page itself as well as on the console, so none slips by either route.
LISTEN = """window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:` +
  `${e.lineNumber}`));"""


def watch(page) -> list[str]:
    seen = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return seen


def violations_on(page) -> list[str]:
    return [f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations || []")]


def visit(page, url) -> list[str]:
    response = page.goto(url)
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} \
        or "content-security-policy" in response.headers, f"{url} has no CSP"
    settle(page, url)
    return violations_on(page)


def test_the_portal_runs_under_its_policy(page, demo):
    console = watch(page)
    log_in(page, demo, "nora@northwind.example")
    host = urlparse(demo).netloc
    queue, seen, found = [f"{demo}/"], set(), []
    while queue and len(seen) < 45:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        found += visit(page, url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            absolute = urljoin(url, href).split("#")[0]
            parsed = urlparse(absolute)
            if parsed.netloc == host and absolute not in seen and not re.search(
                    r"logout|/admin/|format=|\.ics|/documents/\d+/", absolute):
                queue.append(absolute)
    assert len(seen) > 25 and any("/contracts/" in url for url in seen)

    # The browsable API (its forms, filters, extra actions) and the docs, which ran their
    # scripts if they show the API's title.
    for path in ("/api/v1/", "/api/v1/contracts/", "/api/v1/requests/", "/api/docs/"):
        found += visit(page, f"{demo}{path}")
    expect(page.locator(".swagger-ui .info")).to_be_visible()

    # A dialog opened by htmx, with a file field; and the bell's poll and a filter swap.
    page.goto(f"{demo}/")
    page.get_by_role("link", name="Northwind Biologics – Meridian").first.click()
    page.get_by_role("link", name="Contracts").first.click()
    page.get_by_role("link", name=re.compile("MSA-NWM-2024")).first.click()
    page.get_by_role("link", name=re.compile("Attach a file")).click()
    expect(page.locator("dialog[open] input[type=file]")).to_be_visible()
    found += violations_on(page)
    assert not found + console, "\n".join(found + console)


def test_the_admin_runs_under_its_policy(page, demo):
    console = watch(page)
    password_step(page, demo, "admin@lockstep.example")  # the operator signs in with a code
    page.get_by_label("Code").fill(code_for(DEMO_TOTP_KEY, 1))  # the seed used the current
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_have_count(0)
    found = visit(page, f"{demo}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    for path in ("/admin/partnership/contract/", "/admin/partnership/partnership/"):
        found += visit(page, f"{demo}{path}")
    page.locator("#result_list a").first.click()
    page.wait_for_load_state("networkidle")
    found += violations_on(page)
    assert not found + console, "\n".join(found + console)


def test_confirmations_still_ask_without_inline_handlers(page, demo):
    """Revoking a token asks first (data-confirm, lockstep.js): no, and nothing happens."""
    console = watch(page)
    log_in(page, demo, "nora@northwind.example")
    page.goto(f"{demo}/account/profile/")
    page.get_by_role("textbox", name="Name", exact=True).fill("Nightly export")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    revoke = page.get_by_role("button", name="Revoke Nightly export")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    revoke.click()
    expect(revoke).to_be_visible()
    assert asked == ["Revoke the token “Nightly export”? Integrations using it stop working."]
    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(revoke).to_have_count(0)
    assert not violations_on(page) + console
