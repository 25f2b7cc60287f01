"""Jobs of quality oversight (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.quality.deviations import services as deviation_services
from governance.quality.sites import services as site_services


@shared_task
def remind_overdue_finding_responses() -> int:
    """Daily: tell the CDMO once when a finding's response is overdue, once per due date."""
    return site_services.finding_response_reminders_send()


@shared_task
def remind_overdue_capas() -> int:
    """Hourly: tell each overdue CAPA's owner and the sponsor's QA leads once per due date
    (a unique key in the database, so a second run or a run after a crash tells nobody
    twice)."""
    return deviation_services.capa_overdue_reminders_send()


@shared_task
def remind_overdue_change_decisions() -> int:
    """Daily: tell the sponsor's QA leads once when a change control's decision is past its
    due date, once per due date (a unique key in the database)."""
    from governance.quality.changes import services as change_services

    return change_services.change_decision_reminders_send()
