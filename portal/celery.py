"""The Celery app. Workers and beat read their configuration from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("lockstep")
app.config_from_object("django.conf:settings", namespace="CELERY")


app.autodiscover_tasks()  # each topic's tasks are loaded by portal.apps.load_topic_modules
