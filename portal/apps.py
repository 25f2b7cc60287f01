"""The portal app: plumbing only. Its ready() loads each topic's admin and jobs."""

import pkgutil
from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import module_has_submodule

#: The modules Django's admin and Celery look for at an app's top level only.
DISCOVERED = ("admin", "tasks")


def topic_packages() -> list[str]:
    """The topic packages of the project's apps (`governance.requests`, …): one level below
    the app, where Django's admin autodiscovery and Celery's task discovery do not look."""
    return [f"{config.name}.{module.name}" for config in apps.get_app_configs()
            if config.name in settings.LOCKSTEP_APPS
            for module in pkgutil.iter_modules([config.path]) if module.ispkg]


def load_topic_modules() -> None:
    """Import each topic's admin and tasks modules, so its models are in the admin and its
    jobs registered (by their dotted names, which CELERY_BEAT_SCHEDULE uses) in every
    process: web, worker and beat all run Django's setup, hence this."""
    for name in topic_packages():
        package = import_module(name)
        for module in DISCOVERED:
            if module_has_submodule(package, module):
                import_module(f"{name}.{module}")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import SessionMiddleware
        from portal.validation import bound_model_texts, check_date_fields

        user_logged_in.connect(SessionMiddleware.logged_in, dispatch_uid="session_saved_at")
        checks.register(check_date_fields, checks.Tags.models)
        bound_model_texts()
        load_topic_modules()
