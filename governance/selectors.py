"""Reads of the governance app; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from governance.models import ActionItem
from partnership.models import Partnership, User


def action_item_list(*, user: User, partnership: Partnership | None = None
                     ) -> QuerySet[ActionItem]:
    items = ActionItem.objects.visible_to(user).select_related(
        "owner__organization", "partnership__sponsor", "partnership__cdmo")
    return items.filter(partnership=partnership) if partnership else items


def my_work(*, user: User) -> dict:
    """What the user owes across all their partnerships: overdue, due this week, later."""
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    mine = action_item_list(user=user).filter(owner=user).exclude(status__in=ActionItem.CLOSED)
    return {
        "overdue": mine.filter(due_date__lt=today),
        "this_week": mine.filter(due_date__gte=today, due_date__lte=week_end),
        "later": mine.filter(due_date__gt=week_end),
    }
