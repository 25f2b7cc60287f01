"""API plumbing: the router every app registers on, and one exception handler."""

from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """A service's Django ValidationError becomes a 400 with field errors, never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


def build_router() -> DefaultRouter:
    """Each app's api.py lists its `routes`; the DefaultRouter root lists them all."""
    router = DefaultRouter()
    for name in (f"{app}.api" for app in settings.LOCKSTEP_APPS):
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for prefix, viewset, basename in module.routes:
            router.register(prefix, viewset, basename=basename)
    return router


router = build_router()
