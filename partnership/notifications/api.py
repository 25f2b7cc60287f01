"""API resources of the bell: my notifications (mark one or all read) and my delivery
choice per kind. Like the pages, they see only the caller's own notifications of the
partnerships the caller still belongs to; anyone else's id answers 404."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partnership.notifications.models import Delivery, Notification, NotificationPreference
from partnership.notifications.selectors import (
    notification_list,
    notification_preference_list,
    upcoming_reminders,
)
from partnership.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)
from partnership.scoping_views import ScopedViewSet
from portal.filters import OrderingFilter, ScopedFilterSet
from portal.registries import notification_kinds
from portal.serializers import ScopedModelSerializer


class KindField(serializers.ChoiceField):
    """A registered kind of notification. Each serializer gets a copy of its declared fields,
    made by calling __init__ again, so the choices are the registry's as it is then, not as
    it was when this module was imported."""

    def __init__(self, **kwargs):
        super().__init__(choices=notification_kinds.choices(), **kwargs)


class NotificationSerializer(ScopedModelSerializer):
    kind = KindField(read_only=True)
    partnership_name = serializers.CharField(source="partnership", read_only=True)
    actor_name = serializers.CharField(source="actor", read_only=True, allow_null=True,
                                       default=None)

    class Meta:
        model = Notification
        fields = ["id", "partnership", "partnership_name", "kind", "title", "body", "url",
                  "actor", "actor_name", "event_at", "created_at", "read_at", "delivery"]
        read_only_fields = fields


class NotificationFilter(ScopedFilterSet):
    # The registered kinds, read when a request filters (apps register them at start-up).
    kind = django_filters.ChoiceFilter(choices=notification_kinds.choices)
    ordering = OrderingFilter(fields=(("created_at", "created_at"),))

    class Meta:
        model = Notification
        fields = ["kind"]


class ReminderSerializer(serializers.Serializer):
    """A reminder that will reach me: its kind, the record, when it goes and how."""

    id = serializers.SerializerMethodField(help_text="kind:record type:record id.")
    kind = KindField(read_only=True)
    label = serializers.CharField(read_only=True)
    record_type = serializers.SerializerMethodField()
    record_id = serializers.IntegerField(source="record.pk", read_only=True)
    record = serializers.CharField(read_only=True)
    url = serializers.CharField(source="record.get_absolute_url", read_only=True)
    partnership = serializers.IntegerField(source="partnership.pk", read_only=True)
    partnership_name = serializers.CharField(source="partnership", read_only=True)
    reminds_at = serializers.DateTimeField(read_only=True)
    about = serializers.SerializerMethodField(
        help_text="The moment (ISO 8601, UTC) or the date the reminder is about.")
    delivery = serializers.ChoiceField(choices=Delivery.choices, read_only=True)

    def get_id(self, item) -> str:
        return f"{item.kind}:{item.record._meta.model_name}:{item.record.pk}"

    def get_record_type(self, item) -> str:
        return item.record._meta.model_name

    def get_about(self, item) -> str:
        return item.about.isoformat()


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """My notifications, newest first; ?unread=true for the unread ones. POST …/read/ marks
    one read, POST read-all/ marks them all. GET upcoming/ lists the reminders to come in
    the next seven days (the Reminders page)."""

    model = Notification
    selector = notification_list
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.query_params.get("unread") in ("true", "1"):
            queryset = queryset.unread()
        return queryset

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(actor=request.user,
                                              notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(responses=ReminderSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], serializer_class=ReminderSerializer,
            filterset_class=None)
    def upcoming(self, request):
        """What will remind me in the next seven days, soonest first: read from the reminder
        jobs' own "who is due when", with the delivery I chose per kind."""
        page = self.paginate_queryset(upcoming_reminders(user=request.user))
        return self.get_paginated_response(ReminderSerializer(page, many=True).data)

    @extend_schema(request=None, responses=inline_serializer(
        "NotificationsReadAll", {"marked_read": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked_read": notification_mark_all_read(actor=request.user)})


class NotificationPreferenceSerializer(ScopedModelSerializer):
    kind = KindField()
    delivery = serializers.ChoiceField(choices=Delivery.choices)

    class Meta:
        model = NotificationPreference
        fields = ["id", "kind", "delivery"]


class NotificationPreferenceFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=notification_kinds.choices)

    class Meta:
        model = NotificationPreference
        fields = ["kind", "delivery"]


class NotificationPreferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    """My choices that differ from the default (immediately). POST {"kind", "delivery"}
    sets one kind; choosing "immediately" removes the row."""

    serializer_class = NotificationPreferenceSerializer
    filterset_class = NotificationPreferenceFilter
    queryset = NotificationPreference.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return notification_preference_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind, delivery = serializer.validated_data["kind"], serializer.validated_data["delivery"]
        notification_preferences_update(actor=request.user, choices={kind: delivery})
        row = self.get_queryset().filter(kind=kind).first()
        data = self.get_serializer(row).data if row else {"id": None, "kind": kind,
                                                          "delivery": delivery}
        return Response(data, status=201 if row else 200)


routes = [("notifications", NotificationViewSet, "notification"),
          ("notification-preferences", NotificationPreferenceViewSet,
           "notificationpreference")]
