"""Writes of deliverables: the deliverable itself, the receiving party's acceptance
criteria, the responsible party's steps and the receiving party's review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.parties.models import Partnership, User
from partnership.permissions import DELIVERABLE_STEPS, require
from partnership.records import WRITE, shared_record_create, shared_record_update
from partnership.signatures.services import sign
from portal.locking import locked
from portal.workflow import transition

DELIVERABLE_FIELDS = ("sow", "title", "description", "due_date", "responsible_party",
                      "is_internal")


@transaction.atomic
def deliverable_create(*, actor: User, partnership: Partnership, **fields) -> Deliverable:
    return shared_record_create(Deliverable, DELIVERABLE_FIELDS, actor=actor,
                                partnership=partnership, fields=fields,
                                rule="partnership.deliverable_create")


@transaction.atomic
def deliverable_update(*, actor: User, deliverable: Deliverable, **fields) -> Deliverable:
    return shared_record_update(deliverable, DELIVERABLE_FIELDS, actor=actor, fields=fields,
                                rule="partnership.deliverable_edit")


@transaction.atomic
def acceptance_criterion_add(*, actor: User, deliverable: Deliverable,
                             text: str) -> AcceptanceCriterion:
    """Criteria are agreed before work starts: the receiving party states what it will
    check, while the deliverable is planned, and the responsible party agrees to them by
    starting the work (deliverable_transition). Neither party fixes them alone: the party
    that delivers cannot write its own easy criteria and start at once, nor the receiving
    party add one once the work is under way."""
    deliverable = locked(deliverable, "partnership")
    require(actor, "partnership.acceptancecriterion_add", deliverable)
    if not deliverable.criteria_open:
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
    require(actor, WRITE, deliverable)

    def guard(row: Deliverable, status: str) -> None:
        require(actor, DELIVERABLE_STEPS[status], row)
        if status == Deliverable.Status.IN_PROGRESS and not row.criteria.exists():
            raise ValidationError("Agree at least one acceptance criterion before work starts.")

    def changes(row: Deliverable, status: str) -> dict:
        return {"criteria_agreed_at": timezone.now()} \
            if status == Deliverable.Status.IN_PROGRESS else {}

    return transition(deliverable, status, guard=guard, changes=changes)


@transaction.atomic
def deliverable_review(*, actor: User, deliverable: Deliverable, results: dict[int, tuple],
                       comment: str = "", meaning: str = "", password: str = "",
                       otp_code: str | None = None) -> DeliverableReview:
    """The receiving party judges each criterion; all met accepts, anything else rejects and
    reopens the work. `results` maps criterion id to (met, comment). An accepting review is
    signed by the reviewer (`meaning`, `password`, `otp_code`: signatures.services.sign): a
    wrong password or code refuses the whole review."""
    deliverable = locked(deliverable, "partnership")
    require(actor, "partnership.deliverable_review", deliverable)
    if not deliverable.awaiting_review:
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
    if accepted:
        sign(actor=actor, record=deliverable, event="accepted", meaning=meaning,
             password=password, otp_code=otp_code)
    return review
