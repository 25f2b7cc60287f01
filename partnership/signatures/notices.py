"""Who is told about signatures, through notify() (so its scoping rules hold):

- once one party has signed an event that each party signs, the people of the parties still
  to sign who may sign it (a contract's other lead: "your signature is awaited");
- once the event is complete, everyone of the signing parties who may sign it, and the
  partnership's leads (a contract executed, a deliverable accepted, minutes approved), but
  not those the event's completing service has told already (a KPI value published);
- when a change of a record leaves a signature of it no longer valid for its content, the
  people who signed it and those who may sign it again (whatever door changed it: a save of
  a signed model is watched, see `watch`).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from partnership.history.context import current_reason, current_user_id
from partnership.notifications.models import Notification
from partnership.notifications.services import notify
from partnership.parties.models import Membership, User
from partnership.signatures import PARTY_WORDS
from partnership.signatures.declarations import content_hash, declaration, signed_models
from partnership.signatures.models import Signature

#: The kinds of notification signing sends, with their labels and places on the settings page.
NOTIFICATION_KINDS = [
    ("signature_awaited", "A record awaits my party's signature", 172),
    ("signature_complete",
     "A record is signed by everyone who signs it (a contract executed, minutes approved)", 174),
    ("signature_invalidated", "A record I signed or sign changes after signing", 176),
]


def _signers(record, event: str, parties) -> list[User]:
    """The people of `parties` seated in the record's partnership in a role that signs."""
    roles = declaration(record, event).roles
    people = []
    for party in parties:
        people += list(record.partnership.seated_people(party=party, roles=roles))
    return people


def _title(record) -> str:
    return str(record)[:200]


def signed(*, actor: User, record, event: str, complete: bool,
           since: datetime.datetime) -> None:
    """After `actor` signed `event` of `record` at `since` (in the signer's transaction).
    Whom the event's completing service told about the record since then (a KPI value's
    "published") is not told of the completion a second time."""
    signed_as = declaration(record, event)
    url = record.get_absolute_url()
    about_it = Notification.objects.filter(
        record_type=ContentType.objects.get_for_model(type(record)), record_id=record.pk)
    # The signer has done what "your signature is awaited" asked: it is read.
    about_it.filter(recipient=actor, kind="signature_awaited", read_at__isnull=True).update(
        read_at=timezone.now())
    if complete:
        told = set(about_it.filter(created_at__gte=since).values_list("recipient", flat=True))
        leads = record.partnership.seated_people(roles=(Membership.Role.LEAD,))
        notify(recipients=[person for person in
                           [*_signers(record, event, signed_as.parties(record)), *leads]
                           if person.pk not in told],
               kind="signature_complete", partnership=record.partnership, actor=actor,
               record=record, url=url,
               title=f"{signed_as.label}: {_title(record)}",
               body="Signed by everyone who signs it, for its current content.")
        return
    if not signed_as.all_parties:
        return
    done = set(Signature.objects.of(record).filter(
        event=event, content_hash=content_hash(record, event)).values_list("party", flat=True))
    awaiting = [party for party in signed_as.parties(record) if party not in done]
    notify(recipients=_signers(record, event, awaiting), kind="signature_awaited",
           partnership=record.partnership, actor=actor, record=record, url=url,
           title=f"Your signature is awaited: {signed_as.label.lower()}, {_title(record)}",
           body=f"{actor.get_full_name() or actor.email} signed for "
                f"{PARTY_WORDS[record.partnership.party_of(actor)]}.")


def _valid_before(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: the events whose signatures match the record's saved content."""
    instance._signed_valid_before = {}
    if raw or instance._state.adding or instance.pk is None:
        return
    signatures = list(Signature.objects.of(instance).values_list("event", "content_hash"))
    if not signatures:
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    if before is None:
        return
    for event in {event for event, _ in signatures}:
        saved = content_hash(before, event)
        if (event, saved) in signatures:
            instance._signed_valid_before[event] = saved


def _tell_if_invalidated(sender, instance, raw=False, created=False, **kwargs) -> None:
    """post_save: tell the signers when their signatures no longer match the content."""
    valid_before = getattr(instance, "_signed_valid_before", None) or {}
    instance._signed_valid_before = {}
    for event, saved in valid_before.items():
        if content_hash(instance, event) == saved:
            continue
        signed_as = declaration(instance, event)
        signer_ids = Signature.objects.of(instance).filter(
            event=event, content_hash=saved).values_list("signer_id", flat=True)
        user_id = current_user_id()
        actor = User.objects.filter(pk=user_id).first() if user_id else None
        reason = current_reason()
        notify(recipients=[*User.objects.filter(pk__in=list(signer_ids)),
                           *_signers(instance, event, signed_as.parties(instance))],
               kind="signature_invalidated", partnership=instance.partnership, actor=actor,
               record=instance, url=instance.get_absolute_url(),
               title=f"Changed after signing: {_title(instance)}",
               body=f"The signatures ({signed_as.label.lower()}) no longer match its content"
                    + (f". Reason given: {reason}" if reason else "."))


def watch() -> None:
    """From PartnershipConfig.ready(): watch the saves of every model that declares
    SIGNATURES."""
    for model in signed_models():
        label = model._meta.label
        pre_save.connect(_valid_before, sender=model, weak=False,
                         dispatch_uid=f"signed-valid-before-{label}")
        post_save.connect(_tell_if_invalidated, sender=model, weak=False,
                          dispatch_uid=f"signed-invalidated-{label}")
