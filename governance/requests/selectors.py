"""Reads of formal requests; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance.escalation.models import RequestEscalation
from governance.escalation.selectors import escalation_level
from governance.requests.models import Request, RequestStep
from partnership.models import Membership, Milestone, Partnership, User
from partnership.scoping import shared_lookups
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated


def request_list(*, user: User, partnership: Partnership | int | None = None
                 ) -> QuerySet[Request]:
    """Requests the user may see (of one partnership, given it or its id), each annotated
    with the ids of its links to other partnerships (relayed from / relayed to) that the
    user may also see: a CDMO learns nothing of the sponsor's other partnership, the sponsor
    sees both ends. The list page and the API."""
    visible = Request.objects.visible_to(user)
    requests = visible.select_related(
        "partnership__sponsor", "partnership__cdmo", "assignee", "created_by").annotate(
        linked_from_id=Subquery(visible.filter(pk=OuterRef("relayed_from_id")).values("pk")[:1]),
        linked_relay_ids=ArraySubquery(visible.filter(relayed_from_id=OuterRef("pk"))
                                       .order_by("pk").values("pk")),
        escalation_level=escalation_level(RequestEscalation, "request", "acknowledge_by",
                                          Q(status=Request.Status.SENT)))
    return requests.filter(partnership=partnership) if partnership else requests


def request_links(*, user: User, request: Request) -> dict:
    """The other ends of a request's relays, only those the user may see (DESIGN §2)."""
    visible = Request.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo")
    relayed_from = visible.filter(pk=request.relayed_from_id).first() \
        if request.relayed_from_id else None
    return {"relayed_from": relayed_from,
            "relays": list(visible.filter(relayed_from=request).order_by("pk"))}


def request_milestone_choices(*, user: User, partnership: Partnership
                              ) -> QuerySet[Milestone]:
    """The tech-transfer milestones a request of the partnership may wait on: those both
    parties see (a request is read by the other party; an internal milestone is not)."""
    return Milestone.objects.visible_to(user).filter(
        partnership=partnership, **shared_lookups(Milestone)).select_related("tech_transfer")


def request_milestones(*, user: User, request: Request | None = None) -> QuerySet[Milestone]:
    """The milestones waiting on `request` (on any request, for a prefetch) that the user
    may see: whatever is linked, a milestone internal to the other party never shows."""
    milestones = Milestone.objects.visible_to(user).select_related("tech_transfer")
    return milestones.filter(requests=request) if request is not None else milestones


def request_timeline(*, user: User, request: Request) -> QuerySet[RequestStep]:
    return RequestStep.objects.visible_to(user).filter(request=request).select_related(
        "actor__organization")


def month_start_utc(now: datetime.datetime | None = None) -> datetime.datetime:
    """Emergency budgets run per calendar month in UTC, the same for both parties."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def emergency_usage(*, partnership: Partnership, now: datetime.datetime | None = None
                    ) -> dict[str, tuple[int, int]]:
    """{party: (emergencies sent in the calendar month (UTC) of `now`, monthly budget)} of
    one partnership. Cancelled emergencies count too: they were sent, and the other party
    dropped everything."""
    start = month_start_utc(now)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    counts = dict(Request.objects.filter(
        partnership=partnership, urgency=Request.Urgency.EMERGENCY,
        sent_at__gte=start, sent_at__lt=end).values("requested_by_party").annotate(
        n=Count("pk")).values_list("requested_by_party", "n").order_by())
    return {"sponsor": (counts.get("sponsor", 0), partnership.sponsor_emergency_budget),
            "cdmo": (counts.get("cdmo", 0), partnership.cdmo_emergency_budget)}


def relay_targets(*, user: User, request: Request) -> QuerySet[Partnership]:
    """Where the sponsor may relay a request: its other partnerships it works in."""
    if user.organization_id != request.partnership.sponsor_id:
        return Partnership.objects.none()
    targets = Partnership.objects.visible_to(user).filter(
        sponsor_id=request.partnership.sponsor_id).exclude(pk=request.partnership_id)
    # Partnership.can_write as one query: a writing seat, or an admin without a seat there.
    seats = Membership.objects.filter(user=user, partnership=OuterRef("pk"))
    writes = Q(Exists(seats.filter(role__in=Membership.WRITING_ROLES)))
    if user.is_org_admin:
        writes |= ~Q(Exists(seats))
    return targets.filter(writes).select_related("sponsor", "cdmo")


# What the cards show of requests, and what the request list's "show" filter lists when a
# card links to it: one definition for both, so a card's link lists what the card shows.

def requests_awaiting(requests: QuerySet[Request], *, user: User) -> QuerySet[Request]:
    """Requests whose next step is the user's party's (acknowledge one it received, answer the
    question on or accept the work of one it sent) or the user's own (assigned to them and
    being worked on). A change the CDMO asked for is the CDMO's to carry out and the
    sponsor's to accept (Request.SENDER_CARRIES_OUT)."""
    ours = Q(author_organization_id=user.organization_id)  # the requester's organization
    sender_works = Request.sender_carries_out_q()
    working = Q(status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS))
    return requests.filter(
        (Q(status=Request.Status.SENT) & ~ours)
        | (Q(status=Request.Status.QUERIED) & ours)
        | (Q(status=Request.Status.FULFILLED) & ((ours & ~sender_works) | (~ours & sender_works)))
        | (Q(assignee=user) & working & ~sender_works)
        | (working & ours & sender_works))


def requests_overdue(requests: QuerySet[Request]) -> QuerySet[Request]:
    """Requests the receiver is late with: not acknowledged in the agreed time, or still being
    worked on after the committed date.

    Both are of three statuses, said once more for the whole: the (partnership, status,
    acknowledge_by) index then finds the few rows of those statuses, where PostgreSQL
    otherwise read every request of the partnership (3,850 at a large sponsor's heaviest)
    to keep the 477 late ones."""
    requests = requests.filter(status__in=(
        Request.Status.SENT, Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS))
    return requests.filter(
        status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS),
        committed_date__lt=timezone.localdate()) | requests.late()


def requests_due_soon(requests: QuerySet[Request]) -> QuerySet[Request]:
    """Requests still asked or worked on whose date falls in the next COMING_UP_DAYS days,
    annotated with it as `deadline`: the committed date once acknowledged, else the date the
    requester needs it by."""
    today = timezone.localdate()
    return requests.annotate(deadline=Coalesce("committed_date", "needed_by")).filter(
        status__in=(Request.Status.SENT, Request.Status.QUERIED, Request.Status.ACKNOWLEDGED,
                    Request.Status.IN_PROGRESS),
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=COMING_UP_DAYS))


def requests_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                       ) -> list[Dated]:
    """The partnership's requests due in the next COMING_UP_DAYS days (requests_due_soon),
    soonest first: their lines of "Coming up" on the partnership home."""
    requests = requests_due_soon(Request.objects.visible_to(user).filter(
        partnership=partnership)).exclude(pk__in=list(exclude)).order_by("deadline", "pk")
    return [Dated(request, request.deadline) for request in requests[:limit]]
