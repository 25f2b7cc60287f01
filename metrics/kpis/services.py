"""Writes of KPI definitions: a lead drafts one (or adopts the standard set as drafts) and
corrects it while a draft, submits it for sign-off, and the leads of both parties e-sign it
(partnership.signatures runs kpi_definition_agree once both have). Revising an agreed
definition drafts version n+1; the agreed version stays in force until the new one is
agreed, then it is superseded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from metrics.kpis import library
from metrics.kpis.models import TERMS, KPIDefinition
from metrics.notices import tell
from partnership.history.context import recording
from partnership.history.reasons import needs_reason
from partnership.models import Partnership, User
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from portal.locking import locked
from portal.workflow import transition

AGREED_REASON = "Agreed: signed off by the leads of both parties."
SUPERSEDED_REASON = "Superseded by version {version}, signed off by both parties."


def _check_key_free(partnership: Partnership, key: str) -> None:
    if KPIDefinition.objects.filter(partnership=partnership, key=key).exists():
        raise ValidationError({"key": "This partnership already has a KPI of this key: "
                                      "revise it to change its terms."})


@transaction.atomic
def kpi_definition_create(*, actor: User, partnership: Partnership, **fields
                          ) -> KPIDefinition:
    """A lead drafts a new KPI (version 1 of its key)."""
    require(actor, "metrics.kpidefinition_create", partnership)
    key = slugify(fields.get("key") or fields.get("name") or "")[:60]
    if not key:
        raise ValidationError({"key": "Give the KPI a key (a short name for its series)."})
    _check_key_free(partnership, key)
    return shared_record_create(KPIDefinition, ("key", *TERMS), actor=actor,
                                partnership=partnership, fields={**fields, "key": key},
                                rule="metrics.kpidefinition_create")


@transaction.atomic
def kpi_definitions_adopt(*, actor: User, partnership: Partnership, keys
                          ) -> list[KPIDefinition]:
    """Drafts of the standard definitions `keys` (library.STANDARD) this partnership does
    not have yet; the others are left as they are."""
    require(actor, "metrics.kpidefinition_create", partnership)
    unknown = [key for key in keys if key not in library.BY_KEY]
    if unknown or not keys:
        raise ValidationError({"keys": "Choose standard KPIs from the library."})
    taken = set(KPIDefinition.objects.filter(partnership=partnership, key__in=keys)
                .values_list("key", flat=True))
    return [shared_record_create(KPIDefinition, ("key", *TERMS), actor=actor,
                                 partnership=partnership,
                                 fields=library.terms_of(library.BY_KEY[key]),
                                 rule="metrics.kpidefinition_create")
            for key in keys if key not in taken]


@transaction.atomic
def kpi_definition_update(*, actor: User, definition: KPIDefinition, **fields
                          ) -> KPIDefinition:
    """A lead corrects the terms of a draft (its key and version stay)."""
    definition = locked(definition, "partnership")
    require(actor, "metrics.kpidefinition_edit", definition)
    return shared_record_update(definition, TERMS, actor=actor, fields=fields,
                                rule="metrics.kpidefinition_edit")


@transaction.atomic
def kpi_definition_step(*, actor: User, definition: KPIDefinition, step: str,
                        reason: str = "") -> KPIDefinition:
    """Submit a draft for sign-off, send it back to draft, or retire a definition. A
    definition already signed (or agreed) changes only with the actor's reason."""
    require(actor, "metrics.kpidefinition_step", definition)
    row = locked(definition, "partnership")
    row.check_step(step)
    reason = (reason or "").strip()
    if needs_reason(row) and not reason:
        raise ValidationError({"reason": "This definition is signed or agreed: say why."})
    target = KPIDefinition.STEPS[step][1]
    with recording(reason=reason) if reason else transaction.atomic():
        row = transition(row, target, guard=lambda current, status: current.check_step(step),
                         clean=True)
    if step == "submit":
        tell(row, kind="kpi_definition", party=None, actor=actor,
             title=f"KPI definition to sign off: {row}",
             body="Both parties' leads sign it off; it is agreed once both have.")
    return row


@transaction.atomic
def kpi_definition_revise(*, actor: User, definition: KPIDefinition) -> KPIDefinition:
    """Version n+1 of an agreed definition, as a draft copy of its terms; the agreed
    version stays in force until the new one is agreed."""
    definition = locked(definition, "partnership")
    require(actor, "metrics.kpidefinition_revise", definition)
    if KPIDefinition.objects.filter(
            partnership=definition.partnership, key=definition.key,
            status__in=(KPIDefinition.Status.DRAFT, KPIDefinition.Status.AWAITING_SIGNOFF)
    ).exists():
        raise ValidationError({"status": "A revision of this KPI is already open."})
    latest = KPIDefinition.objects.filter(partnership=definition.partnership,
                                          key=definition.key).order_by("-version").first()
    revision = KPIDefinition(
        partnership=definition.partnership, author_organization_id=actor.organization_id,
        created_by=actor, key=definition.key, version=latest.version + 1,
        supersedes=definition, **{name: getattr(definition, name) for name in TERMS})
    revision.full_clean()
    revision.save()
    return revision


# Run by partnership.signatures.services.sign, in the signer's transaction, once the leads
# of both parties have signed the definition's current content (SIGNATURES' `complete`).
def kpi_definition_agree(*, actor: User, record: KPIDefinition) -> KPIDefinition:
    """The definition comes into force; the version it revises is superseded."""
    if record.status != KPIDefinition.Status.AWAITING_SIGNOFF:
        return record
    previous = KPIDefinition.objects.filter(
        partnership=record.partnership, key=record.key,
        status=KPIDefinition.Status.AGREED).exclude(pk=record.pk).first()
    if previous is not None:
        with recording(reason=SUPERSEDED_REASON.format(version=record.version)):
            transition(previous, KPIDefinition.Status.SUPERSEDED)
    with recording(reason=AGREED_REASON):
        agreed = transition(record, KPIDefinition.Status.AGREED, clean=True)
    tell(agreed, kind="kpi_definition", party=None, actor=actor,
         title=f"KPI definition agreed: {agreed}")
    return agreed
