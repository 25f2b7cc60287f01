"""Reads of deliverables, from the scoped queryset (DESIGN §2)."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from partnership.deliverables.models import Deliverable
from partnership.parties.models import Partnership, User


def deliverable_list(*, user: User, partnership: Partnership) -> QuerySet[Deliverable]:
    return (
        Deliverable.objects.visible_to(user).filter(partnership=partnership)
        .select_related("sow").annotate(criteria_count=Count("criteria"))
        .order_by("due_date", "title")  # Meta.ordering does not apply to GROUP BY queries
    )


def deliverable_get(*, user: User, partnership: Partnership, pk: int) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.visible_to(user).filter(partnership=partnership)
        .select_related("sow"), pk=pk)
