"""My work's rows from governance and the partnership records it reads (portal.registries.
my_work): the requests whose next step is the person's, the notices his party must
acknowledge, the deliverables his party must review, his open actions and CAPAs, and for a
steering member the overdue CAPAs of his partnerships. Each kind is one query, at most
ROWS_PER_PROVIDER rows, read from its scoped selector (DESIGN §2), and pageable on its own
(KINDS: a lead may own thousands of open actions); requests, notices and reviews only where
the person holds a seat that writes (a viewer or a steering member has no button for
them)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.selectors import action_item_list
from governance.quality.deviations.selectors import (
    capas_overdue_for_steering_list,
    capas_owned_list,
)
from governance.relationship.selectors import notices_awaiting
from governance.requests.models import Request
from governance.requests.selectors import request_list, requests_awaiting
from partnership.models import Deliverable, Membership, User
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


def _requests(user: User):
    return requests_awaiting(request_list(user=user).filter(partnership__in=writing_seats(user)),
                             user=user).order_by("acknowledge_by", "needed_by", "pk")


def _notices(user: User):
    return notices_awaiting(user=user).filter(partnership__in=writing_seats(user)).order_by(
        "created_at", "pk")


def _reviews(user: User):
    party_is_sponsor = Q(partnership__sponsor_id=user.organization_id)
    return Deliverable.objects.visible_to(user).filter(
        partnership__in=writing_seats(user), status=Deliverable.Status.DELIVERED).filter(
        (party_is_sponsor & Q(responsible_party="cdmo")) |
        (Q(partnership__cdmo_id=user.organization_id) & Q(responsible_party="sponsor"))
    ).select_related("partnership__sponsor", "partnership__cdmo").order_by("due_date", "pk")


def _actions(user: User):
    return action_item_list(user=user).filter(owner=user).exclude(
        status__in=ActionItem.CLOSED).order_by("due_date", "pk")


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


def _kind(key: str, item_kind: str, label: str, records, item) -> Kind:
    """A pageable kind of My work (portal.registries.my_work.Kind) from `records(user)`, an
    ordered scoped queryset, and `item(record, user)`, its row (None: not the user's)."""
    def rows(*, user: User, offset: int, limit: int) -> list[Item]:
        return [row for record in records(user)[offset:offset + limit]
                if (row := item(record, user)) is not None]

    def count(*, user: User, cap: int) -> int:
        return records(user).order_by()[:cap].count()

    return Kind(key, item_kind, label, rows, count)


#: Governance's kinds of My work, in the order the provider reads them; each of them only
#: where the person holds a seat that writes, but actions, CAPAs and the steering's.
KINDS = (
    _kind("requests", "Request", "requests awaiting you", _requests,
          lambda request, user: request_item(request, user=user)),
    _kind("notices", "Notice", "notices to acknowledge", _notices,
          lambda notice, user: notice_item(notice)),
    _kind("reviews", "Deliverable", "deliverables to review", _reviews,
          lambda deliverable, user: review_item(deliverable)),
    _kind("actions", "Action", "open actions you own", _actions,
          lambda action, user: action_item(action)),
    _kind("capas", "CAPA", "CAPAs you own", lambda user: capas_owned_list(user=user),
          lambda capa, user: capa_item(capa)),
    _kind("overdue-capas", "Overdue CAPA", "overdue CAPAs of your steering committees",
          lambda user: capas_overdue_for_steering_list(user=user),
          lambda capa, user: overdue_capa_item(capa)),
)


def governance_my_work(*, user: User) -> list[Item]:
    """The first ROWS_PER_PROVIDER rows of each of KINDS: one query each."""
    if not user.is_authenticated:
        return []
    return [row for known in KINDS
            for row in known.rows(user=user, offset=0, limit=ROWS_PER_PROVIDER)]
