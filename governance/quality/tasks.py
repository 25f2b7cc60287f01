"""Jobs of the audit programme (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from governance.quality.sites import services as site_services


@shared_task
def remind_overdue_finding_responses() -> int:
    """Daily: tell the CDMO once when a finding's response is overdue, once per due date."""
    return site_services.finding_response_reminders_send()
