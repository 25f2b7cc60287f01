"""Reads of deliverables, their criteria and reviews, from the scoped queryset (DESIGN §2)."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.parties.models import Partnership, User


def _of(queryset: QuerySet, partnership: Partnership | int | None) -> QuerySet:
    """The rows of one partnership, or of all the user's when None (the API's lists)."""
    return queryset if partnership is None else queryset.filter(partnership=partnership)


def deliverable_list(*, user: User, partnership: Partnership | int | None = None
                     ) -> QuerySet[Deliverable]:
    return (
        _of(Deliverable.objects.visible_to(user), partnership)
        .select_related("sow").annotate(criteria_count=Count("criteria"))
        .order_by("due_date", "title")  # Meta.ordering does not apply to GROUP BY queries
    )


def deliverable_get(*, user: User, partnership: Partnership, pk: int) -> Deliverable:
    """A deliverable of `partnership`, holding the caller's copy of it (a page's, which
    knows the user's role: the rules asked about the deliverable read no more)."""
    deliverable = get_object_or_404(
        Deliverable.objects.visible_to(user).filter(partnership=partnership)
        .select_related("sow"), pk=pk)
    deliverable.partnership = partnership
    return deliverable


def acceptance_criterion_list(*, user: User, partnership: Partnership | int | None = None,
                              deliverable: Deliverable | None = None
                              ) -> QuerySet[AcceptanceCriterion]:
    criteria = _of(AcceptanceCriterion.objects.visible_to(user), partnership)
    return criteria if deliverable is None else criteria.filter(deliverable=deliverable)


def deliverable_review_list(*, user: User, partnership: Partnership | int | None = None,
                            deliverable: Deliverable | None = None
                            ) -> QuerySet[DeliverableReview]:
    """Reviews with who reviewed and each criterion's result."""
    reviews = _of(DeliverableReview.objects.visible_to(user), partnership).select_related(
        "reviewed_by").prefetch_related(Prefetch(
            # the criterion joined, not prefetched: one query whether or not any review
            # of the page has results
            "results", queryset=CriterionResult.objects.select_related("criterion")))
    return reviews if deliverable is None else reviews.filter(deliverable=deliverable)
