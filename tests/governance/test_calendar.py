"""iCalendar: one meeting, a partnership's calendar, and the personal feed whose secret is
its only key — and which never shows a partnership its owner cannot see (DESIGN §2)."""

import datetime
import secrets
import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from governance.meetings import services as meeting_services
from governance.meetings.services import (
    calendar_feed_create,
    meeting_create,
    meeting_transition,
    meeting_update,
)
from governance.models import CalendarFeed, Meeting
from partnership.accounts.services import user_deactivate
from partnership.models import Membership


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world

UTC = datetime.UTC


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "filename=" in response["Content-Disposition"]
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def make_meeting(world, partnership=None, actor=None, **fields):
    fields = {"title": "PPQ readiness, steps; risks", "kind": "operations_review",
              "starts_at": datetime.datetime(2026, 5, 4, 13, 30, tzinfo=UTC),
              "duration_minutes": 90, "location": "Teams", "agenda": "1. Slots\n2. Risks",
              **fields}
    return meeting_create(actor=actor or world.alice,
                          partnership=partnership or world.acme_contoso, **fields)


def test_one_meeting_downloads_as_a_valid_calendar(world, login):
    meeting = make_meeting(world)
    url = reverse("governance:meeting_ics", args=[world.acme_contoso.pk, meeting.pk])
    response = login(world.bob).get(url)
    assert 'attachment; filename="ppq-readiness-steps-risks.ics"' == \
        response["Content-Disposition"]
    calendar = parse(response)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    assert "Lockstep" in str(calendar["PRODID"])
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@lockstep"
    assert event.decoded("DTSTART") == datetime.datetime(2026, 5, 4, 13, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["SUMMARY"]) == "PPQ readiness, steps; risks"  # escaped and read back
    assert str(event["DESCRIPTION"]) == "1. Slots\n2. Risks"
    assert str(event["LOCATION"]) == "Teams"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    raw = response.content.decode()
    assert "DTSTART:20260504T133000Z" in raw and "\r\n" in raw


def test_changes_raise_the_sequence_and_cancelling_says_so(world, login):
    meeting = make_meeting(world)
    meeting_update(actor=world.alice, meeting=meeting, title="Moved")
    meeting_transition(actor=world.alice, meeting=meeting, status="cancelled")
    url = reverse("governance:meeting_ics", args=[world.acme_contoso.pk, meeting.pk])
    [event] = parse(login(world.alice).get(url)).walk("VEVENT")
    assert event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{meeting.uid}@lockstep"  # same UID: calendars update


def test_partnership_calendar_holds_its_meetings_only(world, login):
    make_meeting(world, title="Weekly", recurrence="weekly",
                 repeat_until=datetime.date(2026, 5, 25))
    make_meeting(world, partnership=world.acme_labcorp, title="Lab meeting")
    url = reverse("governance:meeting_calendar", args=[world.acme_contoso.pk])
    calendar = parse(login(world.alice).get(url))
    events = calendar.walk("VEVENT")
    assert len([e for e in events if str(e["SUMMARY"]) == "Weekly"]) == 4
    assert "Lab meeting" not in summaries(calendar)
    assert "Globex–Contoso supply agreement check-in" not in summaries(calendar)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_feed_is_created_replaced_and_revoked_on_the_profile(world, login):
    client = login(world.bob)
    assert "Create calendar feed URL" in client.get(reverse("partnership:profile")
                                                     ).content.decode()
    client.post(reverse("governance:calendarfeed_create"))
    feed = CalendarFeed.objects.get(user=world.bob)
    feed_url = reverse("governance:calendar_feed", args=[feed.secret])
    profile = client.get(reverse("partnership:profile")).content.decode()
    assert feed_url in profile and "Revoke feed URL" in profile
    response = Client().get(feed_url)  # no login: calendar apps cannot log in
    assert response["Content-Disposition"].startswith("inline")
    assert "Acme–Contoso supply agreement check-in" in summaries(parse(response))
    client.post(reverse("governance:calendarfeed_create"))  # replace: the old URL dies
    assert Client().get(feed_url).status_code == 404
    new_url = reverse("governance:calendar_feed",
                      args=[CalendarFeed.objects.get(user=world.bob).secret])
    assert Client().get(new_url).status_code == 200
    client.post(reverse("governance:calendarfeed_delete"))
    assert Client().get(new_url).status_code == 404
    assert Client().get(reverse("governance:calendar_feed", args=["guess"])).status_code == 404


def test_a_feed_shows_no_meeting_of_a_partnership_its_owner_cannot_see(world):
    """Carol works at Contoso for Globex only; Bob at Contoso for Acme only. Each one's feed
    holds the meetings of their own partnership — cancelled ones too — and nothing else."""
    make_meeting(world, title="Acme secret roadmap")
    cancelled = make_meeting(world, actor=world.dave, partnership=world.globex_contoso,
                             title="Globex launch plan")
    meeting_transition(actor=world.dave, meeting=cancelled, status="cancelled")
    make_meeting(world, title="Acme internal prep", is_internal=True,
                 attendees=[world.alice])
    carol = calendar_feed_create(actor=world.carol)
    bob = calendar_feed_create(actor=world.bob)
    carol_calendar = Calendar.from_ical(Client().get(
        reverse("governance:calendar_feed", args=[carol.secret])).content)
    bob_calendar = Calendar.from_ical(Client().get(
        reverse("governance:calendar_feed", args=[bob.secret])).content)
    globex_titles = set(Meeting.objects.filter(partnership=world.globex_contoso)
                        .values_list("title", flat=True))
    acme_titles = set(Meeting.objects.exclude(partnership=world.globex_contoso)
                      .values_list("title", flat=True))
    assert summaries(carol_calendar) == globex_titles
    assert not summaries(bob_calendar) & globex_titles
    assert "Acme secret roadmap" in summaries(bob_calendar)
    assert "Acme internal prep" not in summaries(bob_calendar)  # Acme's own, not Contoso's
    assert acme_titles - summaries(carol_calendar) == acme_titles
    [event] = [e for e in carol_calendar.walk("VEVENT")
               if str(e["SUMMARY"]) == "Globex launch plan"]
    assert str(event["STATUS"]) == "CANCELLED"
    # A seat lost is a feed emptied at once: the feed follows what the owner sees now.
    Membership.objects.filter(user=world.carol).delete()
    emptied = Calendar.from_ical(Client().get(
        reverse("governance:calendar_feed", args=[carol.secret])).content)
    assert summaries(emptied) == set()


def test_events_name_their_organizer_and_the_feed_says_how_often_to_refresh(world, login,
                                                                         settings):
    """METHOD:PUBLISH wants an ORGANIZER on every event: whoever scheduled it, else the
    portal's own address. A feed also tells calendar apps to fetch it again every hour."""
    settings.DEFAULT_FROM_EMAIL = "Lockstep <calendar@lockstep.test>"
    meeting = make_meeting(world)  # scheduled by Alice
    url = reverse("governance:meeting_ics", args=[world.acme_contoso.pk, meeting.pk])
    download = login(world.bob).get(url)
    [event] = parse(download).walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:alice@acme.test"
    assert event["ORGANIZER"].params["CN"] == "Alice Acmeson"
    assert b"REFRESH-INTERVAL" not in download.content  # a download is not polled
    feed = calendar_feed_create(actor=world.bob)
    response = Client().get(reverse("governance:calendar_feed", args=[feed.secret]))
    raw = response.content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw and "X-PUBLISHED-TTL:PT1H\r\n" in raw
    calendar = Calendar.from_ical(response.content)
    assert calendar.refresh_interval == datetime.timedelta(hours=1)
    organizers = {str(e["SUMMARY"]): e["ORGANIZER"] for e in calendar.walk("VEVENT")}
    seeded = organizers["Acme–Contoso supply agreement check-in"]  # nobody scheduled it
    assert str(seeded) == "mailto:calendar@lockstep.test" and seeded.params["CN"] == "Lockstep"
    assert str(organizers[meeting.title]) == "mailto:alice@acme.test"


def test_two_requests_for_a_new_feed_at_once_both_succeed(world_committed, monkeypatch):
    """Two clicks (or two tabs) at once: both get an answer, not an IntegrityError, and the
    person ends up with one feed. A barrier where the new secret is drawn makes the two
    overlap every time."""
    barrier = threading.Barrier(2, timeout=10)

    def token(nbytes):
        barrier.wait()
        return secrets.token_urlsafe(nbytes)

    monkeypatch.setattr(meeting_services, "secrets", SimpleNamespace(token_urlsafe=token))
    bob = world_committed.bob
    feeds, errors = [], []

    def create():
        try:
            feeds.append(calendar_feed_create(actor=bob).secret)
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == [] and len(feeds) == 2
    [feed] = CalendarFeed.objects.filter(user=bob)
    assert feed.secret in feeds


def test_a_deactivated_persons_feed_answers_404(world, client):
    feed = meeting_services.calendar_feed_create(actor=world.bob)
    url = reverse("governance:calendar_feed", args=[feed.secret])
    assert client.get(url).status_code == 200
    user_deactivate(actor=world.olga, user=world.bob)
    assert client.get(url).status_code == 404
