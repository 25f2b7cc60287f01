"""The Celery app. Workers and beat read their configuration from Django settings (CELERY_*)."""

import os
import pkgutil

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("lockstep")
app.config_from_object("django.conf:settings", namespace="CELERY")


def topic_packages() -> list[str]:
    """The topic packages inside the project's apps (`partnership.notifications`, …): their
    tasks.py sit one level below the app, where Celery's discovery of each app's own
    tasks.py does not look."""
    from django.apps import apps
    from django.conf import settings

    return [f"{config.name}.{module.name}" for config in apps.get_app_configs()
            if config.name in settings.LOCKSTEP_APPS
            for module in pkgutil.iter_modules([config.path]) if module.ispkg]


app.autodiscover_tasks()
app.autodiscover_tasks(topic_packages)
