"""Forms that help and pages that follow the record: a refused form's error summary, live
filters with a Filter button for pages without JavaScript, sortable headers that read as
links, the live part of a record page (304 when unchanged) and the bell's preview."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.actions.services import action_item_create
from governance.models import Request
from governance.requests.services import request_acknowledge
from partnership.notifications.models import Notification
from partnership.notifications.services import notify


@pytest.fixture
def world(saved_world):
    return saved_world


def test_a_refused_dialog_form_opens_with_an_error_summary_linking_each_field(world, login):
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    response = login(world.alice).post(url, {"title": "", "owner": "", "due_date": "soon"},
                                       HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary and 'tabindex="-1"' in summary.group() and "data-error-summary" in \
        summary.group()
    for field in ("title", "owner", "due_date"):
        assert f'href="#id_{field}"' in summary.group(), field
    assert page.index("data-error-summary") < page.index('id="id_title"')  # at the top


def test_an_unrefused_form_has_no_error_summary(world, login):
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    assert "data-error-summary" not in login(world.alice).get(url).content.decode()


def test_a_refused_page_form_lists_its_non_field_errors_in_the_summary(db, client):
    response = client.post(reverse("login"), {"username": "nobody@example.test",
                                              "password": "wrong"})
    page = response.content.decode()
    assert "data-error-summary" in page
    summary = page[page.index("data-error-summary"):page.index("</ul>", page.index(
        "data-error-summary"))]
    assert "<li>" in summary


def test_filters_apply_as_they_change_and_the_button_is_only_for_pages_without_js(
        world, login):
    page = login(world.alice).get(
        reverse("governance:actionitem_list", args=[world.acme_contoso.pk])).content.decode()
    bar = page[page.index('role="search" aria-label="Filter"'):]
    bar = bar[:bar.index("</form>")]
    assert 'hx-trigger="change, keyup changed delay:300ms' in bar
    assert 'hx-push-url="true"' in bar
    assert re.search(r'<button class="[^"]*no-js-only[^"]*" type="submit">Filter</button>', bar)


def test_sortable_headers_are_links_with_their_order(world, login):
    client = login(world.alice)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    page = client.get(url).content.decode()
    assert 'class="sort-link"' in page and "sort-arrow-none" in page and "aria-sort" not in page
    page = client.get(url, {"ordering": "due"}).content.decode()
    header = re.search(r'<th scope="col" aria-sort="ascending">.*?</th>', page, re.S).group()
    assert "ordering=-due" in header and "▲" in header
    page = client.get(url, {"ordering": "-due"}).content.decode()
    assert re.search(r'aria-sort="descending">.*?▼', page, re.S)


def live_url(request):
    return reverse("governance:request_live", args=[request.partnership_id, request.pk])


def test_a_record_page_polls_its_live_part_with_its_version(world, login):
    request = Request.objects.get(title="Acme–Contoso supply agreement request")
    page = login(world.alice).get(request.get_absolute_url()).content.decode()
    region = re.search(r'<div id="live-record" data-live data-live-etag="([^"]+)" '
                       r'hx-get="([^"]+)" hx-trigger="every 15s, live-refresh"', page)
    assert region and region.group(2) == live_url(request)
    assert page.index('id="live-record"') < page.index('id="request-status"') < \
        page.index('id="timeline-h"') < page.index('id="history-h"')


def test_an_unchanged_record_answers_304_after_one_query(world, login,
                                                        django_assert_max_num_queries):
    request = Request.objects.get(title="Acme–Contoso supply agreement request")
    client = login(world.alice)
    first = client.get(live_url(request))
    assert first.status_code == 200 and "<html" not in first.content.decode()
    assert 'id="request-status"' in first.content.decode()
    assert first["X-Live-Record"] == "1" and "no-store" in first["Cache-Control"]
    etag = first["ETag"]
    client.get("/")  # the session and the user are read; what is left is the poll's own
    with django_assert_max_num_queries(3) as queries:  # session, user, the version
        unchanged = client.get(live_url(request), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    own = [q["sql"] for q in queries.captured_queries if "governance_request" in q["sql"]]
    assert len(own) == 1 and "updated_at" in own[0]  # one query reads the record's version


def test_the_other_partys_step_changes_the_live_part(world, login):
    request = Request.objects.get(title="Acme–Contoso supply agreement request")
    alice = login(world.alice)
    etag = alice.get(live_url(request))["ETag"]
    request_acknowledge(actor=world.bob, request=request,
                        committed_date=timezone.localdate() + datetime.timedelta(days=5))
    changed = alice.get(live_url(request), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    part = changed.content.decode()
    assert "Acknowledged" in part and 'data-testid="live-updated"' in part
    assert f'data-live-etag="{changed["ETag"].replace(chr(34), "&quot;")}"' in part


def test_the_version_is_each_viewers_own(world, login):
    request = Request.objects.get(title="Acme–Contoso supply agreement request")
    assert login(world.alice).get(live_url(request))["ETag"] != \
        login(world.bob).get(live_url(request))["ETag"]


def test_a_foreign_record_answers_404_even_with_a_guessed_version(world, login):
    request = Request.objects.get(title="Acme–Contoso supply agreement request")
    response = login(world.dave).get(live_url(request), HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 404


def test_the_bell_previews_the_latest_five_in_bounded_queries(world, login,
                                                              django_assert_max_num_queries):
    for n in range(8):
        notify(recipients=[world.bob], kind="action_assigned", partnership=world.acme_contoso,
               title=f"Preview {n}", url="/")
    client = login(world.bob)
    client.get("/")
    # Session, user, seat checks, the five, the unread count: as many for 8 as for 800.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:notification_preview"))
    page = response.content.decode()
    assert "<html" not in page
    assert page.count('data-testid="bell-preview-item"') == 5
    assert "Preview 7" in page and "Preview 2" not in page  # the latest first
    assert reverse("portal:notification_list") in page and "All notifications" in page
    assert Notification.objects.filter(recipient=world.bob, read_at__isnull=True).count() > 5


def test_the_bell_opens_its_preview_and_stays_a_link_without_javascript(world, login):
    page = login(world.bob).get(reverse("partnership:partnership_list")).content.decode()
    bell = page[page.index('id="bell"') - 60:]
    bell = bell[:bell.index("</a>")]
    assert f'href="{reverse("portal:notification_list")}"' in bell
    assert 'data-bs-toggle="dropdown"' in bell and 'aria-controls="bell-preview"' in bell
    assert f'hx-get="{reverse("portal:notification_preview")}" hx-trigger="bell-open"' in page


def test_an_action_from_the_world_shows_on_its_live_part(world, login):
    item = action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Live one", owner=world.bob, priority="high",
                              due_date=timezone.localdate() + datetime.timedelta(days=3))
    url = reverse("governance:actionitem_live", args=[item.partnership_id, item.pk])
    part = login(world.bob).get(url).content.decode()
    assert "Live one" in part and "High" in part and "<html" not in part
