"""Writes of batches: the CDMO records a lot and corrects it until it is reviewed, attaches
its certificate of analysis, and reviews its batch record; the sponsor reviews it next and
disposes of it under its QA lead's e-signature (partnership.signatures runs batch_dispose)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.quality.batches.models import Batch, CertificateOfAnalysis
from governance.quality.services import qa_leads
from partnership.history.context import recording
from partnership.models import Partnership, User
from partnership.notifications.services import notify
from partnership.permissions import require
from partnership.records import shared_record_create, shared_record_update
from portal.locking import locked
from portal.workflow import transition

BATCH_FIELDS = ("program", "site", "lot_number", "stage", "manufactured_on")
#: The reason a lot's disposition is recorded with (a signed record changes only with one).
DISPOSITION_REASON = "Disposition of the lot, signed by the sponsor: {label}."


def _tell(batch: Batch, *, actor: User, party: str, title: str, body: str = "",
          kind: str = "batch_review") -> None:
    """The QA leads of `party` (its leads where it seats none); never the actor."""
    notify(recipients=list(qa_leads(batch.partnership, party)), kind=kind,
           partnership=batch.partnership, title=title, url=batch.get_absolute_url(),
           body=body, actor=actor, record=batch)


def _clean_lot(fields: dict) -> dict:
    if "lot_number" in fields:
        fields["lot_number"] = (fields["lot_number"] or "").strip()
    return fields


def _check_unique_lot(partnership: Partnership, lot_number: str | None, pk=None) -> None:
    """A friendlier word than the constraint's for a lot number already recorded here."""
    if lot_number and Batch.objects.filter(partnership=partnership,
                                           lot_number__iexact=lot_number).exclude(
            pk=pk).exists():
        raise ValidationError({"lot_number": "This lot number is already recorded in this "
                                             "partnership."})


@transaction.atomic
def batch_record(*, actor: User, partnership: Partnership, **fields) -> Batch:
    """The CDMO records a lot it made or tested; its QA lead reviews the batch record next
    and is told so."""
    require(actor, "governance.batch_record", partnership)
    fields = _clean_lot(fields)
    _check_unique_lot(partnership, fields.get("lot_number"))
    batch = shared_record_create(Batch, BATCH_FIELDS, actor=actor, partnership=partnership,
                                 fields=fields, rule="governance.batch_record")
    _tell(batch, actor=actor, party="cdmo", title=f"{batch} to review: batch record",
          body=f"{batch.program} · {batch.get_stage_display()} · {batch.site.name}, made "
               f"{batch.manufactured_on:%d %b %Y}.")
    return batch


@transaction.atomic
def batch_update(*, actor: User, batch: Batch, **fields) -> Batch:
    """The CDMO corrects a lot's particulars until its batch record is reviewed."""
    batch = locked(batch, "partnership")
    require(actor, "governance.batch_edit", batch)
    fields = _clean_lot(fields)
    _check_unique_lot(batch.partnership, fields.get("lot_number"), pk=batch.pk)
    return shared_record_update(batch, BATCH_FIELDS, actor=actor, fields=fields,
                                rule="governance.batch_edit")


def _review(*, actor: User, batch: Batch, step: str, note: str, prefix: str) -> Batch:
    require(actor, "governance.batch_review", batch)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the review covered and what it found."})
    now = timezone.now()
    batch = transition(batch, Batch.STEPS[step][1],
                       guard=lambda row, status: row.check_step(step, actor),
                       changes=lambda row, status: {f"{prefix}_review_note": note,
                                                    f"{prefix}_reviewed_by": actor,
                                                    f"{prefix}_reviewed_at": now},
                       clean=True)
    return batch


@transaction.atomic
def batch_cdmo_review(*, actor: User, batch: Batch, note: str) -> Batch:
    """The CDMO's QA lead (its lead, where it seats none) has reviewed the batch record; the
    sponsor's QA leads review it next."""
    batch = _review(actor=actor, batch=batch, step="cdmo_review", note=note, prefix="cdmo")
    _tell(batch, actor=actor, party="sponsor", title=f"{batch} to review: batch record "
                                                     f"reviewed by the CDMO", body=note)
    return batch


@transaction.atomic
def batch_sponsor_review(*, actor: User, batch: Batch, note: str) -> Batch:
    """The sponsor's QA lead (its lead, where it seats none) has reviewed the batch record;
    the lot awaits the sponsor's disposition, which the same people sign."""
    batch = _review(actor=actor, batch=batch, step="sponsor_review", note=note,
                    prefix="sponsor")
    waiting = "" if batch.certificates.exists() else \
        " Its certificate of analysis is not attached yet: the CDMO attaches it."
    _tell(batch, actor=actor, party="sponsor", kind="batch_disposition",
          title=f"{batch} awaits disposition", body=f"{note}{waiting}")
    if waiting:
        _tell(batch, actor=actor, party="cdmo", title=f"{batch}: attach the certificate of "
                                                      "analysis", body=waiting.strip())
    return batch


#: The review steps by name, for the pages and the API.
BATCH_STEPS = {"cdmo_review": batch_cdmo_review, "sponsor_review": batch_sponsor_review}


@transaction.atomic
def batch_certificate_attach(*, actor: User, batch: Batch, file) -> CertificateOfAnalysis:
    """The CDMO attaches a lot's certificate of analysis (a PDF), until the lot is released
    or rejected; a revised one is attached beside the first."""
    batch = locked(batch, "partnership")
    require(actor, "governance.batch_certificate_attach", batch)
    certificate = CertificateOfAnalysis(partnership=batch.partnership, batch=batch,
                                        uploaded_by=actor)
    certificate.take(file)
    certificate.full_clean()
    certificate.save()
    if batch.status in Batch.DISPOSABLE:
        _tell(batch, actor=actor, party="sponsor", kind="batch_disposition",
              title=f"{batch}: certificate of analysis attached", body=certificate.name)
    return certificate


def _dispose(*, actor: User, record: Batch, event: str) -> Batch:
    """The disposition `event` its signer signed: the lot moves on, the CDMO is told."""
    sources, target = Batch.DISPOSITIONS[event]
    if record.status not in sources:
        return record
    now = timezone.now()
    with recording(reason=DISPOSITION_REASON.format(label=Batch.SIGNATURES[event].label)):
        batch = transition(record, target, clean=True, changes=lambda row, status: {
            "disposed_by": actor, "disposed_at": now,
            **({"quarantined_at": row.quarantined_at or now}
               if target == Batch.Status.QUARANTINED else {})})
    _tell(batch, actor=actor, party="cdmo", kind="batch_disposition",
          title=f"{batch} {batch.get_status_display().lower()} by the sponsor",
          body=f"{batch.program or 'No program'} · {batch.get_stage_display()} · "
               f"{batch.site.name}.")
    return batch


# Run by partnership.signatures.services.sign, in the signer's transaction, once the
# sponsor's QA lead has signed the disposition (Batch.SIGNATURES' `complete`).
def batch_release(*, actor: User, record: Batch) -> Batch:
    return _dispose(actor=actor, record=record, event="released")


def batch_reject(*, actor: User, record: Batch) -> Batch:
    return _dispose(actor=actor, record=record, event="rejected")


def batch_quarantine(*, actor: User, record: Batch) -> Batch:
    return _dispose(actor=actor, record=record, event="quarantined")
