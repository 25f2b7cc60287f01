"""API resource of the load across an organization's partnerships: `partnership-load`, one
row per partnership of the caller's organization (for its admins; an empty list for anyone
else), read-only, paged like every list."""

from rest_framework import mixins, serializers
from rest_framework.response import Response

from governance.workload import selectors
from partnership.models import Partnership
from partnership.scoping_views import ScopedViewSet


class PartnershipLoadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="The partnership's id.")
    partnership = serializers.CharField(help_text="The partnership's name.")
    requests_received = serializers.IntegerField(
        help_text="Open requests the caller's party received.")
    requests_sent = serializers.IntegerField(help_text="Open requests the caller's party sent.")
    overdue_requests_received = serializers.IntegerField(
        help_text="Of those received, the ones the caller's party is late with.")
    overdue_requests_sent = serializers.IntegerField(
        help_text="Of those sent, the ones the other party is late with.")
    overdue_actions = serializers.IntegerField(help_text="Open actions past their due date.")


class PartnershipLoadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """For organization admins: open requests each way and overdue items, per partnership
    of your organization. Records the other party keeps internal are not counted."""

    model = Partnership
    selector = selectors.load_partnerships
    serializer_class = PartnershipLoadSerializer

    @classmethod
    def get_extra_actions(cls):
        """No history: these rows are figures (the partnership's own history is on its
        resource)."""
        return [extra for extra in super().get_extra_actions() if extra.__name__ != "history"]

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        loads = selectors.partnership_load(user=request.user, partnerships=page)
        return self.get_paginated_response(self.get_serializer(loads, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        load, = selectors.partnership_load(user=request.user, partnerships=[self.get_object()])
        return Response(self.get_serializer(load).data)


routes = [("partnership-load", PartnershipLoadViewSet, "partnershipload")]
