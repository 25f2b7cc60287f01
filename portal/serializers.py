"""Serializer fields every app's API uses."""

from rest_framework import serializers

from portal.tenancy import visible


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """An id in a request body, looked up only among what the caller may see (DESIGN §2):
    a foreign id gets the same 'does not exist' answer as a missing one."""

    def __init__(self, model, filters: dict | None = None, **kwargs):
        self.scoped_model, self.filters = model, filters or {}
        super().__init__(**kwargs)

    def get_queryset(self):
        return visible(self.scoped_model, self.context["request"].user).filter(**self.filters)
