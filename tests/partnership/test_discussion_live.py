"""A record's discussion follows while its page is open (portal.live): the comments part of
the thread is polled with the version the viewer was shown; 304 after one query while they
would see the same comments, the new comments when someone posted one they may see. Only
what the viewer sees makes the version: another party's internal comment changes nothing,
not even the entity tag. The box being typed into is outside the polled part."""

import re

import pytest
from django.urls import reverse

from governance.models import Request
from partnership.discussion import services
from partnership.templatetags.discussion import discussion_url


@pytest.fixture
def world(saved_world):
    return saved_world


def the_request(world) -> Request:
    return Request.objects.get(partnership=world.acme_contoso)


def live_url(record) -> str:
    return reverse("partnership:record_discussion_live",
                   args=[record.partnership_id, "request", record.pk])


def test_the_thread_polls_its_comments_not_its_box(world, login):
    request = the_request(world)
    thread = login(world.alice).get(discussion_url(request),
                                    HTTP_HX_REQUEST="true").content.decode()
    region = re.search(r'<div id="discussion-comments" data-live data-live-etag="[^"]+" '
                       r'hx-get="([^"]+)"', thread)
    assert region and region.group(1) == live_url(request)
    # The box comes before the polled part and is not inside it.
    assert thread.index("<form") < thread.index("</form>") < region.start()


def test_an_unchanged_thread_answers_304_after_one_query(world, login,
                                                        django_assert_max_num_queries):
    request = the_request(world)
    client = login(world.alice)
    first = client.get(live_url(request))
    assert first.status_code == 200 and first["X-Live-Record"] == "1"
    assert "Post comment" not in first.content.decode()  # the box is not in the part
    assert "<html" not in first.content.decode()
    client.get("/")
    with django_assert_max_num_queries(3) as queries:  # session, user, the version
        unchanged = client.get(live_url(request), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    own = [q["sql"] for q in queries.captured_queries if "comment" in q["sql"]]
    assert len(own) == 1


def test_the_other_partys_comment_appears(world, login):
    request = the_request(world)
    alice = login(world.alice)
    etag = alice.get(live_url(request))["ETag"]
    services.comment_post(actor=world.bob, record=request, body="Lot 7 ships on Monday.")
    changed = alice.get(live_url(request), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    part = changed.content.decode()
    assert "Lot 7 ships on Monday." in part and 'data-testid="live-updated"' in part
    assert "a comment was posted" in part
    assert f'data-live-etag="{changed["ETag"].replace(chr(34), "&quot;")}"' in part


def test_a_withdrawal_shows_on_the_other_partys_open_page(world, login):
    request = the_request(world)
    comment = services.comment_post(actor=world.bob, record=request, body="Wrong lot, sorry.")
    alice = login(world.alice)
    etag = alice.get(live_url(request))["ETag"]
    services.comment_withdraw(actor=world.bob, comment=comment, reason="Posted on the "
                                                                       "wrong request.")
    changed = alice.get(live_url(request), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Posted on the wrong request." in changed.content.decode()
    assert "Wrong lot, sorry." not in changed.content.decode()


def test_another_partys_internal_comment_changes_nothing_the_viewer_sees(world, login):
    request = the_request(world)
    alice, bob = login(world.alice), login(world.bob)
    alice_etag = alice.get(live_url(request))["ETag"]
    bob_etag = bob.get(live_url(request))["ETag"]
    services.comment_post(actor=world.bob, record=request, is_internal=True,
                          body="Between us: the line is down.")
    assert alice.get(live_url(request), HTTP_IF_NONE_MATCH=alice_etag).status_code == 304
    assert alice.get(live_url(request))["ETag"] == alice_etag  # not even the tag moves
    mine = bob.get(live_url(request), HTTP_IF_NONE_MATCH=bob_etag)
    assert mine.status_code == 200 and "Between us" in mine.content.decode()


def test_the_version_is_each_viewers_own_and_a_foreign_thread_is_404(world, login):
    request = the_request(world)
    assert login(world.alice).get(live_url(request))["ETag"] != \
        login(world.bob).get(live_url(request))["ETag"]
    assert login(world.dave).get(live_url(request), HTTP_IF_NONE_MATCH="*").status_code == 404
    assert login(world.alice).post(live_url(request), {"body": "x"}).status_code == 405
