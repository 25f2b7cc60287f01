"""Jobs that sweep every partnership (every reminder, late requests, escalation, computed
KPIs) in batches of partnerships, so that several Celery workers share one sweep (the list
of them: SWEEPS in tests/portal/test_sweeps.py).

The beat's task calls `sweep(batch_task)`: it queues the batch task for every batch but
the first and runs the first itself, so a portal with fewer partnerships than a batch
(settings.SWEEP_BATCH_PARTNERSHIPS) sweeps in one task as before. Each batch runs the job's
own service limited to its partnerships (`partnerships=[ids]`); the services' claims
(unique keys, conditional updates) keep every notice exactly once, whatever order the
batches run in, and if one runs twice.
"""

from collections.abc import Callable

from django.conf import settings

from partnership.parties.models import Partnership


def partnership_batches() -> list[list[int]]:
    """Every partnership's id, in batches of SWEEP_BATCH_PARTNERSHIPS (one empty batch when
    there is none, so a sweep always has a first batch to run)."""
    size = settings.SWEEP_BATCH_PARTNERSHIPS
    ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start:start + size] for start in range(0, len(ids), size)] or [[]]


def sweep(batch_task: Callable) -> int:
    """Queue `batch_task` (a Celery task taking a list of partnership ids) for every batch
    but the first, then run the first here; returns what that first batch returned (each
    queued batch reports its own)."""
    first, *others = partnership_batches()
    for batch in others:
        batch_task.delay(batch)
    return batch_task(first)
