"""Who changes a record, through which door, and why: the context every event row keeps.

django-pghistory sends the context with each writing statement (a transaction-local
setting the triggers copy into the event row), so whatever writes inside it — a service's
save, `QuerySet.update()`, raw SQL through Django's connection — is recorded with it:

- a request: the middleware opens one for the whole request, door `api` (/api/), `admin`
  (/admin/) or `page`, and the user as authenticated by then (read when each statement is
  sent, so the API's token authentication, which happens in the view, counts);
- a Celery job: door `job` and the task's name (Celery's task signals);
- a management command: door `command` and its name (manage.py);
- the reason for change: `recording(reason=...)` around a service's writes; pages and the
  API add the `reason` a person posted (`annotate`).
"""

import contextlib
import sys

import pghistory
from celery.signals import task_postrun, task_prerun
from django.core.serializers.json import DjangoJSONEncoder
from pghistory import runtime

DOORS = ("page", "api", "admin", "job", "command")


def current() -> dict | None:
    """The metadata of the open context, or None outside any."""
    value = getattr(runtime._tracker, "value", None)
    return value.metadata if value is not None else None


def current_reason() -> str:
    metadata = current() or {}
    reason = metadata.get("reason")
    if isinstance(reason, BodyReason):
        reason = reason.value()
    return (reason or "").strip()


def current_user_id() -> int | None:
    """The id of the person acting in the open context (None for a job, a command, or
    outside any context)."""
    user = (current() or {}).get("user")
    return user.pk() if isinstance(user, RequestUser) else user


def annotate(**metadata) -> None:
    """Add `metadata` to the open context (nothing outside one): what a door learns once the
    context is open (the reason a person posted)."""
    if current() is not None:
        current().update(metadata)


@contextlib.contextmanager
def recording(**metadata):
    """Record the writes inside with `metadata` (door, user, task, command, reason) on top
    of the open context's; the open context is as it was afterwards."""
    open_context = current()
    if open_context is None:
        with pghistory.context(**metadata):
            yield
        return
    before = dict(open_context)
    open_context.update(metadata)
    try:
        yield
    finally:
        open_context.clear()
        open_context.update(before)


def door_of(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


class RequestUser:
    """The request's user, read when a statement is sent (ContextEncoder)."""

    def __init__(self, request):
        self.request = request

    def pk(self) -> int | None:
        user = getattr(self.request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None


class BodyReason:
    """The `reason` of an API request's body, read when a statement is sent: by then the
    view has parsed the body (reading it earlier would answer a body the view refuses, or
    a method it does not allow, differently)."""

    def __init__(self, request):
        self.request = request

    def value(self) -> str | None:
        data = getattr(self.request, "_full_data", None)
        reason = data.get("reason") if hasattr(data, "get") else None
        if not isinstance(reason, str):
            return None
        return without_nul(reason).strip()[:500] or None


def without_nul(text: str) -> str:
    """PostgreSQL's text (and so the trail's context) cannot hold a NUL character: a
    reason with one is kept without it, never a 500 (its form field refuses it with a
    message where there is one)."""
    return text.replace("\x00", "")


class ContextEncoder(DjangoJSONEncoder):
    """PGHISTORY_JSON_ENCODER: the request's user as its id, and the API body's reason, as
    they are when the statement is sent."""

    def default(self, o):
        if isinstance(o, RequestUser):
            return o.pk()
        if isinstance(o, BodyReason):
            return o.value()
        return super().default(o)


class HistoryMiddleware:
    """Every write of a request is recorded with its user and door (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with recording(user=RequestUser(request), door=door_of(request.path),
                       path=request.path[:200]):
            return self.get_response(request)


_jobs: dict[str, contextlib.AbstractContextManager] = {}


@task_prerun.connect(weak=False, dispatch_uid="history-job-start")
def _job_started(task_id=None, task=None, **kwargs) -> None:
    context = recording(door="job", task=getattr(task, "name", ""), user=None)
    context.__enter__()
    _jobs[task_id] = context


@task_postrun.connect(weak=False, dispatch_uid="history-job-end")
def _job_ended(task_id=None, **kwargs) -> None:
    context = _jobs.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def command(argv: list[str] | None = None):
    """The context of a management command run from manage.py (door `command`)."""
    argv = sys.argv if argv is None else argv
    return recording(door="command", command=argv[1] if len(argv) > 1 else "", user=None)
