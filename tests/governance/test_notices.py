"""Strategic notices: posted by either party, acknowledged once by the other party only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import Notice
from governance.relationship.selectors import notices_awaiting
from governance.relationship.services import notice_acknowledge, notice_post, notice_update
from partnership.models import Site
from partnership.notifications.models import Notification


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def post(world, actor=None, **extra):
    fields = {"kind": "supply_delay", "title": "API lot 7 slips by three weeks",
              "body": "Raw material shortage.", **extra}
    return notice_post(actor=actor or world.bob, partnership=world.acme_contoso,
                       **fields)


def test_post_notifies_the_other_party_and_is_never_internal(world):
    notice = post(world, is_internal=True)
    assert notice.is_internal is False and notice.posting_party == "cdmo"
    told = set(Notification.objects.filter(kind="notice_posted").values_list(
        "recipient__email", flat=True))
    assert told == {world.alice.email, world.vera.email}  # Acme's seats, not Bob himself


def test_only_the_other_party_acknowledges_once(world):
    notice = post(world)
    with pytest.raises(ValidationError, match="Only the other party"):
        notice_acknowledge(actor=world.bob, notice=notice)
    notice_acknowledge(actor=world.alice, notice=notice)
    notice.refresh_from_db()
    assert notice.acknowledged_by == world.alice and notice.acknowledged_at is not None
    assert Notification.objects.filter(recipient=world.bob,
                                       kind="notice_acknowledged").count() == 1
    with pytest.raises(ValidationError, match="already"):
        notice_acknowledge(actor=world.alice, notice=notice)
    stale = Notice.objects.get(pk=notice.pk)
    stale.acknowledged_at = None  # an out-of-date copy: the conditional UPDATE still refuses
    with pytest.raises(ValidationError, match="already"):
        notice_acknowledge(actor=world.alice, notice=stale)


def test_site_must_be_the_posters_own(world):
    contoso_site = Site.objects.get(name="Contoso Boston")
    assert post(world, site=contoso_site).site == contoso_site
    with pytest.raises(ValidationError) as error:
        post(world, site=Site.objects.get(name="Acme Basel"))
    assert "site" in error.value.message_dict


def test_notices_awaiting_is_what_my_party_must_acknowledge(world):
    mine = post(world)
    awaiting_alice = notices_awaiting(user=world.alice)
    assert mine in awaiting_alice
    assert mine not in notices_awaiting(user=world.bob)  # Contoso posted it
    # The world's Globex–Contoso notice is not Alice's business at all.
    assert not awaiting_alice.filter(partnership=world.globex_contoso).exists()
    notice_acknowledge(actor=world.alice, notice=mine)
    assert mine not in notices_awaiting(user=world.alice,
                                        partnership=world.acme_contoso)


def test_pages_filters_form_and_acknowledge_button(world, login,
                                                   django_assert_max_num_queries):
    for n in range(21):
        post(world, title=f"Notice {n}")
    bob, alice = login(world.bob), login(world.alice)
    url = reverse("governance:notice_list", args=[world.acme_contoso.pk])
    bob.get(url)
    with django_assert_max_num_queries(10):
        page = bob.get(url, {"awaiting": "true"}).content.decode()
    assert "Notice 20" in page and "Awaiting acknowledgement" in page
    assert "Globex" not in page
    by_us = bob.get(url, {"posted_by": "us"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Notice 3" in by_us and "<html" not in by_us
    by_them = bob.get(url, {"posted_by": "them"}).content.decode()
    assert "No notice matches these filters" in by_them
    dialog = bob.get(reverse("governance:notice_create", args=[world.acme_contoso.pk]),
                     HTTP_HX_REQUEST="true").content.decode()
    assert "Contoso Boston" in dialog and "Acme Basel" not in dialog
    assert "is_internal" not in dialog
    notice = Notice.objects.get(title="Notice 0")
    assert "Acknowledge</button>" not in bob.get(notice.get_absolute_url()).content.decode()
    assert "Acknowledge</button>" in alice.get(notice.get_absolute_url()).content.decode()
    # A viewer of the other party reads it but may not acknowledge.
    assert "Acknowledge</button>" not in login(world.vera).get(
        notice.get_absolute_url()).content.decode()
    acknowledge = reverse("governance:notice_acknowledge",
                          args=[world.acme_contoso.pk, notice.pk])
    assert login(world.vera).post(acknowledge).status_code == 403
    bob.post(acknowledge)
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    alice.post(acknowledge)
    notice.refresh_from_db()
    assert notice.acknowledged_by == world.alice
    assert "Acknowledged" in bob.get(notice.get_absolute_url()).content.decode()


def test_create_page_posts_a_notice(world, login):
    url = reverse("governance:notice_create", args=[world.acme_contoso.pk])
    response = login(world.alice).post(url, {"kind": "other", "title": "Portfolio review",
                                             "body": "We re-rank programs in March.",
                                             "is_internal": "on"})
    notice = Notice.objects.get(title="Portfolio review")
    assert response.status_code == 302 and not notice.is_internal
    assert notice.author_organization == world.acme
    missing = login(world.alice).post(url, {"kind": "other"}, HTTP_HX_REQUEST="true")
    assert "title" in missing.context["form"].errors


def test_api_posts_and_acknowledges(world):
    bob, alice = APIClient(), APIClient()
    bob.force_authenticate(world.bob)
    alice.force_authenticate(world.alice)
    created = bob.post("/api/v1/notices/", {
        "partnership": world.acme_contoso.pk, "kind": "capability_exit",
        "title": "Leaving lyophilization", "body": "By 2027.", "is_internal": True},
        format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert Notice.objects.get(pk=pk).is_internal is False
    assert bob.post(f"/api/v1/notices/{pk}/acknowledge/").status_code == 400
    acknowledged = alice.post(f"/api/v1/notices/{pk}/acknowledge/")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_by"] == world.alice.pk
    assert alice.post(f"/api/v1/notices/{pk}/acknowledge/").status_code == 400
    awaiting = alice.get("/api/v1/notices/", {"awaiting": "true"}).json()["results"]
    assert pk not in {row["id"] for row in awaiting}
    foreign_site = Site.objects.get(name="Globex Osaka")
    bad = bob.post("/api/v1/notices/", {"partnership": world.acme_contoso.pk, "kind": "other",
                                        "title": "X", "body": "Y", "site": foreign_site.pk},
                   format="json")
    assert bad.status_code == 400 and "site" in bad.json()


def test_poster_corrects_until_acknowledged(world, login):
    notice = post(world)
    edit = reverse("governance:notice_edit", args=[world.acme_contoso.pk, notice.pk])
    assert "Edit</a>" in login(world.bob).get(notice.get_absolute_url()).content.decode()
    assert "Edit</a>" not in login(world.alice).get(notice.get_absolute_url()).content.decode()
    assert login(world.alice).get(edit).status_code == 403  # not her party's notice
    dialog = login(world.bob).get(edit, HTTP_HX_REQUEST="true").content.decode()
    assert "Correct the notice" in dialog and "<html" not in dialog
    response = login(world.bob).post(edit, {"kind": "supply_delay", "title": "Slips 4 weeks",
                                            "body": "Worse than thought."})
    notice.refresh_from_db()
    assert response.status_code == 302 and notice.title == "Slips 4 weeks"
    notice_acknowledge(actor=world.alice, notice=notice)
    with pytest.raises(ValidationError, match="acknowledged notice"):
        notice_update(actor=world.bob, notice=notice, title="Changed after")
    api = APIClient()
    api.force_authenticate(world.bob)
    assert api.patch(f"/api/v1/notices/{notice.pk}/", {"title": "Again"},
                     format="json").status_code == 400


def test_update_changes_the_stored_notice_not_the_callers_copy(world):
    """The edit form writes into its instance before the service runs; only the fields
    given are changed, on the locked row."""
    notice = post(world)
    copy = Notice.objects.get(pk=notice.pk)
    copy.body = "Half-edited body"
    updated = notice_update(actor=world.bob, notice=copy, title="Slips 4 weeks")
    notice.refresh_from_db()
    assert notice.title == updated.title == "Slips 4 weeks"
    assert notice.body == "Raw material shortage."


def test_acknowledge_button_answers_htmx_with_a_redirect_and_a_message(world, login):
    notice = post(world)
    url = reverse("governance:notice_acknowledge", args=[world.acme_contoso.pk, notice.pk])
    alice = login(world.alice)
    response = alice.post(url, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == notice.get_absolute_url()
    page = alice.get(notice.get_absolute_url()).content.decode()
    assert "You acknowledged “API lot 7 slips by three weeks”." in page
    again = alice.post(url, follow=True).content.decode()
    assert "already been acknowledged" in again


def test_the_receiving_partys_cockpit_awaits_the_notice_until_acknowledged(world, login):
    notice = post(world)  # Contoso posts: Acme must acknowledge
    home = reverse("partnership:partnership_detail", args=[world.acme_contoso.pk])

    def awaiting(user) -> str:
        page = login(user).get(home).content.decode()
        start = page.index('id="awaiting-h"')
        return page[start:page.find("<section", start)]

    assert notice.title in awaiting(world.alice)
    assert notice.title not in awaiting(world.bob)  # the poster's party waits for nobody
    notice_acknowledge(actor=world.alice, notice=notice)
    assert notice.title not in awaiting(world.alice)


def test_form_says_where_a_sites_status_is_set(world, login):
    dialog = login(world.bob).get(reverse("governance:notice_create",
                                          args=[world.acme_contoso.pk]),
                                  HTTP_HX_REQUEST="true").content.decode()
    assert "is set on the site&#x27;s page by your organization&#x27;s admins" in dialog
