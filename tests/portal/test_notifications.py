"""The bell, the notifications page, preferences, the API, the e-mails and the daily digest.

DESIGN §2 throughout: a notification is seen by its recipient only, and only while they
still sit in its partnership; foreign ids answer 404 on every door.
"""

import datetime
import smtplib
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.actions.services import action_item_create
from governance.meetings.services import meeting_create, meeting_update
from partnership.models import Membership, Partnership, User
from partnership.notifications import selectors, services
from partnership.notifications.models import Delivery, Notification, NotificationPreference
from partnership.notifications.tasks import (
    send_daily_digests,
    send_notification_emails_task,
    sweep_notification_emails,
)
from partnership.objectives.services import priorities_set
from portal.registries import notification_kinds


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world

TODAY = timezone.localdate()


def assign(world, title="Check the stability data", owner=None, partnership=None):
    """Alice (Acme) gives Bob (Contoso) an action: the real path that notifies him."""
    return action_item_create(
        actor=world.alice, partnership=partnership or world.acme_contoso, title=title,
        owner=owner or world.bob, due_date=TODAY + datetime.timedelta(days=3))


def bell(client) -> str:
    return client.get(reverse("portal:notification_bell")).content.decode()


def test_assigning_an_action_rings_the_owners_bell_only(world, login):
    bob = login(world.bob)
    assert 'aria-label="Notifications, 1 unread"' in bell(bob)  # the world's own one
    assign(world)
    page = bell(bob)
    assert 'aria-label="Notifications, 2 unread"' in page
    assert 'hx-trigger="every 30s, notifications-changed from:body"' in page
    # Carol works at Contoso too, but for Globex: nothing of Acme reaches her.
    assert "Action for you" not in login(world.carol).get(
        reverse("portal:notification_list")).content.decode()
    assert not Notification.objects.filter(recipient=world.alice, kind="action_assigned",
                                           title__contains="stability").exists()


def test_unread_count_is_one_query(world, django_assert_num_queries):
    for n in range(20):
        assign(world, title=f"Action {n}")
    with django_assert_num_queries(1):
        assert selectors.unread_count(user=world.bob) == 21


def test_every_page_polls_the_bell_at_the_configured_interval(world, login, settings):
    settings.NOTIFICATION_POLL_SECONDS = 2
    page = login(world.bob).get(reverse("partnership:partnership_list")).content.decode()
    assert 'hx-trigger="load, every 2s, notifications-changed from:body"' in page
    assert reverse("portal:notification_bell") in page


def test_list_shows_unread_bold_filters_and_pages(world, login, django_assert_max_num_queries):
    for n in range(25):
        assign(world, title=f"Action {n}")
    client = login(world.bob)
    url = reverse("portal:notification_list")
    client.get(url)
    with django_assert_max_num_queries(10):  # session, user, count, page, unread, top bar
        page = client.get(url).content.decode()
    assert 'fw-bold">Action for you: Action 24</button>' in page  # newest first, unread bold
    assert "Page 1 of 2" in page
    read = Notification.objects.get(title="Action for you: Action 24")
    services.notification_mark_read(actor=world.bob, notification=read)
    unread_page = client.get(url, {"show": "unread"}).content.decode()
    assert "Action 24" not in unread_page and "Action 23" in unread_page
    all_page = client.get(url).content.decode()
    assert 'align-baseline">Action for you: Action 24</button>' in all_page  # read: not bold
    partial = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results"') and "<nav" not in partial[:200]


def test_click_posts_marks_read_and_goes_to_the_record(world, login):
    item = assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    client = login(world.bob)
    url = reverse("portal:notification_open", args=[notification.pk])
    page = client.get(reverse("portal:notification_list")).content.decode()
    assert f'<form method="post" action="{url}"' in page  # the title is a button of a form
    assert f'href="{url}"' not in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'Notifications, 1 unread"' in bell(client)


def test_opening_with_htmx_redirects_the_browser(world, login):
    item = assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    response = login(world.bob).post(reverse("portal:notification_open",
                                             args=[notification.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_get_goes_to_the_record_but_leaves_it_unread(world, login):
    """A link followed by a mail scanner, a prefetching browser or another site's <img>
    changes nothing: only the POST of the notifications page marks read."""
    item = assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    client = login(world.bob)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(reverse("portal:notification_open", args=[notification.pk]),
                              **headers)
        assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is None
    assert 'Notifications, 2 unread"' in bell(client)


def test_opening_needs_the_csrf_token(world):
    notification = Notification.objects.filter(recipient=world.bob).first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bob)
    response = client.post(reverse("portal:notification_open", args=[notification.pk]))
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("url", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                 "javascript:alert(1)", "evil.example"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_click_through_never_leaves_the_portal(world, login, url, method):
    notification = Notification.objects.create(
        recipient=world.bob, partnership=world.acme_contoso, kind="action_assigned",
        title="Odd", url=url, delivery=Delivery.IMMEDIATELY)
    response = getattr(login(world.bob), method)(reverse("portal:notification_open",
                                                         args=[notification.pk]))
    assert response["Location"] == reverse("portal:notification_list")


def test_mark_read_with_htmx_returns_the_item_and_rings_the_bell(world, login):
    assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    client = login(world.bob)
    url = reverse("portal:notification_read", args=[notification.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "notifications-changed" in response["HX-Trigger"]
    body = response.content.decode()
    assert body.lstrip().startswith('<li class="list-group-item') and "Mark read" not in body
    assert '<span id="unread-tab-count" hx-swap-oob="true">1</span>' in body  # the tab's count
    assert client.post(url, {"next": "//evil.example"})["Location"] == reverse(
        "portal:notification_list")  # no JavaScript: back to a page of ours


def test_mark_all_read(world, login):
    assign(world)
    assign(world, title="Another")
    client = login(world.bob)
    client.post(reverse("portal:notification_read_all"))
    assert selectors.unread_count(user=world.bob) == 0
    assert selectors.unread_count(user=world.alice) == 2  # hers are untouched


def test_someone_elses_notification_answers_404(world, login):
    alices = Notification.objects.filter(recipient=world.alice,
                                         partnership=world.acme_contoso).first()
    client = login(world.bob)  # same partnership, other recipient
    for name, method in (("portal:notification_open", "get"), ("portal:notification_open",
                         "post"), ("portal:notification_read", "post")):
        assert getattr(client, method)(reverse(name, args=[alices.pk])).status_code == 404
    alices.refresh_from_db()
    assert alices.read_at is None


def test_a_lost_seat_takes_its_notifications_away(world, login):
    assign(world)
    client = login(world.bob)
    mine = Notification.objects.filter(recipient=world.bob).first()
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).delete()
    assert 'Notifications, 0 unread"' in bell(client)
    assert "Action for you" not in client.get(reverse("portal:notification_list")
                                              ).content.decode()
    for method in ("get", "post"):
        assert getattr(client, method)(reverse("portal:notification_open",
                                               args=[mine.pk])).status_code == 404


# --- Preferences ----------------------------------------------------------------------------

def test_preferences_page_saves_each_kind_and_notify_obeys(world, login):
    client = login(world.bob)
    url = reverse("portal:notification_preferences")
    page = client.get(url).content.decode()
    assert 'aria-labelledby="row-action_assigned col-daily_digest"' in page
    choices = {kind: Delivery.IMMEDIATELY for kind in notification_kinds.codes()}
    choices["action_assigned"] = Delivery.OFF
    choices["request_received"] = Delivery.DAILY_DIGEST
    assert client.post(url, choices).status_code == 302
    assert selectors.notification_preferences(user=world.bob)["action_assigned"] == "off"
    assign(world)
    assert not Notification.objects.filter(recipient=world.bob,
                                           title__contains="stability").exists()
    choices["action_assigned"] = Delivery.DAILY_DIGEST
    client.post(url, choices)
    assign(world)
    assert Notification.objects.get(recipient=world.bob, title__contains="stability"
                                    ).delivery == Delivery.DAILY_DIGEST
    choices["action_assigned"] = Delivery.IMMEDIATELY  # the default: the row goes away
    client.post(url, choices)
    assert not NotificationPreference.objects.filter(user=world.bob,
                                                     kind="action_assigned").exists()


def test_preferences_refuse_bad_values(world, login):
    client = login(world.bob)
    response = client.post(reverse("portal:notification_preferences"),
                           {"action_assigned": "loudly"})
    assert response.status_code == 200 and "Some choices could not be saved" in \
        response.content.decode()
    with pytest.raises(Exception, match="not a kind"):
        services.notification_preferences_update(actor=world.bob, choices={"x": "off"})


def test_profile_links_to_the_settings(world, login):
    page = login(world.bob).get(reverse("partnership:profile")).content.decode()
    assert reverse("portal:notification_preferences") in page


# --- API ----------------------------------------------------------------------------------

def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_own_and_marks_read(world):
    assign(world)
    client = api(world.bob)
    rows = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert {row["title"] for row in rows} >= {"Action for you: Check the stability data"}
    assert all(Notification.objects.get(pk=row["id"]).recipient == world.bob for row in rows)
    first = rows[0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read/").json()["read_at"]
    assert client.post("/api/v1/notifications/read-all/").json() == {
        "marked_read": len(rows) - 1}
    alices = Notification.objects.filter(recipient=world.alice).first()
    assert client.get(f"/api/v1/notifications/{alices.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{alices.pk}/read/").status_code == 404


def test_api_preferences(world):
    client = api(world.bob)
    response = client.post("/api/v1/notification-preferences/",
                           {"kind": "request_received", "delivery": "daily_digest"},
                           format="json")
    assert response.status_code == 201
    kinds = {row["kind"]: row["delivery"] for row in
             client.get("/api/v1/notification-preferences/").json()["results"]}
    assert kinds["request_received"] == "daily_digest"
    bad = client.post("/api/v1/notification-preferences/", {"kind": "nope",
                                                             "delivery": "off"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert client.post("/api/v1/notification-preferences/",
                       {"kind": "request_received", "delivery": "immediately"},
                       format="json").status_code == 200
    assert not NotificationPreference.objects.filter(user=world.bob,
                                                     kind="request_received").exists()


# --- E-mail: immediately, and the daily digest ----------------------------------------------

def test_immediate_email_is_sent_once_and_not_after_the_seat_is_gone(world):
    assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    assert send_notification_emails_task(notification_ids=[notification.pk]) == 1
    assert send_notification_emails_task(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.bob.email] and "stability" in message.subject
    assert notification.url in message.body and notification.url in message.alternatives[0][0]
    assign(world, title="After the seat")
    later = Notification.objects.get(recipient=world.bob, title__contains="After the seat")
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).delete()
    assert send_notification_emails_task(notification_ids=[later.pk]) == 0
    assert len(mail.outbox) == 1


def _digest_world(world):
    """Bob gets action notifications in a digest; two partnerships' worth for Alice."""
    services.notification_preferences_update(
        actor=world.bob, choices={"action_assigned": Delivery.DAILY_DIGEST})
    services.notification_preferences_update(
        actor=world.alice, choices={"action_assigned": Delivery.DAILY_DIGEST})
    assign(world, title="Digest one")
    assign(world, title="Digest two")
    action_item_create(
        actor=world.bob, partnership=world.acme_contoso, title="For Alice in Contoso",
        owner=world.alice, due_date=TODAY)
    lena = world.acme_labcorp.memberships.exclude(user=world.alice).get().user
    action_item_create(
        actor=lena, partnership=world.acme_labcorp, title="For Alice in Labcorp",
        owner=world.alice, due_date=TODAY)


def test_daily_digest_groups_by_partnership_and_runs_once(world, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    _digest_world(world)
    assert send_daily_digests() == 2
    assert send_daily_digests() == 0  # the second run finds everything claimed
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {world.alice.email, world.bob.email}
    bobs = by_recipient[world.bob.email]
    assert "Digest one" in bobs.body and "Digest two" in bobs.body
    assert "Labcorp" not in bobs.body and "Labcorp" not in bobs.alternatives[0][0]
    alices = by_recipient[world.alice.email].alternatives[0][0]
    assert alices.index("Acme Pharma – Contoso CDMO") < alices.index("For Alice in Contoso") \
        < alices.index("Acme Pharma – Labcorp Testing") < alices.index("For Alice in Labcorp")
    # Something new later the same day waits for tomorrow's digest.
    assign(world, title="Digest three")
    assert send_daily_digests() == 0
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    sent = services.digest_claim(user=world.bob, now=tomorrow)
    assert [n.title for n in sent] == ["Action for you: Digest three"]


def test_digest_waits_for_the_hour_in_the_recipients_zone(world, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    world.bob.time_zone = "Asia/Tokyo"
    world.bob.save()
    _digest_world(world)
    early = datetime.datetime(2026, 5, 4, 21, 30, tzinfo=datetime.UTC)  # 06:30 in Tokyo
    assert services.digest_claim(user=world.bob, now=early) == []
    on_time = early + datetime.timedelta(hours=1)  # 07:30 in Tokyo, still 21:30 UTC+1h
    assert len(services.digest_claim(user=world.bob, now=on_time)) == 2


def test_digest_leaves_out_a_partnership_the_seat_was_removed_from(world, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    _digest_world(world)
    Membership.objects.filter(user=world.alice, partnership=world.acme_labcorp).delete()
    send_daily_digests()
    alices = next(m for m in mail.outbox if m.to == [world.alice.email])
    assert "For Alice in Contoso" in alices.body and "Labcorp" not in alices.body


@pytest.mark.django_db(transaction=True)
def test_digest_runs_on_the_real_worker_and_twice_sends_once(world_committed, celery_worker,
                                                             settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    _digest_world(world_committed)
    assert send_daily_digests.delay().get(timeout=30) == 2
    assert send_daily_digests.delay().get(timeout=30) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world_committed.alice.email, world_committed.bob.email])
    assert not Notification.objects.filter(delivery=Delivery.DAILY_DIGEST,
                                           emailed_at__isnull=True).exists()


def test_beat_schedules_the_digest(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "partnership.notifications.tasks.send_daily_digests" in tasks


# --- Priorities ---------------------------------------------------------------------------

def test_a_priority_change_notifies_the_cdmo_members(world):
    priorities_set(
        actor=world.alice, partnership=world.acme_contoso, titles=["Fill-finish", "Stability"],
        reason="Launch moved up")
    told = Notification.objects.filter(kind="priority_changed")
    assert {n.recipient for n in told} == {world.bob}
    assert told.get().url == reverse("partnership:priority_list", args=[world.acme_contoso.pk])


def test_polling_the_bell_does_not_keep_the_session_alive(world, password):
    from django.test import Client

    from portal.middleware import SessionMiddleware

    client = Client()
    assert client.login(request=HttpRequest(), email=world.bob.email, password=password)
    session = client.session  # its last save a minute ago: the next page pushes it forward
    session[SessionMiddleware.SAVED_AT] = int(time.time()) - SessionMiddleware.REFRESH_SECONDS
    session.save()
    assert "sessionid" in client.get(reverse("partnership:partnership_list")).cookies
    session = client.session
    session[SessionMiddleware.SAVED_AT] = int(time.time()) - SessionMiddleware.REFRESH_SECONDS
    session.save()  # the poll would be due a save too, were it not passive
    polled = client.get(reverse("portal:notification_bell"), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "sessionid" not in polled.cookies
    client.logout()  # as after the inactivity timeout: nothing to swap into the top bar
    assert client.get(reverse("portal:notification_bell")).status_code == 204


def test_admin_lists_notifications_for_staff(world, client, django_user_model):
    staff = django_user_model.objects.create_superuser("ops@lockstep.test", "pw-ops-12345")
    client.force_login(staff)
    page = client.get("/admin/partnership/notification/").content.decode()
    assert "Acme–Contoso supply agreement notification" in page
    assert client.get("/admin/partnership/notificationpreference/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_digest_once(world_committed, settings):
    """Two runs racing (two workers picking up the beat twice): the lock on the person and
    the conditional claim leave exactly one digest each."""
    import threading

    from django.db import connection

    settings.NOTIFICATION_DIGEST_HOUR = 0
    _digest_world(world_committed)
    results, start = [], threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(send_daily_digests())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) in ([0, 2], [1, 1])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world_committed.alice.email, world_committed.bob.email])


def test_the_bell_is_never_cached_and_varies_by_cookie(world, login):
    """The poll leaves the session's expiry alone, but a shared cache must still not hand
    Bob's count to someone else."""
    response = login(world.bob).get(reverse("portal:notification_bell"),
                                    HTTP_HX_REQUEST="true")
    assert "sessionid" not in response.cookies  # still passive
    assert "Cookie" in response["Vary"]
    assert {"private", "no-store", "no-cache"} <= {
        part.strip() for part in response["Cache-Control"].split(",")}


# --- Who is told: the one scoping rule, read from the partnership's side ----------------------

def test_who_may_see_a_partnership_is_the_scoping_rule_read_backwards(world):
    people = list(User.objects.all())
    for partnership in Partnership.objects.all():
        assert set(User.objects.who_may_see(partnership)) == {
            person for person in people
            if Partnership.objects.visible_to(person).filter(pk=partnership.pk).exists()}
    told = services.notify(
        recipients=[world.olga, world.carol, world.dave, world.oscar, world.bob],
        kind="priority_changed", partnership=world.acme_contoso, title="Told", url="/")
    assert {n.recipient for n in told} == {world.olga, world.bob}  # admin without a seat too

# --- Delivery that survives failures: at least once, never twice once sent ------------------

@pytest.fixture
def refused():
    """E-mail addresses the (test) mail server refuses: add one and sending to it raises, as
    SMTP does; clear the set and the server takes everything again."""
    addresses: set[str] = set()
    send_messages = EmailBackend.send_messages

    def refusing(self, messages):
        for message in messages:
            if addresses & set(message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"Mailbox busy")})
        return send_messages(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", refusing):
        yield addresses


def for_alice(world, title):
    return action_item_create(
        actor=world.bob, partnership=world.acme_contoso, title=title, owner=world.alice,
        due_date=TODAY)


def test_a_failed_send_stays_pending_while_the_rest_go_and_a_rerun_sends_it_once(
        world, refused, caplog):
    assign(world, title="For Bob")
    for_alice(world, "For Alice")
    bobs = Notification.objects.get(recipient=world.bob, title__contains="For Bob")
    alices = Notification.objects.get(recipient=world.alice, title__contains="For Alice")
    refused.add(world.bob.email)
    assert send_notification_emails_task(notification_ids=[bobs.pk, alices.pk]) == 1
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    bobs.refresh_from_db()
    assert bobs.emailed_at is None and f"E-mail of notification {bobs.pk} failed" in caplog.text
    refused.clear()
    assert send_notification_emails_task(notification_ids=[bobs.pk, alices.pk]) == 1
    assert send_notification_emails_task(notification_ids=[bobs.pk, alices.pk]) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.alice.email, world.bob.email])


def test_a_worker_killed_while_sending_leaves_the_email_pending(world):
    assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")

    def killed(self, messages):
        raise SystemExit("worker shut down")

    with mock.patch.object(EmailBackend, "send_messages", killed), \
            pytest.raises(SystemExit):
        send_notification_emails_task(notification_ids=[notification.pk])
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert send_notification_emails_task(notification_ids=[notification.pk]) == 1


@pytest.mark.django_db(transaction=True)
def test_the_queued_task_and_the_sweep_at_once_send_one_email(world_committed):
    """Two workers on the same notification (the queued task and the sweep): the second
    waits on the first one's claim and then finds it sent."""
    import threading
    import time

    assign(world_committed)
    notification = Notification.objects.get(recipient=world_committed.bob,
                                            title__contains="stability")
    send_messages, start, results = EmailBackend.send_messages, threading.Barrier(2), []

    def slow(self, messages):
        time.sleep(0.5)  # a slow mail server: the other worker arrives meanwhile
        return send_messages(self, messages)

    def run():
        try:
            start.wait()
            results.append(send_notification_emails_task(notification_ids=[notification.pk]))
        finally:
            connection.close()

    with mock.patch.object(EmailBackend, "send_messages", slow):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(results) == [0, 1] and len(mail.outbox) == 1


def test_the_sweep_sends_what_a_lost_task_never_did(world):
    now = timezone.now()
    for title, age in (("Lost task", selectors.EMAIL_SWEEP_AFTER),
                       ("Just now", datetime.timedelta(minutes=1)),
                       ("Long ago", selectors.EMAIL_GIVE_UP_AFTER)):
        assign(world, title=title)
        Notification.objects.filter(title__contains=title).update(
            created_at=now - age - datetime.timedelta(seconds=1))
    lena = world.acme_labcorp.memberships.exclude(user=world.alice).get().user
    action_item_create(actor=lena, partnership=world.acme_labcorp,
                                           title="Seat gone", owner=world.alice,
                                           due_date=TODAY)
    gone = Notification.objects.get(title__contains="Seat gone")
    Notification.objects.filter(pk=gone.pk).update(created_at=now - datetime.timedelta(hours=1))
    Membership.objects.filter(user=world.alice, partnership=world.acme_labcorp).delete()
    assert sweep_notification_emails() == 1
    assert [m.subject for m in mail.outbox] == ["[Lockstep] Action for you: Lost task"]
    gone.refresh_from_db()
    assert gone.email_skipped and gone.emailed_at is not None  # never tried again
    assert selectors.notification_emails_pending() == []
    assert sweep_notification_emails() == 0


def test_beat_sweeps_unsent_emails_every_five_minutes(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["partnership.notifications.tasks.sweep_notification_emails"] == 300.0


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_keeps_the_write_and_the_sweep_mails_it_later(world_committed, login):
    """The e-mail task is queued after commit: with the broker down, the action is saved,
    the page answers as usual (no 500) and the sweep sends the e-mail when it runs."""
    from kombu.exceptions import OperationalError

    world = world_committed
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(send_notification_emails_task, "delay", side_effect=down) as delay:
        response = login(world.alice).post(
            reverse("governance:actionitem_create", args=[world.acme_contoso.pk]),
            {"title": "Broker down", "owner": world.bob.pk, "priority": "high",
             "due_date": (TODAY + datetime.timedelta(days=3)).isoformat()})
    assert delay.called and response.status_code == 302
    pending = Notification.objects.get(recipient=world.bob, title__contains="Broker down")
    assert pending.emailed_at is None and not mail.outbox
    Notification.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - selectors.EMAIL_SWEEP_AFTER)
    assert sweep_notification_emails() == 1 and mail.outbox[0].to == [world.bob.email]


def test_a_title_with_a_newline_is_mailed_on_one_subject_line(world):
    assign(world, title="Check the\nstability   data")
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    assert send_notification_emails_task(notification_ids=[notification.pk]) == 1
    assert mail.outbox[0].subject == "[Lockstep] Action for you: Check the stability data"


def test_one_email_never_loads_the_recipients_other_notifications(
        world, django_assert_max_num_queries):
    for n in range(5):
        assign(world, title=f"Action {n}")
    target = Notification.objects.get(recipient=world.bob, title__endswith="Action 2")
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(4):
        assert send_notification_emails_task(notification_ids=[target.pk]) == 1
    table = Notification._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if f'"{table}"' in q["sql"]]
    assert reads and all(f'"{table}"."id" = {target.pk}' in sql for sql in reads)


def test_a_deactivated_person_gets_no_email_and_it_is_not_retried(world):
    assign(world)
    notification = Notification.objects.get(recipient=world.bob, title__contains="stability")
    world.bob.is_active = False
    world.bob.save()
    assert send_notification_emails_task(notification_ids=[notification.pk]) == 0
    assert not mail.outbox
    notification.refresh_from_db()
    assert notification.email_skipped and notification.emailed_at is not None


def test_a_failed_digest_is_retried_next_run_and_the_others_go(world, settings, refused):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    _digest_world(world)
    refused.add(world.bob.email)
    assert send_daily_digests() == 1
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    assert Notification.objects.filter(recipient=world.bob, delivery=Delivery.DAILY_DIGEST,
                                       emailed_at__isnull=True).count() == 2
    refused.clear()
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0
    assert "Digest one" in mail.outbox[1].body


def test_a_digest_of_a_partnership_left_is_never_sent_even_when_the_seat_returns(
        world, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    services.notification_preferences_update(
        actor=world.alice, choices={"action_assigned": Delivery.DAILY_DIGEST})
    lena = world.acme_labcorp.memberships.exclude(user=world.alice).get().user
    action_item_create(actor=lena, partnership=world.acme_labcorp,
                                           title="For Alice in Labcorp", owner=world.alice,
                                           due_date=TODAY)
    seat = Membership.objects.get(user=world.alice, partnership=world.acme_labcorp)
    seat.delete()
    assert send_daily_digests() == 0
    stale = Notification.objects.get(title__contains="in Labcorp")
    assert stale.email_skipped and stale.emailed_at is not None
    assert world.alice not in selectors.digest_recipients()  # not looked at every hour
    for_alice(world, "For Alice in Contoso")  # skipping was no digest: today's still goes
    assert send_daily_digests() == 1
    assert "in Contoso" in mail.outbox[0].body and "Labcorp" not in mail.outbox[0].body
    Membership.objects.create(user=world.alice, partnership=world.acme_labcorp, role=seat.role)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert services.digest_claim(user=world.alice, now=tomorrow) == []


# --- Times in the recipient's zone (DESIGN §8) ------------------------------------------------

def test_a_meeting_time_reads_in_each_recipients_own_zone(world, login, settings):
    world.bob.time_zone = "Asia/Tokyo"
    world.bob.save()
    world.alice.time_zone = "America/New_York"
    world.alice.save()
    services.notification_preferences_update(
        actor=world.alice, choices={"meeting_scheduled": Delivery.DAILY_DIGEST})
    starts = datetime.datetime(2026, 6, 2, 14, tzinfo=datetime.UTC)
    meeting = meeting_create(
        actor=world.alice, partnership=world.acme_contoso, title="QBR", kind="business_review",
        starts_at=starts, attendees=[world.alice, world.bob])
    meeting_update(actor=world.bob, meeting=meeting, title="QBR (moved)")
    bobs = Notification.objects.get(recipient=world.bob, kind="meeting_scheduled")
    assert bobs.event_at == starts and "UTC" not in bobs.body
    tokyo = "Tue 2 Jun 2026, 23:00 (Asia/Tokyo)"
    assert tokyo in login(world.bob).get(reverse("portal:notification_list")).content.decode()
    assert send_notification_emails_task(notification_ids=[bobs.pk]) == 1
    assert tokyo in mail.outbox[0].body and tokyo in mail.outbox[0].alternatives[0][0]
    settings.NOTIFICATION_DIGEST_HOUR = 0
    assert services.digest_send(user=world.alice)
    new_york = "Tue 2 Jun 2026, 10:00 (America/New_York)"
    assert new_york in mail.outbox[1].body and new_york in mail.outbox[1].alternatives[0][0]
    row = api(world.bob).get(f"/api/v1/notifications/{bobs.pk}/").json()
    assert datetime.datetime.fromisoformat(row["event_at"]) == starts



def test_a_record_internal_through_its_parent_notifies_only_that_party(world):
    """notify() asks the record's own scoping rule: a milestone of Acme's internal transfer
    is Acme's alone, though the milestone has no flag of its own."""
    from partnership.models import Milestone, TechTransfer

    transfer = TechTransfer.objects.get(partnership=world.acme_contoso)
    TechTransfer.objects.filter(pk=transfer.pk).update(is_internal=True)
    milestone = Milestone.objects.get(tech_transfer=transfer)
    told = services.notify(recipients=[world.alice, world.bob, world.vera],
                           kind="risk_assigned", partnership=world.acme_contoso,
                           title="Milestone slips", url="/", record=milestone)
    assert {n.recipient for n in told} == {world.alice, world.vera}
    TechTransfer.objects.filter(pk=transfer.pk).update(is_internal=False)
    told = services.notify(recipients=[world.alice, world.bob],
                           kind="risk_assigned", partnership=world.acme_contoso,
                           title="Milestone slips", url="/", record=milestone)
    assert {n.recipient for n in told} == {world.alice, world.bob}


def test_the_bell_counts_at_most_a_hundred_and_costs_the_same_for_thousands(
        world, login, django_assert_num_queries):
    """Someone who ignores the bell for months: it says 99+, from a count that stops at 100,
    and the preview lists the same few, in the same queries as with one."""
    client = login(world.bob)
    preview = reverse("portal:notification_preview")
    client.get(preview)
    with CaptureQueriesContext(connection) as few:
        client.get(preview)
    template = Notification.objects.filter(recipient=world.bob).first()
    template.pk = None
    Notification.objects.bulk_create(
        Notification(**{**{f.attname: getattr(template, f.attname)
                           for f in Notification._meta.concrete_fields if not f.primary_key},
                        "title": f"Bulk {n}", "read_at": None}) for n in range(300))
    with django_assert_num_queries(1):
        assert selectors.unread_count(user=world.bob) == selectors.UNREAD_SHOWN + 1
    with django_assert_num_queries(len(few)):
        page = client.get(preview).content.decode()
    assert "99+ unread" in page and page.count("Bulk ") <= settings.NOTIFICATION_PREVIEW_SIZE
    bell = client.get(reverse("portal:notification_bell")).content.decode()
    assert 'aria-label="Notifications, 99+ unread"' in bell
