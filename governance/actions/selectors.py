"""Reads of action items; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.escalation.models import ActionItemEscalation
from governance.escalation.selectors import escalation_level
from partnership.models import Partnership, User
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated


def action_item_list(*, user: User, partnership: Partnership | int | None = None
                     ) -> QuerySet[ActionItem]:
    """Action items the user may see (of one partnership, given it or its id), each with
    the escalation level it has reached (`escalation_level`): the list page and the API."""
    items = ActionItem.objects.visible_to(user).select_related(
        "owner__organization", "partnership__sponsor", "partnership__cdmo").annotate(
        escalation_level=action_escalation_level())
    return items.filter(partnership=partnership) if partnership else items


def action_escalation_level():
    """The escalation level an open action has reached (None if none): an annotation."""
    return escalation_level(ActionItemEscalation, "action", "due_date",
                            ~Q(status__in=ActionItem.CLOSED))


def actions_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                      ) -> list[Dated]:
    """The user's own open actions due in the next COMING_UP_DAYS days, soonest first: their
    lines of "Coming up" on the partnership home."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=COMING_UP_DAYS)
    actions = ActionItem.objects.visible_to(user).filter(
        partnership=partnership, owner=user, due_date__gte=today, due_date__lte=soon).exclude(
        status__in=ActionItem.CLOSED).exclude(pk__in=list(exclude)).only(
        "partnership_id", "title", "due_date").order_by("due_date", "pk")
    return [Dated(item, item.due_date) for item in actions[:limit]]
