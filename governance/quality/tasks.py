"""Jobs of quality oversight (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.quality import services as audit_services
from governance.quality.deviations import services as deviation_services
from governance.quality.sites import services as site_services
from partnership.sweeps import sweep


@shared_task
def remind_overdue_finding_responses() -> int:
    """Daily: tell the CDMO once when a finding's response is overdue, once per due date."""
    return sweep(remind_overdue_finding_responses_batch)


@shared_task
def remind_overdue_finding_responses_batch(partnerships: list[int]) -> int:
    return site_services.finding_response_reminders_send(partnerships=partnerships)


@shared_task
def remind_overdue_capas() -> int:
    """Hourly: tell each overdue CAPA's owner and the sponsor's QA leads once per due date
    (a unique key in the database, so a second run or a run after a crash tells nobody
    twice)."""
    return sweep(remind_overdue_capas_batch)


@shared_task
def remind_overdue_capas_batch(partnerships: list[int]) -> int:
    return deviation_services.capa_overdue_reminders_send(partnerships=partnerships)


@shared_task
def remind_overdue_change_decisions() -> int:
    """Daily: tell the sponsor's QA leads once when a change control's decision is past its
    due date, once per due date (a unique key in the database)."""
    return sweep(remind_overdue_change_decisions_batch)


@shared_task
def remind_overdue_change_decisions_batch(partnerships: list[int]) -> int:
    from governance.quality.changes import services as change_services

    return change_services.change_decision_reminders_send(partnerships=partnerships)


@shared_task
def remind_upcoming_audits() -> int:
    """Hourly: remind an audit's people a week before it starts, soon after midnight in each
    one's own zone (a unique claim per audit, start date and person)."""
    return sweep(remind_upcoming_audits_batch)


@shared_task
def remind_upcoming_audits_batch(partnerships: list[int]) -> int:
    return audit_services.audit_reminders_send(partnerships=partnerships)


@shared_task
def remind_capas_due_soon() -> int:
    """Hourly: remind each CAPA's owner a week before its due date, in the owner's zone (a
    unique claim per CAPA, due date and owner)."""
    return sweep(remind_capas_due_soon_batch)


@shared_task
def remind_capas_due_soon_batch(partnerships: list[int]) -> int:
    return deviation_services.capa_due_soon_reminders_send(partnerships=partnerships)


@shared_task
def remind_deviation_notice_deadlines() -> int:
    """Every 15 minutes: remind the CDMO's QA leads before the deadline to tell the sponsor
    of a deviation passes (a unique claim per deviation, deadline and person)."""
    return sweep(remind_deviation_notice_deadlines_batch)


@shared_task
def remind_deviation_notice_deadlines_batch(partnerships: list[int]) -> int:
    return deviation_services.deviation_notice_reminders_send(partnerships=partnerships)
