"""Reads of the sponsor's priorities (with the change to announce) and the objectives."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from partnership.objectives.models import Objective, Priority, PriorityChange
from partnership.parties.models import Partnership, User

ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS = 14


def priorities(*, user: User, partnership: Partnership) -> dict:
    """The current ranking, its history, and the change to announce on the home page."""
    changes = PriorityChange.objects.visible_to(user).filter(
        partnership=partnership).select_related("changed_by")
    latest = changes.first()
    recent = latest and latest.changed_at >= timezone.now() - datetime.timedelta(
        days=ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS)
    return {
        "priorities": Priority.objects.visible_to(user).filter(partnership=partnership),
        "priority_changes": changes,
        "priority_announcement": latest if recent else None,
    }


def objective_list(*, user: User, partnership: Partnership) -> QuerySet[Objective]:
    return Objective.objects.visible_to(user).filter(partnership=partnership).select_related(
        "sponsor_owner", "cdmo_owner")
