"""Writes of a record's discussion: a comment (with its mentions and a file) is posted in
one transaction, the people it mentions told through their notification settings."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.discussion import kinds
from partnership.discussion.models import Attachment, Comment
from partnership.discussion.selectors import mention_candidates
from partnership.notifications.services import notify
from partnership.parties.models import User
from partnership.permissions import require

#: The writer rule (partnership.permissions): viewers and steering members read the
#: discussion; those who work on the records write in it.
WRITE = "partnership.partnership_write"
MENTION_ERROR = ("Mention only people seated in this partnership who can see this record "
                 "(for an internal comment, people of your own party).")


def comment_post(*, actor: User, record, body: str = "", mentions=(), is_internal: bool = False,
                 file=None) -> Comment:
    """Post a comment on `record` (which the caller read through its visible_to), with an
    optional file; each person mentioned must be one `mention_candidates` offers."""
    partnership = record.partnership
    require(actor, WRITE, partnership)
    body = (body or "").strip()
    if not body and file is None:
        raise ValidationError({"body": "Write a comment or attach a file."})
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
        if file is not None:
            attachment = Attachment(partnership=partnership, comment=comment)
            attachment.take(file)
            attachment.full_clean()
            attachment.save()
        if mentioned:
            notify(recipients=User.objects.filter(pk__in=mentioned), kind="mentioned",
                   partnership=partnership, actor=actor, record=record,
                   title=f"{actor.get_full_name() or actor.email} mentioned you on “{record}”"
                         + (" (internal)" if is_internal else ""),
                   body=body[:1000], url=f"{record.get_absolute_url()}#discussion")
    return comment
