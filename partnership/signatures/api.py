"""API of signatures: the read-only `signatures` resource, the `signatures` field every
signed record's serializer shows, and the `sign` action its viewset takes."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from partnership.scoping_views import ScopedViewSet
from partnership.signatures import selectors
from partnership.signatures.models import Signature
from partnership.signatures.services import sign
from portal.serializers import ScopedModelSerializer


class SignatureSerializer(ScopedModelSerializer):
    record_type = serializers.CharField(source="content_type.model", read_only=True)
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    event_label = serializers.CharField(read_only=True)
    meaning_label = serializers.CharField(read_only=True)
    valid = serializers.BooleanField(read_only=True, allow_null=True, help_text=(
        "Whether the record's content still hashes as it did when signed (null where the "
        "list does not compute it: read the record)."))

    class Meta:
        model = Signature
        fields = ["id", "partnership", "record_type", "record_id", "event", "event_label",
                  "meaning", "meaning_label", "signer", "printed_name", "party",
                  "organization_name", "signed_at", "content_hash", "valid"]
        read_only_fields = fields


class SignatureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Signatures of the records you see (read-only: a signature is never changed). Sign a
    record through its own resource: POST .../<id>/sign/."""

    model = Signature
    selector = selectors.signature_list
    serializer_class = SignatureSerializer
    filterset_fields = ["event", "party"]

    def get_serializer(self, *args, **kwargs):
        """Each signature with `valid`, computed from its record (visible, since the
        signature is visible only with it), a few queries per page."""
        if args and args[0] is not None:
            rows = list(args[0]) if isinstance(args[0], list | tuple) else [args[0]]
            for content_type in {row.content_type for row in rows}:
                ids = {row.object_id for row in rows if row.content_type == content_type}
                records = content_type.model_class()._default_manager.filter(pk__in=ids)
                found = selectors.signatures_for(list(records))
                valid = {signature.pk: signature.valid for signatures in found.values()
                         for signature in signatures}
                for row in rows:
                    if row.content_type == content_type:
                        row.valid = valid.get(row.pk)
        return super().get_serializer(*args, **kwargs)


@extend_schema_field(SignatureSerializer(many=True))
class SignaturesField(serializers.Field):
    """The record's signatures with their validity; a list of records has them read at once
    (selectors.signatures_for)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, record):
        many = getattr(self.parent, "parent", None)
        if isinstance(many, serializers.ListSerializer) and many.instance is not None:
            cache = self.context.setdefault("_signatures", {})
            if record.pk not in cache:
                cache.update(selectors.signatures_for(list(many.instance)))
            rows = cache.get(record.pk, [])
        else:
            rows = selectors.signatures_of(record)
        return SignatureSerializer(rows, many=True, context=self.context).data


class SignRequestSerializer(serializers.Serializer):
    event = serializers.CharField(required=False, help_text="The signed event; the record's "
                                                            "only one when left out.")
    meaning = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_code = serializers.CharField(required=False, allow_blank=True,
                                     help_text="Required when you use two-factor "
                                               "authentication.")


class SignActionMixin:
    """POST .../<id>/sign/ {event, meaning, password, otp_code}: sign the record. A wrong
    password or code is a 400 field error and signs nothing."""

    @extend_schema(request=SignRequestSerializer, responses=SignatureSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        record = self.get_object()  # first: a foreign id answers 404, whatever the body
        data = SignRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        events = list(type(record).SIGNATURES)
        event = data.validated_data.get("event") or (events[0] if len(events) == 1 else "")
        signature = sign(actor=request.user, record=record, event=event,
                         meaning=data.validated_data["meaning"],
                         password=data.validated_data["password"],
                         otp_code=data.validated_data.get("otp_code") or None)
        signature.valid = True
        return Response(SignatureSerializer(signature, context={"request": request}).data,
                        status=201)


routes = [("signatures", SignatureViewSet, "signature")]
