"""Reads of the sponsor's priorities (with the change to announce) and the objectives."""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnership.objectives.models import Objective, ObjectiveReview, Priority, PriorityChange
from partnership.parties.models import Partnership, User

ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS = 14


def _of(queryset: QuerySet, partnership: Partnership | int | None) -> QuerySet:
    """The rows of one partnership, or of all the user's when None (the API's lists)."""
    return queryset if partnership is None else queryset.filter(partnership=partnership)


def priority_list(*, user: User, partnership: Partnership | int | None = None
                  ) -> QuerySet[Priority]:
    """The sponsor's current ranking, top first."""
    return _of(Priority.objects.visible_to(user), partnership)


def priority_change_list(*, user: User, partnership: Partnership | int | None = None
                         ) -> QuerySet[PriorityChange]:
    """How the ranking changed, newest first, with who changed it."""
    return _of(PriorityChange.objects.visible_to(user), partnership).select_related(
        "changed_by")


def priorities(*, user: User, partnership: Partnership) -> dict:
    """The current ranking, its history, and the change to announce on the home page."""
    changes = priority_change_list(user=user, partnership=partnership)
    latest = changes.first()
    recent = latest and latest.changed_at >= timezone.now() - datetime.timedelta(
        days=ANNOUNCE_PRIORITY_CHANGES_FOR_DAYS)
    return {
        "priorities": priority_list(user=user, partnership=partnership),
        "priority_changes": changes,
        "priority_announcement": latest if recent else None,
    }


def objective_list(*, user: User, partnership: Partnership | int | None = None
                   ) -> QuerySet[Objective]:
    return _of(Objective.objects.visible_to(user), partnership).select_related(
        "sponsor_owner", "cdmo_owner")


def objective_get(*, user: User, partnership: Partnership, pk: int) -> Objective:
    """An objective of `partnership`, holding the caller's copy of it (a page's, which
    knows the user's role: the rules asked about the objective read no more)."""
    objective = get_object_or_404(objective_list(user=user, partnership=partnership), pk=pk)
    objective.partnership = partnership
    return objective


def objective_review_list(*, user: User, partnership: Partnership | int | None = None,
                          objective: Objective | None = None) -> QuerySet[ObjectiveReview]:
    reviews = _of(ObjectiveReview.objects.visible_to(user), partnership).select_related(
        "reviewed_by")
    return reviews if objective is None else reviews.filter(objective=objective)
