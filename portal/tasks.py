"""Jobs that belong to no app: housekeeping."""

from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions() -> None:
    """Idempotent: deleting already-expired sessions twice deletes nothing the second time."""
    management.call_command("clearsessions")
