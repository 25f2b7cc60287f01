"""`locked(record)`: how an update service reads the row it is about to change."""

from django.db import models


def locked(record: models.Model, *related: str) -> models.Model:
    """`record`'s row read again under SELECT … FOR UPDATE, inside the caller's transaction.

    Whatever the caller's copy holds (a stale read, values someone set on it), the service
    starts from the database's row, and a second writer waits until the first commits.
    Only the row itself is locked (`of=("self",)`); rows joined through `related` are read
    with it, not locked. Call it inside the service's `transaction.atomic()`.
    """
    manager = record._meta.model._default_manager  # also through a lazy request.user
    return manager.select_for_update(of=("self",)).select_related(*related).get(pk=record.pk)
