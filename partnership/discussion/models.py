"""Comments on a record and the files posted with them.

A comment belongs to its record's partnership and names its record by kind and id
(partnership.discussion.kinds). Who sees it is the scoping rule twice over: the comment's
own (its partnership, and its internal flag: an internal comment is its author's party's
only) and its record's (whoever cannot see the record cannot see its discussion). A file is
part of its comment: seen exactly when the comment is.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from partnership.discussion import kinds
from partnership.parties.models import Partnership
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from portal.files import StoredFile
from portal.validation import validate_date_in_range

BODY_MAX_LENGTH = 5000
WITHDRAWAL_REASON_MAX_LENGTH = 500
#: How many files one comment may carry.
MAX_FILES = 5


class CommentQuerySet(SharedQuerySet):
    def visible_to(self, user, record_type: str | None = None) -> "CommentQuerySet":
        """The comments the user sees whose record they see too (of `record_type` only,
        when given: a thread's page asks for one kind)."""
        rows = super().visible_to(user)
        if not user.is_authenticated:
            return rows
        return rows.filter(kinds.seen_records(user, record_type))


class Comment(SharedRecord):
    """One message in a record's discussion; `mentions` are the people it tells."""

    record_type = models.CharField(max_length=40, editable=False)
    record_id = models.PositiveBigIntegerField(editable=False)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Withdrawn by its author (services.comment_withdraw): nothing is deleted (GMP), the
    # comment stays in its thread as a stub, its body and files no longer shown or served.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+", editable=False)
    withdrawal_reason = models.TextField(max_length=WITHDRAWAL_REASON_MAX_LENGTH, blank=True,
                                         editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "record_type", "record_id",
                                        "-created_at"], name="comment_record_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.created_by or 'someone'} on {self.record_type} {self.record_id}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:record_discussion",
                       args=[self.partnership_id, self.record_type, self.record_id])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def attachment_path(attachment, filename: str) -> str:
    return f"discussion/{attachment.partnership_id}/{attachment.comment_id}/{filename}"


class AttachmentQuerySet(SharedQuerySet):
    def visible_to(self, user) -> "AttachmentQuerySet":
        """The files of the comments the user sees (and so of records they see)."""
        rows = super().visible_to(user)
        if not user.is_authenticated:
            return rows
        return rows.filter(comment__in=Comment.objects.visible_to(user).values("pk"))

    def not_withdrawn(self) -> "AttachmentQuerySet":
        """The files of comments still standing: a withdrawn comment's are kept, not served."""
        return self.filter(comment__withdrawn_at__isnull=True)


class Attachment(PartnershipChild, StoredFile):
    """A file posted with a comment: checked by its content and size, kept with its SHA-256
    in private storage (never under a URL), served only by the scoped download view."""

    PARENT = "comment"
    INTERNAL_VIA = ("comment",)
    MADE_BY = ("comment__author_organization",)
    ALLOWED_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "csv", "png", "jpg")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:attachment_download", args=[self.partnership_id, self.pk])
