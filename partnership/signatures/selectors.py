"""Reads of signatures: a record's signatures with their validity for its current content,
what its page shows about each signed event, and many records' signatures at once."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce

from partnership.parties.models import Partnership, User
from partnership.permissions import can
from partnership.signatures.declarations import Signed, content_hash
from partnership.signatures.models import Signature, SignatureQuerySet
from partnership.signatures.services import is_complete, needs_otp, sign_rule


def signature_list(*, user: User, partnership: Partnership | int | None = None
                   ) -> SignatureQuerySet:
    """The signatures of the records the user sees (the API's signatures resource)."""
    signatures = Signature.objects.visible_to(user).select_related("content_type")
    if partnership is not None:
        signatures = signatures.filter(partnership=partnership)
    return signatures


def signature_count(model, event: str):
    """An annotation: how many parties have signed `event` of each row of `model` (however
    the content has changed since; the record's page says which are still valid)."""
    signatures = Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"),
        event=event).order_by().values("object_id").annotate(
        parties=Count("party", distinct=True)).values("parties")
    return Coalesce(Subquery(signatures, output_field=IntegerField()), 0)


def with_validity(record, signatures) -> list[Signature]:
    """`signatures` of `record`, each with `valid`: whether the record's content still hashes
    as it did when they signed (computed once per event)."""
    hashes: dict[str, str] = {}
    rows = list(signatures)
    for signature in rows:
        if signature.event not in hashes:
            hashes[signature.event] = content_hash(record, signature.event)
        signature.valid = signature.content_hash == hashes[signature.event]
    return rows


def signatures_of(record) -> list[Signature]:
    """The record's signatures, oldest first, each with `valid`. The caller has read the
    record through a selector: its signatures are as visible as it is."""
    return with_validity(record, Signature.objects.of(record).select_related("content_type"))


def signatures_for(records) -> dict[int, list[Signature]]:
    """{record id: its signatures with `valid`} for records of one kind, in two queries
    (their children of the signed content are prefetched): what an API list serializes."""
    records = [record for record in records if record is not None]
    if not records:
        return {}
    model = type(records[0])
    children = {name for signed in model.SIGNATURES.values() for name in signed.children}
    prefetch_related_objects(records, *children)
    found: dict[int, list[Signature]] = {record.pk: [] for record in records}
    for signature in Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(found)).select_related("content_type"):
        found[signature.object_id].append(signature)
    by_pk = {record.pk: record for record in records}
    return {pk: with_validity(by_pk[pk], rows) for pk, rows in found.items()}


@dataclass
class SignedEvent:
    """What a record's page shows of one signed event."""

    event: str
    signed: Signed
    signatures: list[Signature]
    complete: bool
    awaiting: list[str]
    can_sign: bool
    sign_url: str = ""
    needs_otp: bool = False
    meanings: list[tuple[str, str]] = field(default_factory=list)
    #: Why it cannot be signed now (the declaration's `ready`), shown beside the panel.
    not_ready: str | None = None

    @property
    def label(self) -> str:
        return self.signed.label

    @property
    def partly(self) -> bool:
        """Signed for the current content by some, not yet all, of the parties."""
        return not self.complete and any(s.valid for s in self.signatures)


def signing_panel(*, user: User, record, sign_url: str = "") -> list[SignedEvent]:
    """Each signed event of `record` with its signatures (and their validity), whether it is
    complete for the current content, which parties have still to sign, and whether the
    user may sign it now (its rule) at `sign_url`."""
    signatures = signatures_of(record)
    events = []
    otp = None
    for event, signed in type(record).SIGNATURES.items():
        rows = [s for s in signatures if s.event == event]
        current = content_hash(record, event)
        signed_parties = {s.party for s in rows if s.content_hash == current}
        may = can(user, sign_rule(record, event), record)
        if may and otp is None:
            otp = needs_otp(user)
        events.append(SignedEvent(
            event=event, signed=signed, signatures=rows,
            complete=is_complete(record, event, current_hash=current),
            awaiting=[party for party in signed.parties(record)
                      if party not in signed_parties] if signed.all_parties else [],
            can_sign=may, sign_url=sign_url, needs_otp=bool(otp),
            meanings=list(signed.meanings.items()), not_ready=signed.ready(record)))
    return events
