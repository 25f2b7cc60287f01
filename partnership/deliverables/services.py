"""Writes of deliverables: the deliverable itself, the receiving party's acceptance
criteria, the responsible party's steps and the receiving party's review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.parties.models import Partnership, User
from partnership.records import require_writer, shared_record_create, shared_record_update

DELIVERABLE_FIELDS = ("sow", "title", "description", "due_date", "responsible_party",
                      "is_internal")


@transaction.atomic
def deliverable_create(*, actor: User, partnership: Partnership, **fields) -> Deliverable:
    return shared_record_create(Deliverable, DELIVERABLE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)


@transaction.atomic
def deliverable_update(*, actor: User, deliverable: Deliverable, **fields) -> Deliverable:
    return shared_record_update(deliverable, DELIVERABLE_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def acceptance_criterion_add(*, actor: User, deliverable: Deliverable,
                             text: str) -> AcceptanceCriterion:
    """Criteria are agreed before work starts: the receiving party states what it will
    check, while the deliverable is planned, and the responsible party agrees to them by
    starting the work (deliverable_transition). Neither party fixes them alone: the party
    that delivers cannot write its own easy criteria and start at once, nor the receiving
    party add one once the work is under way."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().select_related("partnership").get(
        pk=deliverable.pk)
    if deliverable.partnership.party_of(actor) != deliverable.receiving_party:
        raise PermissionDenied("The receiving party states the acceptance criteria: it "
                               "reviews the delivery against them.")
    if deliverable.status != Deliverable.Status.PLANNED:
        raise ValidationError("The acceptance criteria were agreed when work started; "
                              "they cannot change now.")
    criterion = AcceptanceCriterion(partnership=deliverable.partnership,
                                    deliverable=deliverable, text=text, created_by=actor)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def deliverable_transition(*, actor: User, deliverable: Deliverable,
                           status: str) -> Deliverable:
    """The responsible party moves its deliverable on: it starts the work, which agrees to
    the criteria the receiving party stated (and fixes who delivers: Deliverable.FIELD_RULES),
    and it marks the work delivered. The receiving party's step is its review."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().select_related("partnership").get(
        pk=deliverable.pk)
    Deliverable.WORKFLOW.check(deliverable.status, status)
    if status == Deliverable.Status.IN_PROGRESS:
        if deliverable.partnership.party_of(actor) != deliverable.responsible_party:
            raise PermissionDenied("Only the responsible party starts the work: starting it "
                                   "agrees to the acceptance criteria.")
        if not deliverable.criteria.exists():
            raise ValidationError("Agree at least one acceptance criterion before work starts.")
        deliverable.criteria_agreed_at = timezone.now()
    if status == Deliverable.Status.DELIVERED and \
            deliverable.partnership.party_of(actor) != deliverable.responsible_party:
        raise PermissionDenied("Only the responsible party marks its deliverable delivered.")
    deliverable.status = status
    deliverable.save(update_fields=["status", "criteria_agreed_at", "updated_at"])
    return deliverable


@transaction.atomic
def deliverable_review(*, actor: User, deliverable: Deliverable, results: dict[int, tuple],
                       comment: str = "") -> DeliverableReview:
    """The receiving party judges each criterion; all met accepts, anything else rejects and
    reopens the work. `results` maps criterion id to (met, comment)."""
    require_writer(actor, deliverable.partnership)
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.partnership.party_of(actor) != deliverable.receiving_party:
        raise PermissionDenied("The receiving party reviews a deliverable.")
    if deliverable.status != Deliverable.Status.DELIVERED:
        raise ValidationError("Only a delivered deliverable can be reviewed.")
    criteria = list(deliverable.criteria.all())
    missing = [c.text for c in criteria if c.pk not in results]
    if missing:
        raise ValidationError(f"Judge every criterion; missing: {'; '.join(missing)}.")
    accepted = all(results[c.pk][0] for c in criteria)
    if not accepted and not comment.strip():
        raise ValidationError({"comment": "Say why the deliverable is rejected."})
    review = DeliverableReview.objects.create(
        partnership=deliverable.partnership, deliverable=deliverable, comment=comment,
        decision="accepted" if accepted else "rejected", reviewed_by=actor)
    CriterionResult.objects.bulk_create([
        CriterionResult(review=review, criterion=c, met=bool(results[c.pk][0]),
                        comment=results[c.pk][1] or "") for c in criteria])
    if accepted:
        deliverable.status = Deliverable.Status.ACCEPTED
    else:
        deliverable.status = Deliverable.Status.IN_PROGRESS
        deliverable.rejection_count += 1
    deliverable.save(update_fields=["status", "rejection_count", "updated_at"])
    return review
