"""Meetings: series in the organizer's wall-clock time, attendees from both parties, times
at each party's main site, minutes with inline actions (all or nothing), notifications."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.actions.services import action_item_create, action_item_update
from governance.meetings.services import (
    calendar_feed_create,
    meeting_create,
    meeting_occurrences,
    meeting_record_minutes,
    meeting_transition,
    meeting_update,
)
from governance.models import ActionItem, Meeting
from partnership.models import Membership
from partnership.notifications.models import Notification

UTC = datetime.UTC
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def at(*args, zone=UTC):
    return datetime.datetime(*args, tzinfo=zone)


def schedule(world, **fields):
    fields = {"title": "Weekly check-in", "kind": "weekly_check_in",
              "starts_at": at(2026, 3, 2, 14), "attendees": [world.alice, world.bob], **fields}
    return meeting_create(actor=world.alice, partnership=world.acme_contoso, **fields)


def test_weekly_series_keeps_the_organizers_wall_clock_across_summer_time(world, login):
    """Alice (Zurich) types 10:00; after the clocks change on 29 March, 10:00 in Zurich is
    08:00 UTC rather than 09:00 — the series follows her wall clock, stored in UTC."""
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    response = login(world.alice).post(url, {
        "title": "Supply check-in", "kind": "weekly_check_in", "starts_at": "2026-03-20T10:00",
        "duration_minutes": 45, "attendees": [world.alice.pk, world.bob.pk],
        "recurrence": "weekly", "repeat_until": "2026-04-10"})
    assert response.status_code == 302
    series = list(Meeting.objects.filter(title="Supply check-in").order_by("starts_at"))
    assert [m.starts_at for m in series] == [
        at(2026, 3, 20, 9), at(2026, 3, 27, 9), at(2026, 4, 3, 8), at(2026, 4, 10, 8)]
    assert {m.series_id for m in series[1:]} == {series[0].pk} and series[0].series is None
    assert all(set(m.attendees.all()) == {world.alice, world.bob} for m in series)
    assert response["Location"] == series[0].get_absolute_url()
    note = Notification.objects.get(recipient=world.bob, kind="meeting_scheduled")
    assert "3 more" in note.body and note.url == series[0].get_absolute_url()
    assert not Notification.objects.filter(recipient=world.alice,  # the actor
                                           kind="meeting_scheduled").exists()


def test_monthly_and_quarterly_series_keep_the_day_or_the_months_last():
    starts = meeting_occurrences(at(2026, 1, 31, 9), "monthly",
                                 datetime.date(2026, 4, 30), UTC)
    assert [s.date() for s in starts] == [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28),
                                          datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]
    quarterly = meeting_occurrences(at(2026, 1, 15, 9), "quarterly",
                                    datetime.date(2026, 12, 31), UTC)
    assert [s.month for s in quarterly] == [1, 4, 7, 10]


def test_recurring_meeting_needs_an_end_and_a_bounded_series(world, login):
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    client = login(world.alice)
    base = {"title": "Forever", "kind": "weekly_check_in", "starts_at": "2026-03-20T10:00",
            "duration_minutes": 30, "recurrence": "weekly"}
    response = client.post(url, base)
    assert response.status_code == 200 and "repeat_until" in response.context["form"].errors
    response = client.post(url, {**base, "repeat_until": "2029-12-31"})
    assert "at most 60" in str(response.context["form"].errors["repeat_until"])
    assert not Meeting.objects.filter(title="Forever").exists()


def test_attendees_must_hold_a_seat_in_the_partnership(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, attendees=[world.alice, world.dave])  # dave: competitor's lead
    assert "attendees" in error.value.message_dict
    with pytest.raises(ValidationError):
        schedule(world, attendees=[world.bob], is_internal=True)  # internal: Acme people only
    assert not Meeting.objects.filter(title="Weekly check-in").exists()


def viewer_time(page: str) -> str:
    """The "When (your time)" line of a meeting page."""
    return re.search(r'data-testid="viewer-time">(.*?)</dd>', page, re.S).group(1)


def test_detail_shows_the_viewers_zone_and_each_partys_main_site(world, login):
    world.bob.time_zone = "Asia/Kolkata"  # a zone none of the sites uses, half an hour off
    world.bob.save()
    meeting = schedule(world, starts_at=at(2026, 6, 2, 14))  # 14:00 UTC
    page = login(world.bob).get(meeting.get_absolute_url()).content.decode()
    assert "19:30" in viewer_time(page) and "Asia/Kolkata" in viewer_time(page)  # Bob's (IST)
    assert "At Acme Basel" in page and "16:00" in page  # Acme's only site, Zurich (CEST)
    assert "At Contoso Boston" in page and "10:00" in page  # New York (EDT)
    # A main site wins over the first active one.
    from tests.factories import SiteFactory
    SiteFactory(organization=world.contoso, name="Contoso Aaa Tokyo", city="Tokyo",
                time_zone="Asia/Tokyo", is_main=True)
    page = login(world.bob).get(meeting.get_absolute_url()).content.decode()
    assert "At Contoso Aaa Tokyo" in page and "23:00" in page


def test_record_minutes_with_inline_actions_for_both_parties(world, login):
    meeting = schedule(world)
    Notification.objects.all().delete()
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    response = login(world.alice).post(url, {
        "minutes": "Agreed the PPQ plan.",
        "actions-TOTAL_FORMS": "3", "actions-INITIAL_FORMS": "0",
        "actions-0-title": "Send PPQ protocol", "actions-0-owner": world.bob.pk,
        "actions-0-due_date": "2099-03-09",
        "actions-1-title": "Book the QA reviewer", "actions-1-owner": world.alice.pk,
        "actions-1-due_date": "2099-03-10",
        "actions-2-title": "", "actions-2-owner": "", "actions-2-due_date": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes == "Agreed the PPQ plan."
    actions = ActionItem.objects.filter(meeting=meeting).order_by("title")
    assert [a.title for a in actions] == ["Book the QA reviewer", "Send PPQ protocol"]
    assert Notification.objects.filter(recipient=world.bob, kind="action_assigned").exists()
    assert Notification.objects.filter(recipient=world.bob, kind="meeting_minutes").exists()
    # Bob filters the actions by the meeting and sees where his came from.
    bob = login(world.bob)
    listing = bob.get(reverse("governance:actionitem_list", args=[world.acme_contoso.pk]),
                      {"meeting": meeting.pk}).content.decode()
    assert "Send PPQ protocol" in listing and "Acme–Contoso supply agreement action" \
        not in listing
    item = actions.get(title="Send PPQ protocol")
    detail = bob.get(item.get_absolute_url()).content.decode()
    assert "Source" in detail and meeting.get_absolute_url() in detail
    assert "Send PPQ protocol" in bob.get(meeting.get_absolute_url()).content.decode()


def test_a_half_filled_action_row_saves_nothing(world, login):
    meeting = schedule(world)
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    response = login(world.alice).post(url, {
        "minutes": "Notes", "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
        "actions-0-title": "No owner", "actions-0-owner": "", "actions-0-due_date": ""})
    assert response.status_code == 400
    assert "Needed for an action." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.status == "scheduled"


def test_minutes_and_actions_are_one_transaction(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        meeting_record_minutes(actor=world.alice, meeting=meeting, minutes="Notes",
                               actions=[{"title": "Fine", "owner": world.bob,
                                         "due_date": datetime.date(2026, 3, 9)},
                                        {"title": "Foreign owner", "owner": world.dave,
                                         "due_date": datetime.date(2026, 3, 9)}])
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not ActionItem.objects.filter(title="Fine").exists()


def test_a_new_owner_is_told(world):
    item = action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Reassigned", owner=world.alice,
                              due_date=datetime.date(2026, 3, 9))
    action_item_update(actor=world.alice, item=item, owner=world.bob)
    assert Notification.objects.filter(recipient=world.bob, kind="action_assigned",
                                       title="Action for you: Reassigned").exists()


def test_action_sources_must_be_of_the_same_partnership(world):
    foreign = Meeting.objects.get(partnership=world.globex_contoso)
    with pytest.raises(ValidationError) as error:
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           title="X", owner=world.bob,
                           due_date=datetime.date(2026, 3, 9), meeting=foreign)
    assert "meeting" in error.value.message_dict


def test_transitions_edit_and_sequence(world, login):
    meeting = schedule(world)
    client = login(world.alice)
    transition = reverse("governance:meeting_transition", args=[world.acme_contoso.pk,
                                                                meeting.pk])
    client.post(transition, {"status": "cancelled"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    minutes = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    assert client.post(minutes, {"minutes": "x", "actions-TOTAL_FORMS": "0",
                                 "actions-INITIAL_FORMS": "0"}).status_code == 400
    client.post(transition, {"status": "scheduled"})
    edit = reverse("governance:meeting_edit", args=[world.acme_contoso.pk, meeting.pk])
    response = client.post(edit, {"title": "Moved check-in", "kind": "weekly_check_in",
                                  "starts_at": "2026-03-03T10:00", "duration_minutes": 30,
                                  "attendees": [world.alice.pk, world.bob.pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Moved check-in" and meeting.sequence == 3
    assert meeting.starts_at == at(2026, 3, 3, 10, zone=ZURICH)
    assert Notification.objects.filter(recipient=world.bob, kind="meeting_scheduled",
                                       title="Meeting changed: Moved check-in").exists()
    with pytest.raises(ValidationError):  # internal, yet Bob of Contoso still attends
        meeting_update(actor=world.alice, meeting=meeting, is_internal=True)
    client.post(transition, {"status": "held"})
    meeting.refresh_from_db()
    client.post(transition, {"status": "scheduled"})  # held is final
    meeting.refresh_from_db()
    assert meeting.status == "held"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="status" value="' not in page


def test_viewer_reads_but_cannot_write(world, login):
    meeting = schedule(world)
    vera = login(world.vera)
    assert vera.get(meeting.get_absolute_url()).status_code == 200
    assert "Record minutes" not in vera.get(meeting.get_absolute_url()).content.decode()
    for name in ("meeting_edit", "meeting_transition", "meeting_minutes"):
        url = reverse(f"governance:{name}", args=[world.acme_contoso.pk, meeting.pk])
        assert vera.post(url, {"status": "held"}).status_code == 403
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    assert vera.post(url, {}).status_code == 403


def test_foreign_meeting_under_own_partnership_answers_404(world, login):
    foreign = Meeting.objects.get(partnership=world.globex_contoso)
    url = reverse("governance:meeting_detail", args=[world.acme_contoso.pk, foreign.pk])
    assert login(world.bob).get(url).status_code == 404


def test_list_filters_sorts_pages_and_uses_bounded_queries(world, login,
                                                          django_assert_max_num_queries):
    schedule(world, title="Past review", starts_at=at(2026, 1, 5, 9), kind="operations_review")
    schedule(world, title="Future weekly", starts_at=at(2099, 1, 5, 9), recurrence="weekly",
             repeat_until=datetime.date(2099, 8, 31))  # 35 occurrences: two pages
    client = login(world.bob)
    url = reverse("governance:meeting_list", args=[world.acme_contoso.pk])
    default = client.get(url).content.decode()  # soonest upcoming first, then recent past
    assert default.index("5 Jan 2099") < default.index("12 Jan 2099")
    assert "Past review" in client.get(url, {"page": 2}).content.decode()
    with django_assert_max_num_queries(10):
        page = client.get(url, {"when": "upcoming", "ordering": "-starts"}).content.decode()
    assert "Future weekly" in page and "Past review" not in page
    assert "Page 1 of 2" in page and "35 in all" in page
    assert "Rows 1–25 · 35 in all" in page  # which of them these are
    second = client.get(url, {"when": "upcoming", "ordering": "-starts", "page": 2})
    assert "Rows 26–35 · 35 in all" in second.content.decode()
    past = client.get(url, {"when": "past", "kind": "operations_review"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "Past review" in past and "<html" not in past
    assert past.strip().startswith('<div id="results"')
    assert "Future weekly" not in past
    empty = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No meeting matches these filters" in empty


def test_api_runs_a_meeting(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    created = client.post("/api/v1/meetings/", {
        "partnership": world.acme_contoso.pk, "title": "QBR", "kind": "business_review",
        "starts_at": "2026-04-01T13:00:00Z", "attendees": [world.alice.pk, world.bob.pk],
        "recurrence": "quarterly", "repeat_until": "2026-12-31"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert Meeting.objects.filter(series_id=pk).count() == 2  # July and October
    foreign = client.post("/api/v1/meetings/", {
        "partnership": world.acme_contoso.pk, "title": "X", "kind": "business_review",
        "starts_at": "2026-04-01T13:00:00Z", "attendees": [world.dave.pk]}, format="json")
    assert foreign.status_code == 400 and "attendees" in foreign.json()
    minutes = client.post(f"/api/v1/meetings/{pk}/minutes/", {
        "minutes": "Good quarter.", "actions": [
            {"title": "Send the forecast", "owner": world.bob.pk, "due_date": "2099-04-15"}]},
        format="json")
    assert minutes.status_code == 200 and minutes.json()["status"] == "held"
    action = ActionItem.objects.get(title="Send the forecast")
    assert action.meeting_id == pk
    listed = client.get("/api/v1/action-items/", {"meeting": pk}).json()
    assert [row["meeting"] for row in listed["results"]] == [pk]
    ics = client.get(f"/api/v1/meetings/{pk}/ics/")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    bad = client.post(f"/api/v1/meetings/{pk}/transition/", {"status": "scheduled"},
                      format="json")
    assert bad.status_code == 400
    bad_minutes = client.post(f"/api/v1/meetings/{pk}/minutes/", {"minutes": ""},
                              format="json")
    assert bad_minutes.status_code == 400


def test_api_refuses_writes_to_viewers(world):
    client = APIClient()
    client.force_authenticate(world.vera)
    meeting = Meeting.objects.get(partnership=world.acme_contoso)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200
    assert client.post(f"/api/v1/meetings/{meeting.pk}/minutes/", {"minutes": "x"},
                       format="json").status_code == 403
    assert client.post("/api/v1/meetings/", {
        "partnership": world.acme_contoso.pk, "title": "X", "kind": "business_review",
        "starts_at": "2026-04-01T13:00:00Z"}, format="json").status_code == 403
    assert client.post("/api/v1/decisions/", {
        "partnership": world.acme_contoso.pk, "title": "X", "rationale": "Y",
        "decided_on": "2026-04-01", "decided_by": [world.alice.pk]},
        format="json").status_code == 403


def test_only_the_authoring_party_decides_what_is_internal(world, login):
    meeting = schedule(world)  # written by Acme
    edit = reverse("governance:meeting_edit", args=[world.acme_contoso.pk, meeting.pk])
    assert "is_internal" not in login(world.bob).get(edit).context["form"].fields
    assert "is_internal" in login(world.alice).get(edit).context["form"].fields
    with pytest.raises(ValidationError) as error:
        meeting_update(actor=world.bob, meeting=meeting, is_internal=True,
                       attendees=[world.bob])
    assert "is_internal" in error.value.message_dict


def test_admin_lists_meetings_decisions_and_feeds(world, login):
    from partnership.models import User

    calendar_feed_create(actor=world.bob)
    operator = login(User.objects.create_superuser("ops@lockstep.test", "pw"))
    for model in ("meeting", "decision", "calendarfeed"):
        assert operator.get(f"/admin/governance/{model}/").status_code == 200
    meeting = Meeting.objects.get(partnership=world.acme_contoso)
    page = operator.get(f"/admin/governance/meeting/{meeting.pk}/change/")
    assert page.status_code == 200
    feed_page = operator.get(f"/admin/governance/calendarfeed/{world.bob.calendar_feed.pk}/"
                             "change/").content.decode()
    assert world.bob.calendar_feed.secret not in feed_page  # never shown, only revocable


def test_new_meeting_dialog_is_an_htmx_partial(world, login):
    client = login(world.alice)
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    dialog = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in dialog and "Schedule meeting" in dialog
    assert "Dave" not in dialog  # attendee choices: this partnership's people only
    invalid = client.post(url, {"title": ""}, HTTP_HX_REQUEST="true")
    assert "<html" not in invalid.content.decode() and invalid.context["form"].errors
    saved = client.post(url, {"title": "Htmx check-in", "kind": "weekly_check_in",
                              "starts_at": "2026-05-05T09:00", "duration_minutes": 30,
                              "attendees": [world.bob.pk], "recurrence": "none"},
                             HTTP_HX_REQUEST="true")
    meeting = Meeting.objects.get(title="Htmx check-in")
    assert saved["HX-Redirect"] == meeting.get_absolute_url()


def minutes_post(**action):
    """The minutes form with one action row (title, owner, due_date) filled."""
    return {"minutes": "Notes", "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
            **{f"actions-0-{name}": value for name, value in action.items()}}


def test_minutes_of_an_internal_meeting_give_actions_to_its_own_people_only(world, login):
    """Acme's internal prep is invisible to Contoso: Bob cannot own an action from it. Nor
    can Vera (a viewer), who could not move it along."""
    shared = schedule(world)
    internal = schedule(world, title="Acme prep", attendees=[world.alice], is_internal=True)
    client = login(world.alice)

    def owners(meeting):
        form = client.get(meeting.get_absolute_url()).context["action_formset"].forms[0]
        return set(form.fields["owner"].queryset)

    assert owners(shared) == {world.alice, world.bob}
    assert owners(internal) == {world.alice}
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, internal.pk])
    response = client.post(url, minutes_post(title="Tell Contoso", owner=world.bob.pk,
                                             due_date="2026-03-09"))
    assert response.status_code == 400
    with pytest.raises(ValidationError) as error:
        meeting_record_minutes(actor=world.alice, meeting=internal, minutes="Notes",
                               actions=[{"title": "Tell Contoso", "owner": world.bob,
                                         "due_date": datetime.date(2026, 3, 9)}])
    assert "own organization" in str(error.value.message_dict["owner"])
    internal.refresh_from_db()
    assert internal.minutes == "" and not ActionItem.objects.filter(title="Tell Contoso").exists()


def test_an_evening_series_west_of_utc_ends_on_its_local_last_day(world, login):
    """Bob in New York, weekly at 21:00 from Monday 4 May until Monday 25 May: four
    meetings, though the last one starts on 26 May in UTC."""
    world.bob.time_zone = "America/New_York"
    world.bob.save()
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    response = login(world.bob).post(url, {
        "title": "Evening sync", "kind": "weekly_check_in", "starts_at": "2026-05-04T21:00",
        "duration_minutes": 30, "attendees": [world.alice.pk, world.bob.pk],
        "recurrence": "weekly", "repeat_until": "2026-05-25"})
    assert response.status_code == 302, response.context["form"].errors
    series = Meeting.objects.filter(title="Evening sync").order_by("starts_at")
    assert [m.starts_at.astimezone(NEW_YORK).day for m in series] == [4, 11, 18, 25]
    assert series.last().starts_at == at(2026, 5, 26, 1)


def test_a_meeting_is_held_and_minuted_only_once_it_has_started(world, login):
    future = schedule(world, title="Next QBR", starts_at=at(2099, 1, 5, 9))
    with pytest.raises(ValidationError) as error:
        meeting_transition(actor=world.alice, meeting=future, status="held")
    assert "once it has started" in str(error.value.message_dict["status"])
    with pytest.raises(ValidationError) as error:
        meeting_record_minutes(actor=world.alice, meeting=future, minutes="Early")
    assert "Mon 5 Jan 2099, 09:00 (UTC)" in str(error.value.message_dict["minutes"])
    api = APIClient()
    api.force_authenticate(world.alice)
    assert api.post(f"/api/v1/meetings/{future.pk}/transition/", {"status": "held"},
                    format="json").status_code == 400
    assert api.post(f"/api/v1/meetings/{future.pk}/minutes/", {"minutes": "Early"},
                    format="json").status_code == 400
    future.refresh_from_db()
    assert future.status == "scheduled" and future.minutes == ""
    page = login(world.alice).get(future.get_absolute_url())
    assert set(page.context["transitions"]) == {"cancelled"}  # no "Mark held" yet
    assert "Record minutes" not in page.content.decode()
    started = schedule(world, title="Just started",
                       starts_at=timezone.now() - datetime.timedelta(minutes=1))
    meeting_record_minutes(actor=world.alice, meeting=started, minutes="Underway")
    started.refresh_from_db()
    assert started.status == "held"


def test_a_held_meeting_keeps_its_time(world, login):
    meeting = schedule(world)
    meeting_record_minutes(actor=world.alice, meeting=meeting, minutes="Done")
    for name, value in (("starts_at", at(2099, 1, 5, 9)), ("duration_minutes", 15)):
        with pytest.raises(ValidationError) as error:
            meeting_update(actor=world.alice, meeting=meeting, **{name: value})
        assert "held" in str(error.value.message_dict[name])
    api = APIClient()
    api.force_authenticate(world.alice)
    moved = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"starts_at": "2099-01-05T09:00:00Z"},
                      format="json")
    assert moved.status_code == 400 and "starts_at" in moved.json()
    # The edit dialog shows the time without offering to change it; the rest still edits.
    edit = reverse("governance:meeting_edit", args=[world.acme_contoso.pk, meeting.pk])
    client = login(world.alice)
    form = client.get(edit).context["form"]
    assert form.fields["starts_at"].disabled and form.fields["duration_minutes"].disabled
    response = client.post(edit, {"title": "Minuted check-in", "kind": "weekly_check_in",
                                  "starts_at": "2099-01-05T09:00", "duration_minutes": 15,
                                  "attendees": [world.alice.pk, world.bob.pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Minuted check-in"
    assert (meeting.starts_at, meeting.duration_minutes) == (at(2026, 3, 2, 14), 60)


def test_a_meeting_lasts_from_five_minutes_to_a_day(world, login):
    url = reverse("governance:meeting_create", args=[world.acme_contoso.pk])
    client = login(world.alice)
    api = APIClient()
    api.force_authenticate(world.alice)
    for minutes in (0, 4, 24 * 60 + 1):
        response = client.post(url, {"title": "Blink", "kind": "weekly_check_in",
                                     "starts_at": "2026-05-05T09:00", "recurrence": "none",
                                     "duration_minutes": minutes})
        assert "duration_minutes" in response.context["form"].errors
        response = api.post("/api/v1/meetings/", {
            "partnership": world.acme_contoso.pk, "title": "Blink", "kind": "weekly_check_in",
            "starts_at": "2026-05-05T09:00:00Z", "duration_minutes": minutes}, format="json")
        assert response.status_code == 400 and "duration_minutes" in response.json()
        with pytest.raises(ValidationError) as error:
            schedule(world, title="Blink", duration_minutes=minutes)
        assert "duration_minutes" in error.value.message_dict
    assert not Meeting.objects.filter(title="Blink").exists()
    assert schedule(world, title="Stand-up", duration_minutes=5).ends_at == at(2026, 3, 2, 14, 5)


def test_editing_a_meeting_keeps_an_attendee_who_has_since_left(world):
    """Bob leaves the partnership after being invited. Alice can still rename the meeting
    (he stays on it, as he was invited), but cannot invite anyone without a seat."""
    meeting = schedule(world)
    Membership.objects.filter(partnership=world.acme_contoso, user=world.bob).delete()
    api = APIClient()
    api.force_authenticate(world.alice)
    renamed = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"title": "Renamed"},
                        format="json")
    assert renamed.status_code == 200, renamed.json()
    meeting_update(actor=world.alice, meeting=meeting, location="Room 2",
                   attendees=[world.alice, world.bob])
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("Renamed", "Room 2")
    assert set(meeting.attendees.all()) == {world.alice, world.bob}
    with pytest.raises(ValidationError) as error:
        meeting_update(actor=world.alice, meeting=meeting,
                       attendees=[world.alice, world.bob, world.dave])
    assert "members of this partnership" in str(error.value.message_dict["attendees"])
    with pytest.raises(ValidationError) as error:  # internal: every attendee is checked
        meeting_update(actor=world.alice, meeting=meeting, is_internal=True)
    assert "own organization" in str(error.value.message_dict["attendees"])


def test_meeting_notifications_carry_the_moment_each_recipient_sees_in_their_zone(world,
                                                                                   login):
    """Alice works in Zurich: the 16:30 she types is 15:30 UTC. The notification holds the
    moment itself (shown in each recipient's zone), not a time written into its text."""
    meeting = schedule(world, starts_at=at(2026, 12, 8, 15))
    note = Notification.objects.get(recipient=world.bob, kind="meeting_scheduled")
    assert note.event_at == at(2026, 12, 8, 15) and "2026" not in note.body
    edit = reverse("governance:meeting_edit", args=[world.acme_contoso.pk, meeting.pk])
    login(world.alice).post(edit, {"title": "Weekly check-in", "kind": "weekly_check_in",
                                   "starts_at": "2026-12-08T16:30", "duration_minutes": 60,
                                   "attendees": [world.alice.pk, world.bob.pk]})
    note = Notification.objects.get(recipient=world.bob, title="Meeting changed: Weekly "
                                                              "check-in")
    assert note.event_at == at(2026, 12, 8, 15, 30)


def test_minutes_written_while_internal_stay_with_their_party_once_shared(world, login):
    """Attack, issue 11: a meeting minuted, approved and corrected while internal, then
    shared — the other party reads the minutes as they now are, never the versions (nor the
    correction's reason) written before it was shared, on the page or in the API."""
    from partnership.history.context import recording
    from tests.factories import signed

    meeting = meeting_create(
        actor=world.alice, partnership=world.acme_contoso, title="Our own prep",
        kind="weekly_check_in", attendees=[world.alice], is_internal=True,
        starts_at=timezone.now() - datetime.timedelta(days=1), duration_minutes=60)
    meeting = meeting_record_minutes(actor=world.alice, meeting=meeting,
                                     minutes="SECRET minutes v1")
    signed(meeting, "minutes_approved", signer=world.alice)
    with recording(reason="SECRET correction reason"):
        meeting = meeting_record_minutes(actor=world.alice, meeting=meeting,
                                         minutes="Agreed minutes", reason="SECRET correction")
    with recording(reason="Shared with Contoso"):
        meeting = meeting_update(actor=world.alice, meeting=meeting, is_internal=False)
    with recording(reason="Shared copy"):
        meeting = meeting_record_minutes(actor=world.alice, meeting=meeting,
                                         minutes="Agreed minutes, shared", reason="Shared copy")
    url = reverse("governance:meeting_detail", args=[world.acme_contoso.pk, meeting.pk])
    for reader, sees_secret in ((world.bob, False), (world.alice, True)):
        page = login(reader).get(url).content.decode()
        body = APIClient()
        body.force_authenticate(reader)
        api = str(body.get(f"/api/v1/meetings/{meeting.pk}/").json()["minutes_versions"])
        for text in (page, api):
            assert ("SECRET" in text) is sees_secret, reader
        assert "Shared copy" in api  # the version since shared (the page lists two or more)
