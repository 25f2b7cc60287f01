"""The API's history of a record: `GET /api/v1/<resource>/<id>/history/` on every resource
whose records are audited (ScopedViewSet adds it), read through the resource's own selector,
so a record's history answers exactly when the record does."""

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from partnership.history import timeline
from partnership.history.sources import is_part
from portal.registries.audited import audited_models
from portal.validation import validate_date_in_range


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When, in UTC (whatever the reader's zone).",
                                   default_timezone=datetime.UTC,
                                   validators=[validate_date_in_range])
    action = serializers.ChoiceField(
        choices=["created", "changed", "deleted", "recorded as it stood"],
        help_text="“recorded as it stood”: the record as it was when the trail began.")
    person = serializers.CharField()
    door = serializers.CharField(help_text="page, api, admin, job, command (or database).")
    reason = serializers.CharField(allow_blank=True)
    changes = ChangeSerializer(many=True)
    part = serializers.CharField(
        allow_blank=True, help_text="The part of the record it changed (“Negotiation round "
                                    "3”), empty for the record itself.")


class EntryPageSerializer(serializers.Serializer):
    """A page of a record's history, paginated like the lists."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EntrySerializer(many=True)


def is_audited(model) -> bool:
    """Whether `model`'s records have a History of their own (a part's events show in its
    parent's: partnership.history.sources)."""
    return model is not None and model._meta.label in {
        entry.label for entry in audited_models()} and not is_part(model)


class HistoryActionMixin:
    """Adds the `history` action to viewsets of audited records."""

    @classmethod
    def get_extra_actions(cls):
        actions = super().get_extra_actions()
        if is_audited(getattr(cls, "model", None)):
            return actions
        return [extra for extra in actions if extra.__name__ != "history"]

    @extend_schema(responses=EntryPageSerializer, parameters=[
        OpenApiParameter("page", int, description="A page of the history.")])
    @action(detail=True, methods=["get"], serializer_class=EntrySerializer,
            filter_backends=[])
    def history(self, request, pk=None):
        """Every change of the record and of its parts (a contract's rounds, documents and
        signatures), newest first: who, when (UTC), door, reason, which part, and each
        field's old and new value; paginated like the lists."""
        record = self.get_object()
        if not is_audited(type(record)):
            from django.http import Http404
            raise Http404
        rows = self.paginate_queryset(timeline.record_timeline(record, request.user))
        entries = timeline.timeline_entries(record, rows, request.user)
        return self.get_paginated_response(EntrySerializer(entries, many=True).data)
