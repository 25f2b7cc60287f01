"""The browser journeys' shared fixture: the demo world (seeded once a run, copied after
that: tests/demo_copy.py) on a live server."""

import pytest
from playwright.sync_api import expect

from tests import demo_copy
from tests.browser import axe
from tests.browser.screens import DESK, PHONE

# What a journey waits for appears within a second on an idle machine; a busy one (two test
# workers, each with a live server and a browser, on two cores) has been seen to need more
# than Playwright's default five seconds. Waiting longer costs nothing when the page is fast.
expect.set_options(timeout=20_000)


@pytest.fixture(autouse=True)
def _axe_watch(request, browser):
    """Every context a journey opens (through `browser.new_context`, as pytest-playwright's
    `page` and the fixtures here do too) is watched for the pages it loads; after the
    journey, `pytest_runtest_call` below has axe check them (tests/browser/axe.py)."""
    watch = axe.Watch()
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        close, clear_cookies = context.close, context.clear_cookies

        def closing(*a, **k):
            watch.cookies_change(context)
            return close(*a, **k)

        def clearing(*a, **k):
            watch.cookies_change(context)
            return clear_cookies(*a, **k)

        context.close, context.clear_cookies = closing, clearing
        watch.context_opened(context, kwargs.get("viewport"))
        return context

    browser.new_context = watched_context
    request.node.axe_watch = watch
    yield watch
    del browser.new_context


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A journey that passed fails if a page it visited has a serious or critical axe
    violation (checked while its fixtures, and so its contexts, are still open)."""
    outcome = yield
    watch = getattr(item, "axe_watch", None)
    if watch is None or outcome.excinfo is not None:
        return
    visits = watch.finish()
    problems = axe.check(item.funcargs["browser"], visits)
    if problems:
        pytest.fail("axe-core found serious or critical violations:\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def demo(live_server, tmp_path_factory):
    """The demo data (README's cast) served live; returns the server's base URL."""
    demo_copy.seed_or_restore(tmp_path_factory)
    return live_server.url


@pytest.fixture(params=["desk", "phone"])
def screen(request, browser):
    """A new page in a desk-sized or a phone-sized window (each journey runs on both);
    `page.phone` says which."""
    context = browser.new_context(viewport=DESK if request.param == "desk" else PHONE,
                                  accept_downloads=True)
    page = context.new_page()
    page.phone = request.param == "phone"
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A new page in a phone-sized window (390 px), for the checks of a phone's width."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()
