"""Read-only admin of the discussions, for operators."""

from django.contrib import admin

from partnership.discussion.models import Attachment, Comment
from portal.admin import ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["id", "partnership", "record_type", "record_id", "created_by", "created_at",
                    "is_internal", "withdrawn_at"]
    list_filter = ["record_type", "is_internal", ("withdrawn_at", admin.EmptyFieldListFilter)]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "partnership", "comment", "name", "size", "sha256", "uploaded_at"]
    # Not the file itself: it has no URL, only its record's scoped download view serves it.
    fields = readonly_fields = ["partnership", "comment", "name", "size", "content_type",
                                "sha256", "uploaded_at"]
