"""Reminders ahead of a deadline (DESIGN §4): each registered reminder, run by its real job,
tells each person once per record and window, as they chose (now, digest, never), in their
own zone, and nothing about a record already done or to a person who lost their seat. The
cases (one per reminder) are in tests/isolation/reminders.py."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from governance.actions.services import action_due_soon_reminders_send
from governance.meetings.services import meeting_reminders_send
from governance.models import ActionItem, Meeting
from partnership.models import Membership
from partnership.notifications import services
from partnership.notifications.models import Delivery, Notification, ReminderClaim
from portal.registries import reminders
from tests.isolation.reminders import CASES, cast

NOW = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)
BY_KIND = pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])


@pytest.fixture
def world(saved_world):
    return saved_world


def told(case, record) -> list[Notification]:
    return list(Notification.objects.filter(kind=case.kind, record_id=record.pk).order_by("pk"))


def mailed(notifications) -> list:
    """The immediate e-mails of these notifications, sent as the queued task sends them."""
    start = len(mail.outbox)
    services.notification_emails_send(notification_ids=[n.pk for n in notifications])
    return mail.outbox[start:]


@BY_KIND
def test_each_person_is_told_once_even_when_the_job_runs_again(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    assert case.send(now=NOW) >= 1
    assert case.send(now=NOW) == 0
    assert case.send(now=NOW + datetime.timedelta(minutes=5)) == 0
    notifications = told(case, record)
    assert [n.recipient for n in notifications].count(person) == 1
    assert len({n.recipient_id for n in notifications}) == len(notifications)
    [message] = [m for m in mailed(notifications) if m.to == [person.email]]
    assert notifications[0].title in message.subject
    assert ReminderClaim.objects.filter(kind=case.kind, record_id=record.pk,
                                        recipient=person).count() == 1


@BY_KIND
def test_never_means_nothing(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    services.notification_preferences_update(actor=person, choices={case.kind: Delivery.OFF})
    case.send(now=NOW)
    assert person not in [n.recipient for n in told(case, record)]


@BY_KIND
def test_a_digest_reader_gets_it_in_the_digest_only(world, case, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    record, person = case.make(world.acme_contoso, NOW)
    services.notification_preferences_update(actor=person,
                                             choices={case.kind: Delivery.DAILY_DIGEST})
    case.send(now=NOW)
    [notification] = [n for n in told(case, record) if n.recipient == person]
    assert notification.delivery == Delivery.DAILY_DIGEST
    assert not [m for m in mailed([notification]) if m.to == [person.email]]
    assert services.digest_send(user=person, now=NOW + datetime.timedelta(hours=1))
    assert notification.title in mail.outbox[-1].body and mail.outbox[-1].to == [person.email]


@BY_KIND
def test_nothing_about_a_record_already_done_or_cancelled(world, case):
    record, _person = case.make(world.acme_contoso, NOW)
    case.close(record, NOW)
    case.send(now=NOW)
    assert told(case, record) == []


@BY_KIND
def test_nothing_to_a_person_who_lost_the_seat(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    Membership.objects.filter(user=person, partnership=world.acme_contoso).delete()
    case.send(now=NOW)
    assert person not in [n.recipient for n in told(case, record)]


@BY_KIND
def test_a_sweep_reads_a_bounded_number_of_queries_whatever_the_records(world, case):
    """Selecting the records in the window and the claims made takes the same queries for
    one record as for three: nothing is asked record by record."""
    case.make(world.acme_contoso, NOW)
    case.send(now=NOW)
    with CaptureQueriesContext(connection) as one:
        case.send(now=NOW)
    case.make(world.acme_contoso, NOW)
    case.make(world.acme_contoso, NOW)
    case.send(now=NOW)
    with CaptureQueriesContext(connection) as three:
        assert case.send(now=NOW) == 0
    assert len(three) == len(one) <= 8


@pytest.mark.parametrize("case", [case for case in CASES if case.moment],
                         ids=[case.kind for case in CASES if case.moment])
def test_the_email_gives_the_moment_in_the_recipients_zone(world, case):
    record, person = case.make(world.acme_contoso, NOW)
    person.time_zone = "Asia/Tokyo"
    person.save()
    case.send(now=NOW)
    [notification] = [n for n in told(case, record) if n.recipient == person]
    [message] = mailed([notification])
    local = notification.event_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert f"When: {dateformat.format(local, 'D j M Y, H:i')} (Asia/Tokyo)" in message.body


def test_due_in_two_days_begins_at_midnight_in_the_owners_zone(world):
    """16:00 UTC on 3 May is 01:00 on 4 May in Tokyo, 18:00 on 3 May in Zurich: an action
    due on 6 May is two days ahead for Bob in Tokyo, three for Alice in Zurich."""
    now = datetime.datetime(2026, 5, 3, 16, 0, tzinfo=datetime.UTC)
    world.bob.time_zone = "Asia/Tokyo"
    world.bob.save()
    sponsor, _ = cast(world.acme_contoso)
    due = datetime.date(2026, 5, 6)
    bobs, alices = (ActionItem.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, title=title,
        owner=owner, due_date=due) for title, owner in (("Bob's", world.bob),
                                                        ("Alice's", sponsor)))
    action_due_soon_reminders_send(now=now)
    [reminder] = Notification.objects.filter(kind="action_due_soon", record_id=bobs.pk)
    assert reminder.title == "Action due in 2 days: Bob's"
    assert reminder.body == "Due Wednesday 06 May 2026."
    assert not Notification.objects.filter(kind="action_due_soon", record_id=alices.pk)
    action_due_soon_reminders_send(now=now + datetime.timedelta(hours=6))  # midnight, Zurich
    assert Notification.objects.filter(kind="action_due_soon", record_id=alices.pk).count() == 1
    assert action_due_soon_reminders_send(now=datetime.datetime(
        2026, 5, 6, 1, tzinfo=datetime.UTC)) == 0  # due today: told already, and no more


def test_a_rescheduled_meeting_reminds_again_and_a_cancelled_one_does_not(world):
    sponsor, cdmo = cast(world.acme_contoso)
    meeting = Meeting.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, title="Review",
        kind="operations_review", starts_at=NOW + datetime.timedelta(minutes=30))
    meeting.attendees.set([sponsor, cdmo])
    assert meeting_reminders_send(now=NOW) == 2
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=NOW + datetime.timedelta(hours=3))
    assert meeting_reminders_send(now=NOW + datetime.timedelta(hours=2, minutes=30)) == 2
    assert Notification.objects.filter(kind="meeting_hour_before",
                                       record_id=meeting.pk).count() == 4
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=NOW + datetime.timedelta(hours=10), status="cancelled")
    assert meeting_reminders_send(now=NOW + datetime.timedelta(hours=9, minutes=30)) == 0


def test_a_meeting_a_day_ahead_reminds_once_and_again_an_hour_before(world):
    sponsor, cdmo = cast(world.acme_contoso)
    meeting = Meeting.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, title="QBR",
        kind="business_review", starts_at=NOW + datetime.timedelta(days=2))
    meeting.attendees.set([sponsor, cdmo])
    for hours in range(0, 48, 1):
        meeting_reminders_send(now=NOW + datetime.timedelta(hours=hours))
    kinds = list(Notification.objects.filter(record_id=meeting.pk, kind__startswith="meeting_")
                 .values_list("kind", "recipient_id").order_by("kind", "recipient_id"))
    assert kinds == sorted([("meeting_day_before", sponsor.pk), ("meeting_day_before", cdmo.pk),
                            ("meeting_hour_before", sponsor.pk),
                            ("meeting_hour_before", cdmo.pk)])


def test_a_contract_renewal_is_emailed_to_both_parties_leads(world):
    [case] = [case for case in CASES if case.kind == "contract_renewal"]
    contract, sponsor = case.make(world.acme_contoso, NOW)
    case.send(now=NOW)
    notifications = told(case, contract)
    # Contoso seats no lead in Acme–Contoso: its writers (Bob) hear for it.
    assert {n.recipient for n in notifications} == {sponsor, world.bob}
    messages = mailed(notifications)
    assert sorted(m.to[0] for m in messages) == sorted([sponsor.email, world.bob.email])
    assert all("Renewal notice period begins" in m.subject for m in messages)
    assert all(f"expires on {contract.expiry_date:%d %b %Y}" in m.body for m in messages)


def test_beat_runs_every_reminders_job(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    registered = {reminder.task for reminder in reminders.reminders()}
    assert registered and registered <= scheduled


def test_every_reminder_is_a_kind_people_choose_a_delivery_for(world, login):
    page = login(world.bob).get("/notifications/settings/").content.decode()
    for reminder in reminders.reminders():
        assert reminder.label in page


@pytest.mark.django_db(transaction=True)
def test_the_real_jobs_tell_once_when_run_twice(celery_worker, world_committed):
    world, now = world_committed, timezone.now()
    made = [(case, *case.make(world.acme_contoso, now)) for case in CASES]
    tasks = {case.task.name: case.task for case in CASES}
    for task in tasks.values():
        task.delay().get(timeout=30)
    for case, record, person in made:
        assert [n.recipient for n in told(case, record)].count(person) == 1, case.kind
    assert [task.delay().get(timeout=30) for task in tasks.values()] == [0] * len(tasks)
    for case, record, person in made:
        assert [n.recipient for n in told(case, record)].count(person) == 1, case.kind


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("other_run_commits", [True, False], ids=["commits", "fails"])
@pytest.mark.django_db(transaction=True)
def test_a_sweep_meeting_another_runs_claim_waits_for_it(world_committed, other_run_commits):
    """Another run has claimed Bob's reminder and not committed yet (its e-mail going out,
    say): this sweep waits on the claim, then tells Bob only if the other run failed."""
    import threading
    import time

    import psycopg2
    from django.contrib.contenttypes.models import ContentType

    [case] = [case for case in CASES if case.kind == "action_due_soon"]
    now = timezone.now()
    item, bob = case.make(world_committed.acme_contoso, now)
    window = item.due_date.isoformat()
    other = psycopg2.connect(**connection.get_connection_params())
    results = []
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ReminderClaim._meta.db_table} (kind, record_type_id, record_id, "
                "\"window\", recipient_id, created_at) VALUES (%s, %s, %s, %s, %s, now())",
                [case.kind, ContentType.objects.get_for_model(ActionItem).pk, item.pk, window,
                 bob.pk])

        def sweep():
            try:
                results.append(case.send(now=now))
            finally:
                connection.close()

        thread = threading.Thread(target=sweep)
        thread.start()
        deadline = time.monotonic() + 60
        while _lock_waiters() == 0 and thread.is_alive():
            assert time.monotonic() < deadline, "the sweep never reached the claim"
            time.sleep(0.1)
        if other_run_commits:
            other.commit()
        else:
            other.rollback()
        thread.join(timeout=60)
    finally:
        other.close()
    assert results == [0 if other_run_commits else 1]
    assert len(told(case, item)) == (0 if other_run_commits else 1)
    assert ReminderClaim.objects.filter(kind=case.kind, record_id=item.pk).count() == 1
