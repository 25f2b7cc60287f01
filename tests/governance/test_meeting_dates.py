"""One party cannot schedule a meeting that breaks the other party's pages: a start or a
series end out of the portal's range of dates is refused at every door (API, page,
service, database), and the extremes that are accepted show in every zone."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from governance.meetings.services import meeting_create, meeting_occurrences
from governance.models import Meeting
from partnership.notifications.models import Notification

UTC = datetime.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def in_zone(user, name: str):
    user.time_zone = name
    user.save(update_fields=["time_zone"])
    return user


def session_api(user) -> APIClient:
    """Logged in by session, as from the browsable API: the middleware activates the
    user's own zone, as it does for their pages."""
    client = APIClient()
    client.force_login(user)
    return client


def body(world, **fields):
    return {"partnership": world.acme_contoso.pk, "title": "Far away", "kind": "weekly_check_in",
            "starts_at": "2030-01-07T09:00:00Z", **fields}


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
@pytest.mark.parametrize("starts_at", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z",
                                       "2101-01-01T00:00:00Z"])
def test_the_api_refuses_a_start_out_of_range_and_saves_nothing(world, zone, starts_at):
    before = Meeting.objects.count(), Notification.objects.count()
    response = session_api(in_zone(world.alice, zone)).post(
        "/api/v1/meetings/", body(world, starts_at=starts_at, attendees=[world.bob.pk]),
        format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]
    assert (Meeting.objects.count(), Notification.objects.count()) == before


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_the_api_refuses_to_move_a_meeting_out_of_range(world, zone):
    meeting = Meeting.objects.get(partnership=world.acme_contoso)
    response = session_api(in_zone(world.alice, zone)).patch(
        f"/api/v1/meetings/{meeting.pk}/", {"starts_at": "9999-12-31T23:00:00Z"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["starts_at"]
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at


def test_the_page_refuses_a_start_out_of_range_with_an_error_on_the_field(world, login):
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    before = Meeting.objects.count()
    response = login(in_zone(world.alice, "Asia/Shanghai")).post(url, {
        "title": "Far away", "kind": "weekly_check_in", "starts_at": "9999-12-31T23:00",
        "duration_minutes": 60, "recurrence": "none"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["starts_at"]
    assert "31 Dec 2100" in response.content.decode()
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("recurrence", ["weekly", "monthly", "quarterly"])
def test_a_series_ending_near_the_year_9999_is_refused_by_the_service(recurrence):
    with pytest.raises(ValidationError) as error:
        meeting_occurrences(datetime.datetime(9999, 11, 1, 9, tzinfo=UTC), recurrence,
                            datetime.date(9999, 12, 31), SHANGHAI)
    assert set(error.value.message_dict) == {"starts_at", "repeat_until"}
    with pytest.raises(ValidationError) as error:
        meeting_occurrences(datetime.datetime(2100, 12, 1, 9, tzinfo=UTC), recurrence,
                            datetime.date(9999, 12, 31), SHANGHAI)
    assert set(error.value.message_dict) == {"repeat_until"}


def test_a_series_ending_near_the_year_9999_is_refused_by_the_api_and_the_page(world, login):
    before = Meeting.objects.count()
    response = session_api(in_zone(world.alice, "Asia/Shanghai")).post(
        "/api/v1/meetings/", body(world, starts_at="9999-11-01T09:00:00Z", recurrence="monthly",
                                  repeat_until="9999-12-31"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"starts_at", "repeat_until"}
    response = login(world.alice).post(
        reverse("governance:meeting_create", args=[world.acme_contoso.pk]), {
            "title": "Far away", "kind": "weekly_check_in", "starts_at": "2100-12-01T09:00",
            "duration_minutes": 60, "recurrence": "monthly", "repeat_until": "9999-12-31"})
    assert list(response.context["form"].errors) == ["repeat_until"]
    assert Meeting.objects.count() == before


def test_meeting_create_refuses_a_series_near_the_year_9999_whoever_calls_it(world):
    with pytest.raises(ValidationError) as error:
        meeting_create(actor=in_zone(world.alice, "Asia/Shanghai"),
                       partnership=world.acme_contoso, title="Far away",
                       kind="weekly_check_in",
                       starts_at=datetime.datetime(9999, 12, 1, 9, tzinfo=UTC),
                       recurrence="monthly", repeat_until=datetime.date(9999, 12, 31))
    assert "starts_at" in error.value.message_dict


@pytest.mark.parametrize("starts_at", [datetime.datetime(9999, 12, 31, 23, tzinfo=UTC),
                                       datetime.datetime(1989, 12, 31, 23, tzinfo=UTC)])
def test_the_database_refuses_a_meeting_out_of_range_written_past_the_services(world,
                                                                              starts_at):
    """So no such row can exist for a viewer's page to trip over, however it is written."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(partnership=world.acme_contoso, author_organization=world.acme,
                               title="Far away", kind="weekly_check_in", starts_at=starts_at)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_first_and_last_moments_in_range_show_in_every_zone(world, login, zone):
    """The extremes a meeting may hold: the last one ends in 2101 and is 2101 already at
    UTC+14; the first is still 1989 at UTC-11. Every page, the API and iCal show them."""
    for starts_at in (datetime.datetime(2100, 12, 31, 23, 59, tzinfo=UTC),
                      datetime.datetime(1990, 1, 1, 0, 0, tzinfo=UTC)):
        meeting_create(actor=world.alice, partnership=world.acme_contoso,
                       title="Edge of time", kind="weekly_check_in",
                       starts_at=starts_at, duration_minutes=24 * 60,
                       attendees=[world.alice, world.bob])
    bob = in_zone(world.bob, zone)
    client, p = login(bob), world.acme_contoso.pk
    edges = Meeting.objects.filter(title="Edge of time")
    urls = [reverse("governance:meeting_list", args=[p]),
            reverse("governance:meeting_calendar", args=[p]),
            reverse("partnership:partnership_detail", args=[p]),
            reverse("governance:my_work"), reverse("governance:search") + "?q=edge",
            reverse("portal:notification_list"),
            *[reverse(f"governance:meeting_{page}", args=[p, meeting.pk])
              for meeting in edges for page in ("detail", "edit", "ics")]]
    for url in urls:
        assert client.get(url).status_code == 200, url
    response = session_api(bob).get("/api/v1/meetings/", {"partnership": p})
    assert response.status_code == 200
    assert {meeting.pk for meeting in edges} <= {row["id"] for row in response.json()["results"]}


def test_a_sites_zone_is_named_as_it_is_on_the_meetings_day(world, login):
    """A meeting in July is at 'Europe/Zurich (CEST)', one in January at '… (CET)',
    whatever the day the page is read."""
    for month in (1, 7):
        meeting = meeting_create(
            actor=world.alice, partnership=world.acme_contoso, title=f"Month {month}",
            kind="weekly_check_in", attendees=[world.alice, world.bob], duration_minutes=60,
            starts_at=datetime.datetime(2027, month, 5, 9, 0, tzinfo=UTC))
        page = login(world.alice).get(reverse("governance:meeting_detail", args=[
            world.acme_contoso.pk, meeting.pk])).content.decode()
        named = "Europe/Zurich (CEST)" if month == 7 else "Europe/Zurich (CET)"
        assert named in page, month
