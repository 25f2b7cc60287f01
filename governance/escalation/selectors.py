"""Reads of escalation steps: the level an item has reached, as a column of its list, and
the steps of one item for its page."""

from django.db.models import Case, OuterRef, PositiveSmallIntegerField, Q, QuerySet, Subquery, When

from governance.actions.models import ActionItem
from governance.escalation.models import ActionItemEscalation, CapaEscalation, RequestEscalation
from governance.requests.models import Request
from partnership.models import User


def escalation_level(model, parent: str, window: str, still_open: Q) -> Case:
    """The level an item `still_open` has reached in its current window (None if it has
    not escalated, or no longer waits), as a column: the list rows' "Escalated" badge in
    the same query. The steps of a visible item are as visible as the item (INTERNAL_VIA),
    so the subquery needs no scoping of its own."""
    reached = model.objects.filter(**{parent: OuterRef("pk"), window: OuterRef(window)})
    return Case(When(still_open, then=Subquery(reached.order_by("-level").values("level")[:1])),
                output_field=PositiveSmallIntegerField())


def action_item_escalations(*, user: User, item: ActionItem
                            ) -> QuerySet[ActionItemEscalation]:
    """Every step the action took up the escalation path, all due dates, oldest first."""
    return ActionItemEscalation.objects.visible_to(user).filter(action=item)


def request_escalations(*, user: User, request: Request) -> QuerySet[RequestEscalation]:
    """Every step the request took up the escalation path, all windows, oldest first."""
    return RequestEscalation.objects.visible_to(user).filter(request=request)


def capa_escalations(*, user: User, capa) -> QuerySet[CapaEscalation]:
    """Every step the CAPA took up the escalation path, all due dates, oldest first."""
    return CapaEscalation.objects.visible_to(user).filter(capa=capa)
