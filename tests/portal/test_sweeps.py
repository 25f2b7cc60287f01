"""Sweeps in batches of partnerships (partnership.sweeps): each batch of a job
tells only the people of its partnerships, the batches together tell what one sweep would,
and a sweep shared by a real worker's batch tasks tells everyone exactly once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from governance.actions.services import action_item_create, action_overdue_reminders_send
from governance.actions.tasks import remind_overdue_actions, remind_overdue_actions_batch
from governance.requests.models import Request
from governance.requests.services import request_notify_late, request_send
from partnership.notifications.models import Notification
from partnership.sweeps import partnership_batches
from portal.celery import app
from tests.isolation.reminders import CASES, cast

NOW = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)
BY_KIND = pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])


def told(kind: str, record) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, record_id=record.pk))


def test_batches_hold_every_partnership_once(world, settings):
    settings.SWEEP_BATCH_PARTNERSHIPS = 2
    batches = partnership_batches()
    ids = [pk for batch in batches for pk in batch]
    assert sorted(ids) == sorted(p.pk for p in world.partnerships) == ids
    assert len(batches) == (len(ids) + 1) // 2 and all(len(batch) <= 2 for batch in batches)


@BY_KIND
def test_a_reminder_batch_tells_only_its_partnerships(world, case):
    first, _ = case.make(world.acme_contoso, NOW)
    second, _ = case.make(world.globex_contoso, NOW)
    assert case.send(now=NOW, partnerships=[world.globex_contoso.pk]) >= 1
    assert told(case.kind, second) and not told(case.kind, first)
    assert case.send(now=NOW, partnerships=[world.acme_contoso.pk]) >= 1
    assert told(case.kind, first)
    assert case.send(now=NOW) == 0  # the batches together told what one sweep would


def test_an_overdue_action_batch_tells_only_its_partnerships(world):
    action_overdue_reminders_send()  # the world's own overdue actions first
    items = {}
    for partnership in (world.acme_contoso, world.globex_contoso):
        sponsor, cdmo = cast(partnership)
        items[partnership.pk] = action_item_create(
            actor=sponsor, partnership=partnership, title="Send the CoA", owner=cdmo,
            due_date=timezone.localdate() - datetime.timedelta(days=2))
    assert action_overdue_reminders_send(partnerships=[world.globex_contoso.pk]) == 1
    assert not told("action_overdue", items[world.acme_contoso.pk])
    assert action_overdue_reminders_send(partnerships=[world.acme_contoso.pk]) == 1
    assert action_overdue_reminders_send() == 0


def test_a_late_request_batch_tells_only_its_partnerships(world):
    request_notify_late()  # the world's own old requests
    requests = {}
    for partnership in (world.acme_contoso, world.globex_contoso):
        sponsor, _ = cast(partnership)
        requests[partnership.pk] = request_send(
            actor=sponsor, partnership=partnership, title="Send the CoA of lot 7",
            description="Certificate of analysis.", kind="document")
    Request.objects.filter(pk__in=[r.pk for r in requests.values()]).update(
        acknowledge_by=timezone.now() - datetime.timedelta(hours=1))
    assert request_notify_late(partnerships=[world.globex_contoso.pk]) == 1
    assert not told("request_late", requests[world.acme_contoso.pk])
    assert request_notify_late(partnerships=[world.acme_contoso.pk]) == 1
    assert request_notify_late() == 0


@pytest.mark.django_db(transaction=True)
def test_workers_share_a_sweep_and_tell_everyone_once(celery_worker, world_committed,
                                                      settings):
    """One partnership a batch: the beat's task runs the first batch and queues the others,
    which the worker runs; sweeping again, and running every batch again, tells nobody."""
    world = world_committed
    remind_overdue_actions()  # the world's own overdue actions first
    settings.SWEEP_BATCH_PARTNERSHIPS = 1
    owners = {}
    for partnership in world.partnerships:
        sponsor, cdmo = cast(partnership)
        item = action_item_create(
            actor=sponsor, partnership=partnership, title=f"CoA for {partnership}",
            owner=cdmo, due_date=timezone.localdate() - datetime.timedelta(days=2))
        owners[item.pk] = cdmo
    assert remind_overdue_actions.delay().get(timeout=15) == 1  # its own first batch
    # The worker takes its queue in order: once this has run, so have the queued batches.
    assert remind_overdue_actions_batch.delay([]).get(timeout=15) == 0
    assert {n.record_id: n.recipient for n in Notification.objects.filter(
        kind="action_overdue", record_id__in=owners)} == owners
    assert remind_overdue_actions.delay().get(timeout=15) == 0
    assert [remind_overdue_actions_batch.delay([p.pk]).get(timeout=15)
            for p in world.partnerships] == [0] * len(world.partnerships)
    assert Notification.objects.filter(kind="action_overdue",
                                       record_id__in=owners).count() == len(owners)



#: Every job that sweeps in batches: a new one belongs here (and in partnership.sweeps).
SWEEPS = {f"{module}.tasks.{name}" for module, names in {
    "governance.actions": ["remind_overdue_actions", "remind_actions_due_soon"],
    "governance.requests": ["notify_late_requests", "remind_requests_due_soon"],
    "governance.escalation": ["escalate_overdue_items"],
    "governance.meetings": ["remind_upcoming_meetings"],
    "governance.risks": ["remind_risk_reviews"],
    "governance.quality": ["remind_overdue_finding_responses", "remind_overdue_capas",
                           "remind_overdue_change_decisions", "remind_upcoming_audits",
                           "remind_capas_due_soon", "remind_deviation_notice_deadlines"],
    "metrics.measurements": ["remind_kpi_values_due", "remind_kpi_values_due_soon",
                             "remind_kpi_reviews_closing"],
    "metrics.computed": ["compute_kpi_values"],
    "partnership.contracts": ["remind_contract_renewals"],
}.items() for name in names}


def test_beat_runs_every_sweep_with_its_batch_task(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert SWEEPS <= scheduled
    assert {name for name in app.tasks if name.endswith("_batch")} == \
        {f"{name}_batch" for name in SWEEPS}


@pytest.mark.parametrize("name", sorted(SWEEPS))
def test_batches_of_one_partnership_do_what_one_sweep_does(world, name):
    """On the world's own records: a whole sweep (rolled back) and the same sweep one
    partnership at a time tell as many; an empty batch tells nobody."""
    batch_task = app.tasks[f"{name}_batch"]
    with transaction.atomic():
        whole = batch_task(None)
        transaction.set_rollback(True)
    assert batch_task([]) == 0
    assert sum(batch_task([p.pk]) for p in world.partnerships) == whole
