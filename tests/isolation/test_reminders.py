"""The reminders ahead of a deadline, and their e-mails, under DESIGN §2: every registered
reminder is sent in every partnership of the world (once as written, once with its record
internal to the party that wrote it), and each notification reaches only a person who may
see the record, and its e-mail names no organization the person does not share a
partnership with. A reminder added without a case in tests/isolation/reminders.py fails
the gate below, so every new one is covered."""

import datetime

import pytest
from django.core import mail

from partnership.models import Organization, Partnership, User
from partnership.notifications import services
from partnership.notifications.models import Notification
from portal.registries import reminders
from tests.isolation.reminders import CASES

NOW = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(saved_world):
    return saved_world


def test_every_reminder_has_a_case():
    assert {case.kind for case in CASES} == {r.code for r in reminders.reminders()}, \
        "add a Case for the new reminder to tests/isolation/reminders.py"


@pytest.mark.parametrize("internal", [False, True], ids=["shared", "internal"])
@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_a_reminder_reaches_only_people_who_may_see_its_record(world, case, internal):
    records = {}
    for partnership in world.partnerships:
        record, _person = case.make(partnership, NOW)
        if internal and hasattr(record, "is_internal"):
            type(record).objects.filter(pk=record.pk).update(is_internal=True)
        records[record.pk] = record
    case.send(now=NOW)
    notifications = list(Notification.objects.filter(
        kind=case.kind, record_id__in=records).select_related("recipient", "partnership"))
    if not internal:
        assert {records[n.record_id].partnership_id for n in notifications} == \
            {p.pk for p in world.partnerships}, "the case reminds someone in each partnership"
    for notification in notifications:
        record, person = records[notification.record_id], notification.recipient
        assert notification.partnership_id == record.partnership_id
        assert User.objects.who_may_see(record.partnership).filter(pk=person.pk).exists()
        assert type(record).objects.visible_to(person).filter(pk=record.pk).exists(), \
            f"{person} was reminded of a record they may not see"
    mail.outbox.clear()
    services.notification_emails_send(notification_ids=[n.pk for n in notifications])
    names = dict(Organization.objects.values_list("pk", "name"))
    for message in mail.outbox:
        person = User.objects.get(email=message.to[0])
        shared = set(Partnership.objects.visible_to(person).values_list("sponsor_id", "cdmo_id")
                     .distinct())
        seen = {pk for pair in shared for pk in pair} | {person.organization_id}
        for pk, name in names.items():
            if pk not in seen:
                assert name not in message.body and name not in message.subject, \
                    f"the e-mail to {person} names {name}"
