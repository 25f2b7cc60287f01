"""Reads of a record's discussion, each starting from the scoping rule: the record through
its own `visible_to`, the comments and files through theirs (which ask the record's too)."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from partnership.discussion import kinds
from partnership.discussion.models import Attachment, Comment
from partnership.parties.models import Partnership
from partnership.scoping import is_shared


def discussed_record_get(*, user, partnership: Partnership, record_type: str, pk: int):
    """The record whose discussion is asked for, as its own pages read it: 404 for a kind
    without a discussion, a record of another partnership or one the user may not see."""
    from django.http import Http404

    record = kinds.model_of(record_type).objects.visible_to(user).filter(
        partnership=partnership, pk=pk).select_related("partnership").first()
    if record is None:
        raise Http404
    return record


def comment_list(*, user, partnership: int | Partnership | None = None,
                 record=None) -> QuerySet:
    """The comments the user sees, newest first, with their author, mentions and files."""
    record_type = kinds.record_type_of(record) if record is not None else None
    rows = Comment.objects.visible_to(user, record_type)
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    if record is not None:
        rows = rows.filter(partnership=record.partnership_id, record_id=record.pk)
    return rows.select_related("created_by", "author_organization",
                               "withdrawn_by").prefetch_related(
        "mentions", "attachments")


def thread_version(*, user, partnership: int | Partnership, record_type: str,
                   pk: int) -> str | None:
    """The version of a record's thread as `user` sees it, in one query: the newest comment
    they see, how many they see and how many of those are withdrawn (None when they do not
    see the record). Built only from the comments `visible_to` gives them: another party's
    internal comment changes nothing."""
    model = kinds.model_of(record_type)
    seen = Comment.objects.visible_to(user, record_type).filter(
        partnership=OuterRef("partnership_id"), record_id=OuterRef("pk")).order_by()
    row = model.objects.visible_to(user).filter(partnership=partnership, pk=pk).annotate(
        newest=Subquery(seen.order_by("-pk").values("pk")[:1]),
        seen=Subquery(seen.values("record_id").annotate(n=Count("pk")).values("n")[:1]),
        withdrawn=Subquery(seen.filter(withdrawn_at__isnull=False).values("record_id")
                           .annotate(n=Count("pk")).values("n")[:1]),
    ).values_list("newest", "seen", "withdrawn").first()
    if row is None:
        return None
    return ":".join(str(value or 0) for value in row)


def attachment_list(*, user, partnership: int | Partnership | None = None,
                    record=None) -> QuerySet:
    """The files the user sees, newest first: of comments still standing (a withdrawn
    comment's files are kept, never shown nor served)."""
    rows = Attachment.objects.visible_to(user).not_withdrawn()
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    if record is not None:
        rows = rows.filter(comment__record_type=kinds.record_type_of(record),
                           comment__record_id=record.pk, partnership=record.partnership_id)
    return rows.select_related("comment__created_by", "comment__author_organization")


def mention_candidates(*, record, organization_id: int, internal: bool) -> QuerySet:
    """Whom a comment on `record` by someone of `organization_id` may mention: people seated
    in the record's partnership who see the record, of the author's own party when the
    comment is internal (or the record is internal to that party)."""
    partnership = record.partnership
    people = partnership.seated_people().filter(is_active=True)
    if internal or not is_shared(record):
        people = people.filter(organization_id=organization_id)
    else:
        people = people.filter(organization_id__in=(partnership.sponsor_id,
                                                    partnership.cdmo_id))
    return people.select_related("organization").order_by("first_name", "last_name", "pk")


