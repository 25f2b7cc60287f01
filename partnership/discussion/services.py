"""Writes of a record's discussion: a comment (with its mentions and files) is posted in
one transaction, the people it mentions told through their notification settings; its
author may withdraw it (kept, with who, when and why: nothing is deleted)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.discussion import kinds
from partnership.discussion.models import (
    MAX_FILES,
    WITHDRAWAL_REASON_MAX_LENGTH,
    Attachment,
    Comment,
)
from partnership.discussion.selectors import mention_candidates
from partnership.history.context import recording
from partnership.notifications.services import notifications_unquote, notify
from partnership.parties.models import User
from partnership.permissions import require

#: The writer rule (partnership.permissions): viewers and steering members read the
#: discussion; those who work on the records write in it.
WRITE = "partnership.partnership_write"
#: A comment's mentions are told in its own transaction, after its files are stored: their
#: notifications are made within this of it (how the withdrawal finds those that quote it;
#: generous, for five large files on a slow store).
MENTION_TOLD_WITHIN = datetime.timedelta(hours=1)
#: How much of a comment its mentions' notifications quote.
MENTION_QUOTED = 1000
MENTION_ERROR = ("Mention only people seated in this partnership who can see this record "
                 "(for an internal comment, people of your own party).")


def comment_post(*, actor: User, record, body: str = "", mentions=(), is_internal: bool = False,
                 file=None, files=()) -> Comment:
    """Post a comment on `record` (which the caller read through its visible_to), with up to
    MAX_FILES files (`file` is one more); each person mentioned must be one
    `mention_candidates` offers. A file refused (by its content or size) is a field error on
    `files` naming it, and nothing is kept."""
    partnership = record.partnership
    require(actor, WRITE, partnership)
    body = (body or "").strip()
    uploads = [upload for upload in (*(files or ()), file) if upload is not None]
    if not body and not uploads:
        raise ValidationError({"body": "Write a comment or attach a file."})
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": f"Attach at most {MAX_FILES} files to a comment."})
    mentioned = {person.pk for person in mentions}
    allowed = set(mention_candidates(record=record, organization_id=actor.organization_id,
                                     internal=is_internal)
                  .filter(pk__in=mentioned).values_list("pk", flat=True))
    if mentioned - allowed:
        raise ValidationError({"mentions": MENTION_ERROR})
    with transaction.atomic():
        comment = Comment(partnership=partnership, record_type=kinds.record_type_of(record),
                          record_id=record.pk, body=body, is_internal=is_internal,
                          author_organization_id=actor.organization_id, created_by=actor)
        comment.full_clean()
        comment.save()
        comment.mentions.set(mentioned)
        for upload in uploads:
            attachment = Attachment(partnership=partnership, comment=comment)
            try:
                attachment.take(upload)
                attachment.full_clean()
            except ValidationError as error:
                messages = [f"“{upload.name}”: {message}" for message in error.messages]
                raise ValidationError({"files": messages}) from error
            attachment.save()
        if mentioned:
            notify(recipients=User.objects.filter(pk__in=mentioned), kind="mentioned",
                   partnership=partnership, actor=actor, record=record,
                   title=f"{actor.get_full_name() or actor.email} mentioned you on “{record}”"
                         + (" (internal)" if is_internal else ""),
                   body=body[:MENTION_QUOTED], url=f"{record.get_absolute_url()}#discussion")
    return comment


def require_author(actor: User, comment: Comment) -> None:
    """PermissionDenied unless `actor` wrote `comment`: only its author withdraws it."""
    if comment.created_by_id != actor.pk:
        raise PermissionDenied("Only its author may withdraw a comment.")


def comment_withdraw(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Withdraw `comment` (read by the caller through its visible_to): its author only, while
    a writer of its partnership, with a reason. The comment stays in its thread, saying who
    withdrew it, when and why; its body and files are no longer shown nor served, and the
    change is in its history with the reason."""
    require(actor, WRITE, comment.partnership)
    require_author(actor, comment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you withdraw this comment."})
    if len(reason) > WITHDRAWAL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"At most {WITHDRAWAL_REASON_MAX_LENGTH} "
                                         "characters."})
    with transaction.atomic(), recording(reason=reason):
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError({"reason": "This comment is already withdrawn."})
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), actor
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason",
                                   "updated_at"])
        if locked.body:  # the mentions it made quoted it (comment_post's transaction)
            notifications_unquote(
                kind="mentioned", model=kinds.model_of(locked.record_type),
                record_id=locked.record_id, actor=locked.created_by,
                body=locked.body[:MENTION_QUOTED], since=locked.created_at,
                until=locked.created_at + MENTION_TOLD_WITHIN,
                note="This comment was withdrawn by its author.")
    return locked
