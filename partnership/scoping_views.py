"""The view mixins and the API base viewset that apply the scoping rule (partnership.scoping).

The rule itself is `Model.objects.visible_to(user)`. These are the only way pages and API
endpoints reach data: a foreign object and a missing one both give 404, and a partnership
the user cannot see gives 404 on every page below it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from rest_framework import viewsets

from partnership.parties.models import Partnership


class PartnershipMixin(LoginRequiredMixin):
    """For views under /p/<partnership_pk>/: sets self.partnership, or answers 404."""

    #: Views that change data set this; viewers and steering members get 403 there.
    requires_write = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_object_or_404(
            Partnership.objects.visible_to(request.user).select_related("sponsor", "cdmo"),
            pk=kwargs["partnership_pk"],
        )
        self.role = self.partnership.role_of(request.user)
        if self.requires_write and not self.partnership.can_write(request.user, role=self.role):
            raise PermissionDenied("Your role in this partnership is read-only.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnership"] = self.partnership
        context["role"] = self.role
        context["can_write"] = self.partnership.can_write(self.request.user, role=self.role)
        return context


class ScopedObjectMixin:
    """Single-object views: the object is looked up in the scoped queryset only."""

    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if hasattr(self, "partnership"):
            queryset = queryset.filter(partnership=self.partnership)
        return queryset

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: the queryset is the scoped one, so foreign ids answer 404."""

    model = None
    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        # ?partnership=<id> narrows a shared resource; it can only narrow, never widen.
        partnership = self.request.query_params.get("partnership", "")
        if partnership.isdigit() and hasattr(self.model, "partnership_id"):
            queryset = queryset.filter(partnership_id=partnership)
        return queryset
