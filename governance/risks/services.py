"""Writes of the risk register, and the job that reminds owners of their review dates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from governance.risks.models import Risk, RiskReviewReminder
from partnership.models import Partnership, User
from partnership.notifications.reminders import Batch, within
from partnership.notifications.services import notify
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from partnership.scoping import check_refers_to_shared
from portal.locking import locked
from portal.workflow import transition

RISK_FIELDS = ("title", "description", "category", "likelihood", "impact", "owner",
               "mitigation", "review_date", "is_internal")


def _set_risk_milestones(risk: Risk, milestones) -> None:
    """A risk may threaten tech-transfer milestones of its own partnership; a shared risk
    only those both parties see (and shared_record_update checks the links again when the
    risk stops being internal). `milestones` None keeps the current ones."""
    if milestones is None:
        return
    chosen = list(milestones)
    if any(milestone.partnership_id != risk.partnership_id for milestone in chosen):
        raise ValidationError(
            {"milestones": "Choose milestones of this partnership's tech transfers."})
    check_refers_to_shared(risk, "milestones", chosen)
    risk.milestones.set(chosen)


def _notify_risk_owner(risk: Risk, actor: User) -> None:
    notify(recipients=[risk.owner], kind="risk_assigned", partnership=risk.partnership,
           title=f"Risk for you: {risk.title}", url=risk.get_absolute_url(),
           body=f"Score {risk.score} ({risk.band_label}).", actor=actor, record=risk)


@transaction.atomic
def risk_create(*, actor: User, partnership: Partnership, **fields) -> Risk:
    """Enter a risk in the register; its owner (a member, Risk.clean) is told it is theirs."""
    require(actor, "governance.risk_create", partnership)
    risk = shared_record_create(Risk, RISK_FIELDS, actor=actor, partnership=partnership,
                                fields=fields)
    _set_risk_milestones(risk, fields.get("milestones"))
    _notify_risk_owner(risk, actor)
    return risk


@transaction.atomic
def risk_update(*, actor: User, risk: Risk, **fields) -> Risk:
    """Change the fields given (the others, and the milestones when not given, stay as they
    are), on the row read again under a lock; a new owner is told."""
    risk = locked(risk, "partnership")
    require(actor, "governance.risk_edit", risk)
    previous_owner = risk.owner_id
    milestones = fields.get("milestones")
    risk = shared_record_update(risk, RISK_FIELDS, actor=actor, fields=fields,
                                links=lambda saved: _set_risk_milestones(saved, milestones))
    if risk.owner_id != previous_owner:
        _notify_risk_owner(risk, actor)
    return risk


@transaction.atomic
def risk_transition(*, actor: User, risk: Risk, status: str) -> Risk:
    """Close or reopen a risk."""
    require(actor, "governance.risk_transition", risk)
    return transition(risk, status)


def risk_review_reminders_send(*, today: datetime.date | None = None,
                               partnerships: Batch = None) -> int:
    """Remind each owner of an open risk whose review date has come, once per review date:
    the reminder row's unique key is claimed before the notification is written, in the same
    savepoint, so running the job twice (or again after a crash) reminds nobody twice."""
    today = today or timezone.localdate()
    sent = 0
    reminded = RiskReviewReminder.objects.filter(risk=OuterRef("pk"),
                                                 review_date=OuterRef("review_date"))
    due = within(Risk.objects.filter(status=Risk.Status.OPEN, review_date__lte=today),
                 partnerships).exclude(
        Exists(reminded)).select_related("owner", "partnership")
    for risk in due:
        with transaction.atomic():
            _, created = RiskReviewReminder.objects.get_or_create(
                risk=risk, review_date=risk.review_date)
            if created:
                notify(recipients=[risk.owner], kind="risk_assigned",
                       partnership=risk.partnership, title=f"Risk due for review: {risk.title}",
                       url=risk.get_absolute_url(),
                       body=f"Review date {risk.review_date:%d %b %Y}.", record=risk)
                sent += 1
    return sent
