"""The Reminders page and its API (what will remind me in the next seven days) read the
reminder jobs' own "who is due when": what a job would send is listed until the job has
sent it, no sooner than the job would, to its recipients only; and the titles say when,
in the recipient's own zone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.meetings.services import meeting_reminders_send
from governance.models import ActionItem, Meeting
from governance.requests.services import request_due_soon_reminders_send
from partnership.notifications import services
from partnership.notifications.models import Delivery, Notification
from partnership.notifications.selectors import upcoming_reminders
from tests.isolation.reminders import CASES, cast, local_today
from tests.partnership.test_api import api

NOW = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(saved_world):
    return saved_world


def listed(person, now=NOW) -> set[tuple[str, int]]:
    return {(item.kind, item.record.pk) for item in upcoming_reminders(user=person, now=now)}


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_what_the_job_would_send_is_listed_until_it_is_sent(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    [item] = [item for item in upcoming_reminders(user=person, now=NOW)
              if (item.kind, item.record.pk) == (case.kind, record.pk)]
    assert item.reminds_at == NOW  # its time has come: the job sends it on its next run
    assert item.delivery == Delivery.IMMEDIATELY
    case.send(now=NOW)
    assert (case.kind, record.pk) not in listed(person)


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_a_closed_record_or_someone_else_is_not_reminded(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    for outsider in (world.carol, world.oscar, world.dave):
        assert (case.kind, record.pk) not in listed(outsider)
    case.close(record, NOW)
    assert (case.kind, record.pk) not in listed(person)


def test_an_action_is_listed_from_when_its_reminder_will_go_in_the_owners_zone(world):
    """Due in six days: the owner in Tokyo is reminded from midnight four days on, in
    Tokyo; due in ten days: beyond the seven the page looks at."""
    sponsor, cdmo = cast(world.acme_contoso)
    cdmo.time_zone = "Asia/Tokyo"
    cdmo.save()
    today = local_today(cdmo, NOW)
    soon, later = (ActionItem.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, title=title,
        owner=cdmo, due_date=today + datetime.timedelta(days=days))
        for title, days in (("Six days", 6), ("Ten days", 10)))
    [item] = [item for item in upcoming_reminders(user=cdmo, now=NOW)
              if item.record.pk in (soon.pk, later.pk)]
    assert item.record == soon and item.about == soon.due_date
    assert item.reminds_at.isoformat() == f"{today + datetime.timedelta(days=4)}T00:00:00+09:00"
    services.notification_preferences_update(actor=cdmo,
                                             choices={"action_due_soon": Delivery.OFF})
    [item] = [item for item in upcoming_reminders(user=cdmo, now=NOW) if item.record == soon]
    assert item.delivery == Delivery.OFF


def test_the_page_and_the_api_list_my_reminders_in_bounded_queries(
        world, login, django_assert_max_num_queries):
    now = timezone.now()
    sponsor, cdmo = cast(world.acme_contoso)
    for number in range(3):
        meeting = Meeting.objects.create(
            partnership=world.acme_contoso, author_organization=world.acme,
            created_by=sponsor, title=f"Weekly check-in {number}", kind="operations_review",
            starts_at=now + datetime.timedelta(days=2 + number))
        meeting.attendees.set([sponsor, cdmo])
    secret = Meeting.objects.create(
        partnership=world.globex_contoso, author_organization=world.globex,
        title="Globex only", kind="operations_review", starts_at=now + datetime.timedelta(days=2))
    secret.attendees.set([world.carol])
    client = login(cdmo)
    client.get(reverse("portal:reminder_list"))  # the caches (content types …) warm
    with django_assert_max_num_queries(45):
        page = client.get(reverse("portal:reminder_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Weekly check-in 2" in body and "Globex only" not in body
    assert "A meeting I attend starts within a day" in body
    assert len([item for item in page.context["object_list"] if item.kind.startswith(
        "meeting")]) == 6  # a day and an hour before each meeting
    partial = client.get(reverse("portal:reminder_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "Weekly check-in 2" in \
        partial.content.decode()
    rows = [row for row in api(cdmo).get("/api/v1/notifications/upcoming/").json()["results"]
            if row["kind"].startswith("meeting")]
    assert [row["record"] for row in rows[:2]] == ["Weekly check-in 0"] * 2
    assert {row["kind"] for row in rows} == {"meeting_day_before", "meeting_hour_before"}
    assert all(row["delivery"] == "immediately" for row in rows)
    assert "Globex only" not in str(api(world.bob).get("/api/v1/notifications/upcoming/").json())
    assert [row["record"] for row in api(world.carol).get("/api/v1/notifications/upcoming/").json()[
        "results"] if row["kind"].startswith("meeting")] == ["Globex only", "Globex only"]


def test_the_page_pages(world, login):
    now = timezone.now()
    _sponsor, cdmo = cast(world.acme_contoso)
    ActionItem.objects.bulk_create([ActionItem(
        partnership=world.acme_contoso, author_organization=world.acme, title=f"Task {n}",
        owner=cdmo, due_date=local_today(cdmo, now) + datetime.timedelta(days=3))
        for n in range(30)])
    others = len(upcoming_reminders(user=cdmo)) - 30
    page = login(cdmo).get(reverse("portal:reminder_list"))
    assert len(page.context["object_list"]) == 25
    assert page.context["page_obj"].paginator.count == 30 + others
    assert len(login(cdmo).get(reverse("portal:reminder_list") + "?page=2"
                               ).context["object_list"]) == 5 + others


# --- Titles that say when -------------------------------------------------------------------


def test_meeting_titles_say_when_in_each_attendees_zone(world):
    sponsor, cdmo = cast(world.acme_contoso)
    cdmo.time_zone = "Asia/Tokyo"
    cdmo.save()
    sponsor.time_zone = "Europe/Zurich"
    sponsor.save()
    # 07:00 UTC on 4 May: 16:00 in Tokyo; 01:00 UTC on 5 May is 10:00 there, 03:00 in Zurich.
    tomorrow = Meeting.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=sponsor,
        title="Quarterly review", kind="operations_review",
        starts_at=datetime.datetime(2026, 5, 5, 1, 0, tzinfo=datetime.UTC))
    soon = Meeting.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=sponsor,
        title="Weekly check-in", kind="operations_review",
        starts_at=NOW + datetime.timedelta(hours=1))
    for meeting in (tomorrow, soon):
        meeting.attendees.set([sponsor, cdmo])
    meeting_reminders_send(now=NOW)
    titles = dict(Notification.objects.filter(
        record_id=tomorrow.pk, kind="meeting_day_before").values_list("recipient", "title"))
    assert titles == {cdmo.pk: "Meeting tomorrow at 10:00 (your time): Quarterly review",
                      sponsor.pk: "Meeting tomorrow at 03:00 (your time): Quarterly review"}
    assert set(Notification.objects.filter(record_id=soon.pk, kind="meeting_hour_before")
               .values_list("title", flat=True)) == {"Meeting in 1 hour: Weekly check-in"}


@pytest.mark.parametrize(("days", "words"), [(2, "due in 2 days"), (1, "due tomorrow")])
def test_a_request_title_says_when_it_is_due_and_its_number(world, days, words):
    record, person = CASES[3].make(world.acme_contoso, NOW)
    record.committed_date = local_today(person, NOW) + datetime.timedelta(days=days)
    record.save()
    request_due_soon_reminders_send(now=NOW)
    [notification] = Notification.objects.filter(kind="request_due_soon", record_id=record.pk)
    assert notification.title == f"Request {words}: REQ-{record.number:04d} · {record.title}"
