"""Reads of the load across an organization's partnerships. Each figure is counted from the
admin's own scoped querysets (DESIGN §2), so a record the other party keeps internal is not
counted, and with the lateness rules the rest of the portal reads (requests_overdue,
ActionItem.objects.overdue): a partnership late here is late on its cockpit too."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from governance.actions.models import ActionItem
from governance.requests.models import Request
from governance.requests.selectors import requests_overdue
from partnership.models import Partnership, User
from partnership.parties.selectors import organization_partnerships
from partnership.permissions import can


@dataclass(frozen=True)
class PartnershipLoad:
    """What is open and what is late in one partnership, seen from the admin's party:
    requests it received and sent that are still open, those of them the receiver is late
    with, and open actions past their due date."""

    partnership: Partnership
    requests_received: int = 0
    requests_sent: int = 0
    overdue_requests_received: int = 0
    overdue_requests_sent: int = 0
    overdue_actions: int = 0

    @property
    def pk(self) -> int:
        return self.partnership.pk


def load_partnerships(*, user: User) -> QuerySet[Partnership]:
    """The partnerships of the user's organization, if an admin of it; none otherwise."""
    if not can(user, "partnership.people_manage"):
        return Partnership.objects.none()
    return organization_partnerships(admin=user).order_by("sponsor__name", "cdmo__name", "pk")


def partnership_load(*, user: User, partnerships) -> list[PartnershipLoad]:
    """The load of each of `partnerships` (of load_partnerships) as `user` sees it: three
    queries, however many partnerships."""
    partnerships = list(partnerships)
    ids = [p.pk for p in partnerships]
    # The requests the user's own party sent: it is the sponsor or the CDMO of each.
    ours = Q(requested_by_party="sponsor", partnership__sponsor_id=user.organization_id) | \
        Q(requested_by_party="cdmo", partnership__cdmo_id=user.organization_id)
    requests = Request.objects.visible_to(user).filter(partnership__in=ids)
    open_requests = _per_partnership(
        requests.filter(status__in=Request.OPEN),
        received=Count("pk", filter=~ours), sent=Count("pk", filter=ours))
    late_requests = _per_partnership(
        requests_overdue(requests),
        received=Count("pk", filter=~ours), sent=Count("pk", filter=ours))
    late_actions = _per_partnership(
        ActionItem.objects.visible_to(user).filter(partnership__in=ids).overdue(),
        actions=Count("pk"))
    return [PartnershipLoad(
        partnership=p,
        requests_received=open_requests.get(p.pk, {}).get("received", 0),
        requests_sent=open_requests.get(p.pk, {}).get("sent", 0),
        overdue_requests_received=late_requests.get(p.pk, {}).get("received", 0),
        overdue_requests_sent=late_requests.get(p.pk, {}).get("sent", 0),
        overdue_actions=late_actions.get(p.pk, {}).get("actions", 0),
    ) for p in partnerships]


def _per_partnership(rows: QuerySet, **counts) -> dict[int, dict[str, int]]:
    """{partnership id: {name: count}} of `rows`, in one grouped query."""
    return {row.pop("partnership_id"): row for row in
            rows.order_by().values("partnership_id").annotate(**counts)}
