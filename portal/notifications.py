"""`notify()`: the one way any app tells people something happened (bell + e-mail).

Call it inside the service's transaction. It keeps to DESIGN §2 by construction: a
recipient who cannot see the partnership (or, for an internal record, who is not of the
party that wrote it) gets nothing, and the acting person is never notified of their own act.
E-mails are queued after commit; the daily digest job picks up the rest.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from portal.models import Delivery, Kind, Notification, NotificationPreference


def notify(*, recipients: Iterable, kind: str, partnership, title: str, url: str,
           body: str = "", actor=None, record=None) -> list[Notification]:
    """Notify `recipients` (users) about `record` of `partnership`; returns what was created.

    `record`, when given, limits recipients to those who may see it: an internal record
    notifies only people of its author's organization.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    User = apps.get_model("partnership", "User")
    ids = {user.pk for user in recipients if user is not None}
    if actor is not None:
        ids.discard(actor.pk)
    may_see = Q(memberships__partnership=partnership) | Q(
        is_org_admin=True, organization_id__in=[partnership.sponsor_id, partnership.cdmo_id])
    people = User.objects.filter(may_see, pk__in=ids, is_active=True).distinct()
    if record is not None and getattr(record, "is_internal", False):
        people = people.filter(organization_id=record.author_organization_id)
    choices = dict(NotificationPreference.objects.filter(user__in=people, kind=kind)
                   .values_list("user_id", "delivery"))
    notifications = [
        Notification(recipient_id=pk, partnership=partnership, kind=kind, actor=actor,
                     title=title[:300], body=body, url=url,
                     delivery=choices.get(pk, Delivery.IMMEDIATELY))
        for pk in people.values_list("pk", flat=True)
        if choices.get(pk, Delivery.IMMEDIATELY) != Delivery.OFF
    ]
    created = Notification.objects.bulk_create(notifications)
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATELY]
    if immediate:
        from portal.tasks import send_notification_emails_task

        transaction.on_commit(lambda: send_notification_emails_task.delay(immediate))
    return created
