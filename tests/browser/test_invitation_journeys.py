"""An organization admin invites colleagues in the dialog (Playwright, the demo world).

Nora (Northwind) may invite addresses at northwind.example only; inviting a colleague who
already has an account reads exactly like inviting a new one.
"""

import pytest
from playwright.sync_api import expect

from partnership.models import User
from tests.browser.login import log_in

pytestmark = pytest.mark.browser


def invite(page, demo, email: str):
    page.goto(f"{demo}/organization/")
    page.get_by_role("link", name="Invite a colleague").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Addresses at northwind.example.")).to_be_visible()
    dialog.get_by_label("E-mail address").fill(email)
    dialog.get_by_label("First name").fill("Pat")
    dialog.get_by_label("Last name").fill("Doe")
    dialog.get_by_role("button", name="Send invitation").click()
    return dialog


def test_admin_invites_at_her_own_domain_only_and_learns_nothing_of_accounts(page, demo):
    log_in(page, demo, "nora@northwind.example")
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()

    dialog = invite(page, demo, "mei@meridian.example")  # Meridian's address, not hers
    expect(dialog.get_by_text("You can invite addresses at northwind.example only.")
           ).to_be_visible()
    assert User.objects.get(email="mei@meridian.example").first_name == "Mei"

    seen = []
    for email in ("pat@northwind.example", "quinn@northwind.example"):  # new, then existing
        invite(page, demo, email)
        alert = page.get_by_role("status").filter(has_text="Invitation sent to")
        expect(alert).to_be_visible()
        seen.append(alert.inner_text().replace(email, "<address>"))
    assert seen[0] == seen[1]
    assert User.objects.get(email="quinn@northwind.example").first_name == "Quinn"
    assert User.objects.get(email="pat@northwind.example").organization.name == \
        "Northwind Biologics"
