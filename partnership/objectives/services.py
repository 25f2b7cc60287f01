"""Writes of what the partnership aims at: the sponsor's priority ranking (announced to the
CDMO) and the objectives both parties agreed, with their reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from partnership.notifications.services import notify
from partnership.objectives.models import Objective, ObjectiveReview, Priority, PriorityChange
from partnership.parties.models import Partnership, User
from partnership.parties.selectors import party_people
from partnership.permissions import require
from partnership.records import check_owners, shared_record_create, shared_record_update
from portal.locking import locked


@transaction.atomic
def priorities_set(*, actor: User, partnership: Partnership, titles: list[str],
                   reason: str) -> PriorityChange:
    """Replace the sponsor's ranking (top first); kept with who, when and why."""
    require(actor, "partnership.priority_set", partnership)
    titles = [title.strip() for title in titles if title.strip()]
    if not titles:
        raise ValidationError({"titles": "List at least one piece of work."})
    if len(set(titles)) != len(titles):
        raise ValidationError({"titles": "Each line must be different."})
    if len(titles) > Priority.MAX_RANK:
        raise ValidationError({"titles": f"Rank at most {Priority.MAX_RANK} pieces of work."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the priorities change: the CDMO will read it."})
    before = list(Priority.objects.select_for_update().filter(partnership=partnership)
                  .values_list("title", flat=True))
    if before == titles:
        raise ValidationError({"titles": "This is the current ranking already."})
    Priority.objects.filter(partnership=partnership).delete()
    Priority.objects.bulk_create(Priority(partnership=partnership, rank=rank, title=title)
                                 for rank, title in enumerate(titles, start=1))
    change = PriorityChange.objects.create(partnership=partnership, changed_by=actor,
                                           reason=reason.strip(), before=before, after=titles)
    notify(recipients=party_people(partnership=partnership, party="cdmo"),
           kind="priority_changed", partnership=partnership,
           title=f"{partnership.sponsor} changed its priorities",
           url=reverse("partnership:priority_list", args=[partnership.pk]),
           body=f"New ranking: {'; '.join(titles)}. Why: {change.reason}", actor=actor)
    return change


OBJECTIVE_FIELDS = ("title", "measure_of_success", "sponsor_owner", "cdmo_owner",
                    "review_date", "is_internal")


@transaction.atomic
def objective_create(*, actor: User, partnership: Partnership, **fields) -> Objective:
    require(actor, "partnership.objective_create", partnership)
    check_owners(partnership, fields)
    return shared_record_create(Objective, OBJECTIVE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields,
                                rule="partnership.objective_create")


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, **fields) -> Objective:
    """Change the fields given of an objective; each party changes its own owner only
    (Objective.FIELD_RULES, checked by shared_record_update). An owner named anew holds a
    seat, checked against the owners of the row as it stands."""
    require(actor, "partnership.objective_edit", objective)
    current = locked(objective, "partnership")
    check_owners(current.partnership, fields, current)
    return shared_record_update(current, OBJECTIVE_FIELDS, actor=actor, fields=fields,
                                rule="partnership.objective_edit")


@transaction.atomic
def objective_review(*, actor: User, objective: Objective, status: str, note: str,
                     next_review_date) -> ObjectiveReview:
    """Record how an objective stands; the objective takes the new status and review date."""
    require(actor, "partnership.objective_review", objective)
    objective = locked(objective, "partnership")
    review = ObjectiveReview(partnership=objective.partnership, objective=objective,
                             status=status, note=note, reviewed_by=actor)
    review.full_clean()
    review.save()
    objective.status, objective.review_date = status, next_review_date
    objective.full_clean()
    objective.save(update_fields=["status", "review_date", "updated_at"])
    return review
