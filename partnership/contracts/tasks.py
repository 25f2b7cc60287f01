"""Jobs of contracts (Celery beat runs them; each is safe to run twice)."""

from celery import shared_task

from partnership.contracts import services
from partnership.sweeps import sweep


@shared_task
def remind_contract_renewals() -> int:
    """Hourly: tell both parties' leads once when a contract enters its renewal notice
    period, soon after midnight in each lead's own zone (a unique claim per contract,
    notice date and person)."""
    return sweep(remind_contract_renewals_batch)


@shared_task
def remind_contract_renewals_batch(partnerships: list[int]) -> int:
    return services.contract_renewal_reminders_send(partnerships=partnerships)
