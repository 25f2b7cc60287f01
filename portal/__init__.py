"""Project package: settings, URLs, the Celery app and the plumbing every app shares."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
