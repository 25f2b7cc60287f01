"""The Unread / All tabs of the notifications page: swapped with the list they switch, so the
current tab is the one marked (WCAG 2.1: the state a screen reader announces is true)."""

import re

from django.urls import reverse


def current_tabs(html: str) -> list[str]:
    """The ids of the tabs marked current (active, aria-current="page")."""
    return re.findall(r'<a class="nav-link active" aria-current="page" id="(tab-\w+)"', html)


def test_the_htmx_response_of_a_tab_marks_that_tab_current(world, login):
    client = login(world.bob)
    url = reverse("portal:notification_list")
    unread = client.get(url, {"show": "unread"}, HTTP_HX_REQUEST="true").content.decode()
    assert unread.lstrip().startswith('<div id="results"')
    assert current_tabs(unread) == ["tab-unread"]
    everything = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert current_tabs(everything) == ["tab-all"]
    page = client.get(url, {"show": "unread"}).content.decode()
    assert current_tabs(page) == ["tab-unread"]  # the same tabs, once, in the full page
    assert page.count('id="unread-tab-count"') == 1
