"""Writes of the quality agreement: attach the terms and the matrix to a quality agreement
contract (starting from the matrix in force, or the standard activities), and change them
while the contract is not executed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from governance.quality.agreement.models import (
    CHANGE_TERMS,
    STANDARD_ACTIVITIES,
    Part,
    QualityAgreement,
    Responsibility,
)
from partnership.models import Contract, Partnership, User
from partnership.notifications.services import notify
from partnership.permissions import require
from portal.locking import locked

AGREEMENT_FIELDS = ("critical_notice_hours", "major_notice_days", "minor_notice_days",
                    "closure_needs_sponsor_approval", *CHANGE_TERMS, "change_decision_days")
EDITABLE_CONTRACT = (Contract.Status.DRAFT, Contract.Status.NEGOTIATION)


def _tell_other_party(agreement: QualityAgreement, *, actor: User, title: str) -> None:
    from governance.quality.services import qa_leads

    partnership = agreement.partnership
    other = Partnership.other_party(partnership.party_of(actor))
    notify(recipients=qa_leads(partnership, other), kind="quality_agreement", actor=actor,
           partnership=partnership, title=title, url=agreement.get_absolute_url(),
           record=agreement)


@transaction.atomic
def quality_agreement_create(*, actor: User, partnership: Partnership, contract: Contract,
                             **fields) -> QualityAgreement:
    """The quality terms of a quality agreement contract (or amendment) still in draft or
    negotiation. Its matrix starts as the one in force (an amendment changes what was
    agreed), else with the standard activities and no one named."""
    require(actor, "governance.qualityagreement_create", partnership)
    if contract is None or contract.partnership_id != partnership.pk:
        raise ValidationError({"contract": "Choose a quality agreement of this partnership."})
    contract = locked(contract, "parent")
    if contract.status not in EDITABLE_CONTRACT:
        raise ValidationError({"contract": "The contract is executed: its quality terms come "
                                           "with an amendment, written before it is signed."})
    if QualityAgreement.objects.filter(contract=contract).exists():
        raise ValidationError({"contract": "This contract has its quality terms already."})
    previous = QualityAgreement.objects.in_force(partnership)
    agreement = QualityAgreement(partnership=partnership, contract=contract, **{
        name: fields[name] if name in fields else getattr(previous, name)
        for name in AGREEMENT_FIELDS if name in fields or previous is not None})
    agreement.full_clean()
    agreement.save()
    rows = [(row.activity, row.sponsor, row.cdmo) for row in
            previous.responsibilities.all()] if previous is not None else \
        [(activity, Part.NONE, Part.NONE) for activity in STANDARD_ACTIVITIES]
    Responsibility.objects.bulk_create(
        Responsibility(partnership=partnership, agreement=agreement, position=position,
                       activity=activity, sponsor=sponsor, cdmo=cdmo)
        for position, (activity, sponsor, cdmo) in enumerate(rows, start=1))
    _tell_other_party(agreement, actor=actor,
                      title=f"Quality terms drafted for {contract.reference}: review the "
                            "responsibility matrix")
    return agreement


def _check_part(value: str, field: str) -> str:
    if value not in Part.values:
        raise ValidationError({field: f"“{value}” is not one of {', '.join(Part.labels)}."})
    return value


@transaction.atomic
def quality_agreement_update(*, actor: User, agreement: QualityAgreement,
                             cells: dict[int, tuple[str | None, str | None]] | None = None,
                             new_activity: str = "", remove=(), **fields
                             ) -> QualityAgreement:
    """Change the deadlines and closure rule (the fields given), the matrix's cells
    (`cells`: {row id: (sponsor, CDMO)}), remove rows (`remove`: their ids) and add an
    activity, while the contract is not executed (the trail keeps what was removed)."""
    agreement = locked(agreement, "partnership", "contract")
    require(actor, "governance.qualityagreement_edit", agreement)
    changed = [name for name in AGREEMENT_FIELDS
               if name in fields and fields[name] != getattr(agreement, name)]
    for name in changed:
        setattr(agreement, name, fields[name])
    agreement.full_clean()
    agreement.save()
    rows = list(agreement.responsibilities.select_for_update().filter(
        pk__in=list(cells or {})))
    if len(rows) != len(cells or {}):
        raise ValidationError({"responsibilities": "A row named is not of this matrix."})
    for row in rows:
        sponsor, cdmo = cells[row.pk]  # None: the cell stays as it is
        sponsor = row.sponsor if sponsor is None else _check_part(sponsor, f"sponsor_{row.pk}")
        cdmo = row.cdmo if cdmo is None else _check_part(cdmo, f"cdmo_{row.pk}")
        if (row.sponsor, row.cdmo) != (sponsor, cdmo):
            row.sponsor, row.cdmo = sponsor, cdmo
            row.save(update_fields=["sponsor", "cdmo"])
    removed = list(agreement.responsibilities.select_for_update().filter(
        pk__in=list(remove)))
    if len(removed) != len(set(remove)):
        raise ValidationError({"responsibilities": "A row named is not of this matrix."})
    for row in removed:
        row.delete()
    activity = (new_activity or "").strip()
    if activity:
        if agreement.responsibilities.filter(activity__iexact=activity).exists():
            raise ValidationError({"new_activity": "The matrix has this activity already."})
        last = agreement.responsibilities.aggregate(last=Max("position"))["last"] or 0
        row = Responsibility(partnership=agreement.partnership, agreement=agreement,
                             position=last + 1, activity=activity)
        row.full_clean()
        row.save()
    return agreement
