"""My work's rows from governance and the partnership records it reads (portal.registries.
my_work): the requests whose next step is the person's, the notices his party must
acknowledge, the deliverables his party must review, his open actions and CAPAs, and for a
steering member the overdue CAPAs of his partnerships. Each kind is one query, at most
ROWS_PER_PROVIDER rows, read from its scoped selector (DESIGN §2), and pageable on its own
(SOURCES: a lead may own thousands of open actions); requests, notices and reviews only where
the person holds a seat that writes (a viewer or a steering member has no button for
them)."""

from collections.abc import Callable
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.selectors import action_escalation_level
from governance.escalation.models import RequestEscalation
from governance.escalation.selectors import escalation_level
from governance.quality.deviations.models import Capa
from governance.relationship.models import Notice
from governance.requests.models import Request
from governance.requests.selectors import requests_awaiting
from partnership.models import Deliverable, Membership, User
from partnership.parties.selectors import hold_partnerships
from portal.registries.my_work import ROWS_PER_PROVIDER, Item, Kind

#: The step a request awaits from the person, by its status: the button of its row.
NEXT_STEP = {Request.Status.SENT: "acknowledge", Request.Status.QUERIED: "answer",
             Request.Status.FULFILLED: "accept", Request.Status.ACKNOWLEDGED: "start",
             Request.Status.IN_PROGRESS: "fulfil"}


def writing_seats(user: User):
    """The ids of the partnerships where `user` holds a seat that writes, as a subquery."""
    return Membership.objects.filter(user=user, role__in=Membership.WRITING_ROLES).values(
        "partnership_id")


def request_item(request: Request, *, user: User) -> Item | None:
    """The row of a request awaiting `user`, its button the step he takes next; None when
    that step is not his party's (requests_awaiting already chose the request)."""
    step = NEXT_STEP.get(request.status)
    label = request.steps_for(user).get(step) if step else None
    if label is None:
        return None
    if request.status == Request.Status.SENT:
        due = timezone.localdate(request.acknowledge_by) if request.acknowledge_by else None
    elif request.status == Request.Status.FULFILLED:
        due = None  # delivered: its dates were the other side's, met or not; nothing is late
    else:
        due = request.committed_date or request.needed_by
    notes = [request.get_urgency_display()] if request.urgency != Request.Urgency.NORMAL else []
    if getattr(request, "escalation_level", None):
        notes.append(f"Escalated: level {request.escalation_level}")
    return Item(kind="Request", title=str(request),
                url=request.get_absolute_url(),
                partnership=str(request.partnership), due=due,
                status=request.get_status_display(), action=label,
                action_url=reverse("governance:request_step",
                                   args=[request.partnership_id, request.pk, step]),
                note=" · ".join(notes))


def notice_item(notice) -> Item:
    """The row of a notice the person's party must acknowledge."""
    return Item(kind="Notice", title=notice.title, url=notice.get_absolute_url(),
                partnership=str(notice.partnership), due=None, status="To acknowledge",
                action="Acknowledge", posts=True,
                action_url=reverse("governance:notice_acknowledge",
                                   args=[notice.partnership_id, notice.pk]))


def action_item(action: ActionItem) -> Item:
    """The row of an open action the person owns: Start takes the step from the row; once
    started, Update opens the action, where its progress is written."""
    starts = action.status == ActionItem.Status.OPEN
    return Item(kind="Action", title=action.title, url=action.get_absolute_url(),
                partnership=str(action.partnership), due=action.due_date,
                status=action.get_status_display(), action="Start" if starts else "Update",
                action_url=reverse("governance:actionitem_transition",
                                   args=[action.partnership_id, action.pk])
                if starts else action.get_absolute_url(),
                posts=starts, status_posted=ActionItem.Status.IN_PROGRESS if starts else "",
                note=f"Escalated: level {action.escalation_level}"
                if getattr(action, "escalation_level", None) else "")


# Each kind in two parts: `_<kind>(user)` says which records (scoped, filtered, ordered: its
# count reads only that), `_<kind>_rows(user)` what a row reads of them: its own fields
# and annotations, no partnership (`hold_partnerships` gives the rows theirs, each read once).

def _requests(user: User):
    requests = Request.objects.visible_to(user).filter(partnership__in=writing_seats(user))
    return requests_awaiting(requests, user=user).order_by("acknowledge_by", "needed_by", "pk")


def _requests_rows(user: User):
    return _requests(user).only(
        "partnership_id", "number", "title", "kind", "status", "urgency",
        "requested_by_party", "acknowledge_by", "needed_by", "committed_date").annotate(
        escalation_level=escalation_level(RequestEscalation, "request", "acknowledge_by",
                                          Q(status=Request.Status.SENT)))


def _notices(user: User):
    return Notice.objects.visible_to(user).filter(
        partnership__in=writing_seats(user), acknowledged_at__isnull=True).exclude(
        author_organization_id=user.organization_id).order_by("created_at", "pk")


def _notices_rows(user: User):
    return _notices(user).only("partnership_id", "title")


def _reviews(user: User):
    party_is_sponsor = Q(partnership__sponsor_id=user.organization_id)
    return Deliverable.objects.visible_to(user).filter(
        partnership__in=writing_seats(user), status=Deliverable.Status.DELIVERED).filter(
        (party_is_sponsor & Q(responsible_party="cdmo")) |
        (Q(partnership__cdmo_id=user.organization_id) & Q(responsible_party="sponsor"))
    ).order_by("due_date", "pk")


def _reviews_rows(user: User):
    return _reviews(user).only("partnership_id", "title", "status", "due_date")


def _actions(user: User):
    return ActionItem.objects.visible_to(user).filter(owner=user).exclude(
        status__in=ActionItem.CLOSED).order_by("due_date", "pk")


def _actions_rows(user: User):
    return _actions(user).only("partnership_id", "title", "status", "due_date").annotate(
        escalation_level=action_escalation_level())


def _capas(user: User):
    return Capa.objects.visible_to(user).filter(owner=user, status__in=Capa.ACTIVE).order_by(
        "due_date", "pk")


def _overdue_capas(user: User):
    steering = Membership.objects.filter(user=user, role=Membership.Role.STEERING).values(
        "partnership")
    return Capa.objects.visible_to(user).filter(partnership__in=steering).overdue(
        timezone.localdate()).order_by("due_date", "pk")


def _capas_rows(user: User):
    return _capas(user).only("partnership_id", "number", "title", "status", "due_date")


def _overdue_capas_rows(user: User):
    return _overdue_capas(user).select_related("owner").only(
        "partnership_id", "number", "title", "status", "due_date",
        "owner__first_name", "owner__last_name", "owner__email")


def review_item(deliverable: Deliverable) -> Item:
    return Item(kind="Deliverable", title=deliverable.title, url=deliverable.get_absolute_url(),
                partnership=str(deliverable.partnership), due=deliverable.due_date,
                status=deliverable.get_status_display(), action="Review",
                action_url=deliverable.get_absolute_url())


def capa_item(capa) -> Item:
    return Item(kind="CAPA", title=f"{capa.reference} {capa.title}", url=capa.get_absolute_url(),
                partnership=str(capa.partnership), due=capa.due_date,
                status=capa.get_status_display(), action="Work on it",
                action_url=capa.get_absolute_url())


def overdue_capa_item(capa) -> Item:
    return Item(kind="Overdue CAPA", title=f"{capa.reference} {capa.title}",
                url=capa.get_absolute_url(), partnership=str(capa.partnership),
                due=capa.due_date, status=capa.get_status_display(), action="Follow up",
                action_url=capa.get_absolute_url(), note=f"Owner: {capa.owner}")


class Source(NamedTuple):
    """A kind of My work as governance reads it: its records, what a row reads of them, and
    the row (None: not the user's)."""

    kind: Kind
    records: Callable[[User], QuerySet]
    rows: Callable[[User], QuerySet]
    item: Callable[..., Item | None]


def _read(sources, *, user: User, offset: int, limit: int) -> list[Item]:
    """The rows of `sources`, each the window [offset, offset + limit) of its records: one
    query each, and one for all their partnerships."""
    read = [(source, list(source.rows(user)[offset:offset + limit])) for source in sources]
    hold_partnerships([record for _source, records in read for record in records], user=user)
    return [row for source, records in read for record in records
            if (row := source.item(record, user)) is not None]


def _source(key: str, item_kind: str, label: str, records, rows, item) -> Source:
    """A pageable kind of My work (portal.registries.my_work.Kind) from `records(user)`, an
    ordered scoped queryset, `rows(user)`, the same as a row reads it, and
    `item(record, user)`, its row (None: not the user's)."""
    source = None

    def page(*, user: User, offset: int, limit: int) -> list[Item]:
        return _read([source], user=user, offset=offset, limit=limit)

    def count(*, user: User, cap: int) -> int:
        return records(user).order_by()[:cap].count()

    source = Source(Kind(key, item_kind, label, page, count), records, rows, item)
    return source


#: Governance's kinds of My work, in the order the provider reads them; each of them only
#: where the person holds a seat that writes, but actions, CAPAs and the steering's.
SOURCES = (
    _source("requests", "Request", "requests awaiting you", _requests, _requests_rows,
            lambda request, user: request_item(request, user=user)),
    _source("notices", "Notice", "notices to acknowledge", _notices, _notices_rows,
            lambda notice, user: notice_item(notice)),
    _source("reviews", "Deliverable", "deliverables to review", _reviews, _reviews_rows,
            lambda deliverable, user: review_item(deliverable)),
    _source("actions", "Action", "open actions you own", _actions, _actions_rows,
            lambda action, user: action_item(action)),
    _source("capas", "CAPA", "CAPAs you own", _capas, _capas_rows,
            lambda capa, user: capa_item(capa)),
    _source("overdue-capas", "Overdue CAPA", "overdue CAPAs of your steering committees",
            _overdue_capas, _overdue_capas_rows,
            lambda capa, user: overdue_capa_item(capa)),
)
KINDS = tuple(source.kind for source in SOURCES)


def governance_my_work(*, user: User) -> list[Item]:
    """The first ROWS_PER_PROVIDER rows of each of SOURCES: one query each, and one for
    the partnerships of all of them."""
    if not user.is_authenticated:
        return []
    return _read(SOURCES, user=user, offset=0, limit=ROWS_PER_PROVIDER)
