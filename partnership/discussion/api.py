"""API of the discussions: comments (read; posted: JSON, or multipart with `files`, up to
five; withdrawn by their author with a reason) and the files posted with them, each with its
scoped `download`."""

import json

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from partnership.discussion import kinds, selectors, services
from partnership.discussion.models import (
    MAX_FILES,
    WITHDRAWAL_REASON_MAX_LENGTH,
    Attachment,
    Comment,
)
from partnership.scoping_views import ScopedViewSet
from portal.filters import ScopedFilterSet
from portal.serializers import ScopedModelSerializer

#: What a download answers, by the kinds a discussion accepts (Attachment.ALLOWED_KINDS).
FILE_TYPES = (
    "application/pdf", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv",
    "image/png", "image/jpeg", "application/octet-stream")


class FileRenderer(BaseRenderer):
    """Any file (the action writes it itself); what reaches `render` is an error (404, 401
    …), said in JSON. A browser asking for HTML is answered 406, never a page around it."""

    media_type, format = "application/octet-stream", "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data).encode()


class RecordTypeField(serializers.ChoiceField):
    """A kind of record with a discussion, read from the registry when a serializer is made
    (apps register their kinds at start-up)."""

    def __init__(self, **kwargs):
        super().__init__(choices=sorted(kinds.models()), **kwargs)


class AttachmentSerializer(ScopedModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "partnership", "comment", "name", "size", "content_type", "sha256",
                  "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("attachment-download", args=[attachment.pk]))


class CommentSerializer(ScopedModelSerializer):
    record_type = RecordTypeField()
    record_id = serializers.IntegerField(min_value=1)
    author_name = serializers.CharField(source="created_by", read_only=True, default=None)
    attachments = AttachmentSerializer(many=True, read_only=True)
    file = serializers.FileField(write_only=True, required=False)
    files = serializers.ListField(child=serializers.FileField(), write_only=True,
                                  required=False, max_length=MAX_FILES)
    withdrawn_by_name = serializers.CharField(source="withdrawn_by", read_only=True,
                                              allow_null=True, default=None)

    class Meta:
        model = Comment
        fields = ["id", "partnership", "record_type", "record_id", "body", "mentions",
                  "is_internal", "author_organization", "created_by", "author_name",
                  "created_at", "attachments", "file", "files", "withdrawn_at",
                  "withdrawn_by", "withdrawn_by_name", "withdrawal_reason"]
        read_only_fields = ["partnership", "author_organization", "created_by", "created_at",
                            "withdrawn_at", "withdrawn_by", "withdrawal_reason"]
        extra_kwargs = {"mentions": {"required": False}}

    def to_representation(self, comment):
        """A withdrawn comment says who withdrew it, when and why: no longer what it said,
        whom it mentioned or its files."""
        data = super().to_representation(comment)
        if comment.withdrawn_at is not None:
            data.update(body="", mentions=[], attachments=[])
        return data

    def create(self, validated_data):
        user = self.context["request"].user
        model = kinds.models()[validated_data["record_type"]]
        record = model.objects.visible_to(user).filter(
            pk=validated_data["record_id"]).select_related("partnership").first()
        if record is None:
            raise serializers.ValidationError({"record_id": "No such record."})
        try:
            return services.comment_post(
                actor=user, record=record, body=validated_data.get("body", ""),
                mentions=validated_data.get("mentions", []),
                is_internal=validated_data.get("is_internal", False),
                file=validated_data.get("file"), files=validated_data.get("files", ()))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error


class CommentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=WITHDRAWAL_REASON_MAX_LENGTH)


class CommentFilter(ScopedFilterSet):
    record_type = django_filters.ChoiceFilter(choices=lambda: sorted(
        (name, name) for name in kinds.models()))
    record_id = django_filters.NumberFilter()

    class Meta:
        model = Comment
        fields = ["record_type", "record_id"]


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, ScopedViewSet):
    """Comments on the records you see, newest first; `?record_type=request&record_id=7`
    gives one record's discussion. POST {"record_type", "record_id", "body", "mentions",
    "is_internal"} (multipart with up to five `files`) posts a comment; the people
    mentioned are notified. Its author POSTs withdraw/ {"reason"}: the comment stays,
    withdrawn, without its body and files."""

    model = Comment
    selector = selectors.comment_list
    serializer_class = CommentSerializer
    filterset_class = CommentFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=CommentWithdrawSerializer, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw your own comment, with a reason (kept in its history): 403 for anyone
        else's."""
        comment = self.get_object()
        services.require(request.user, services.WRITE, comment.partnership)
        body = CommentWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comment = services.comment_withdraw(actor=request.user, comment=comment,
                                                reason=body.validated_data["reason"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return Response(self.get_serializer(self.read_again(comment)).data)


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Files posted in the discussions of the records you see; `download` gives the file
    (with a token as with a session)."""

    model = Attachment
    selector = selectors.attachment_list
    serializer_class = AttachmentSerializer
    filterset_fields = ["comment"]

    @extend_schema(responses={(200, media_type): bytes for media_type in FILE_TYPES})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def download(self, request, pk=None):
        """The file, as an attachment, checked against its SHA-256."""
        return self.get_object().download_response(request)


routes = [
    ("comments", CommentViewSet, "comment"),
    ("attachments", AttachmentViewSet, "attachment"),
]
