"""Long words wrap on a phone (390 px): a request whose title and description are one word
each, as long as the fields take (a pasted link, a lot number without spaces), and an
action of the same, leave no page it appears on wider than the screen — its own page, the
lists, the home's cards and My work, for the party that sent it and the one that answers."""

import pytest
from django.urls import reverse

from tests.browser.login import log_in
from tests.browser.screens import assert_fits

pytestmark = pytest.mark.browser

WORD = "https://example.test/" + "LOT7-PPQ-" * 18  # one word of 183 characters
BODY = "A" * 3000  # one word of several screens


@pytest.fixture
def long_words(demo):
    """Nora (Northwind) sends Meridian a request and gives Mei an action, each one word."""
    import datetime

    from django.utils import timezone

    from governance.actions.services import action_item_create
    from governance.requests.services import request_send
    from partnership.models import Partnership, User

    nora = User.objects.get(email="nora@northwind.example")
    mei = User.objects.get(email="mei@meridian.example")
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Meridian Biomanufacturing")
    request = request_send(actor=nora, partnership=partnership, title=WORD[:200],
                           description=BODY, kind="information")
    action = action_item_create(actor=nora, partnership=partnership, title=WORD[:200],
                                description=BODY, owner=mei,
                                due_date=timezone.localdate() + datetime.timedelta(days=2))
    return partnership, request, action


def test_long_words_wrap_at_a_phones_width(phone, demo, long_words):
    partnership, request, action = long_words
    pages = (request.get_absolute_url(), action.get_absolute_url(),
             reverse("partnership:partnership_detail", args=[partnership.pk]),
             reverse("governance:my_work"))
    for email in ("mei@meridian.example", "nora@northwind.example"):
        phone.context.clear_cookies()
        log_in(phone, demo, email)
        for url in pages:
            phone.goto(demo + url)
            phone.wait_for_load_state("networkidle")
            if "my-work" not in url:  # My work pages through the demo's many items
                assert WORD[:40] in phone.content()
            assert_fits(phone)
    # The long title really wraps on the request's page: its heading is taller than a line.
    phone.goto(demo + request.get_absolute_url())
    heading = phone.get_by_role("heading", level=1)
    assert heading.bounding_box()["height"] > 3 * 16


#: A badge of a table or a card that sticks out of its table cell, or whose one word is
#: broken over two lines ("Emergenc|y", "Deliver|able", "Gre|en"), as [text, why].
BADGES_OUT_OF_PLACE = """() => [...document.querySelectorAll('main :is(td, .card) .badge')]
.flatMap(b => {
  const r = b.getBoundingClientRect(), cell = b.closest('td');
  const text = b.textContent.trim();
  const past = cell && r.right > cell.getBoundingClientRect().right + 1;
  if (past) return [[text, 'sticks out of its cell']];
  const twoLines = r.height > 1.8 * parseFloat(getComputedStyle(b).fontSize) + 8;
  if (!/\\s/.test(text) && twoLines) return [[text, 'one word on two lines']];
  return [];
})"""


def test_badges_in_tables_keep_their_words_whole_at_a_desk(browser, demo):
    """At a 1280-px desk, My work's kind and overdue badges and the requests list's
    urgency badge were broken mid-word or laid over the next column, the home's KPI tiles'
    RAG badges broken mid-word."""
    from partnership.models import Partnership

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, demo, "nora@northwind.example")
    partnership = Partnership.objects.get(sponsor__name="Northwind Biologics",
                                          cdmo__name="Aurora Analytical Labs")
    for url in (reverse("governance:my_work"),
                reverse("governance:request_list", args=[partnership.pk]),
                reverse("partnership:partnership_detail", args=[partnership.pk])):
        page.goto(demo + url)
        page.wait_for_load_state("networkidle")
        assert page.locator("main :is(td, .card) .badge").count() > 3
        assert page.evaluate(BADGES_OUT_OF_PLACE) == [], url
    context.close()
