"""A record page's live part: the status, steps and timeline of an open request, action,
notice or quality record, refreshed while the page stays open, when the other party acts.

The page wraps that part in its template's `live` partial (`{% partialdef live inline %}`
around `<div {% live_region %}>`); htmx asks the record's `…_live` URL for it every
LIVE_POLL_SECONDS while the tab is visible (static/js/lockstep.js), sending the version it
shows as If-None-Match. An unchanged record answers 304 after one query: its `updated_at`,
read through the model's own scoping (`visible_to`), so a foreign or internal record
answers 404 like everywhere. A changed one gets the partial, rendered by the record's own
detail view, with its new version.

The version is the record's `updated_at` (every service that changes a record saves it)
and the viewer: the buttons in the part depend on who looks. Nothing here names a model;
each app pairs its detail view with LiveRecordMixin and a view of
LiveFragmentMixin + that detail view. A part whose version is not its record's
`updated_at` (a record's discussion thread: its newest comment the viewer sees) gives its
own `live_version`, read in one query through the same scoping.

A page may hold several live parts, each with its own `id` (`live["id"]`).
"""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

#: The header a live fragment carries: lockstep.js swaps only a response that has it (not
#: the log-in page a poll is sent to once the session has expired).
LIVE_HEADER = "X-Live-Record"


def live_etag(model, pk: int, version, user) -> str:
    """The version of a record (or of a part of its page: `model` may be a name) as one
    viewer sees it: a quoted entity tag. `version` is a datetime or a string built only
    from what that viewer sees."""
    label = model if isinstance(model, str) else model._meta.label_lower
    stamp = version.isoformat() if hasattr(version, "isoformat") else str(version)
    seed = f"{label}:{pk}:{stamp}:{user.pk}"
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


class LiveRecordMixin:
    """For a record's detail view (its context has the record as `object`): `live`, what
    the page's live region needs: the URL to poll, the version shown and the interval.
    `live_url_name` names the record's live URL (same URL arguments as the page's)."""

    live_url_name: str = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = context["object"]
        context["live"] = {
            "url": reverse(self.live_url_name, kwargs=self.kwargs),
            "etag": live_etag(type(record), record.pk, record.updated_at, self.request.user),
            "seconds": settings.LIVE_POLL_SECONDS,
            "refreshed": getattr(self, "live_refreshed", False),
        }
        return context


class LiveFragmentMixin:
    """Put before a record's detail view (with LiveRecordMixin): the page's `live` partial,
    or 304 when the record is as the page shows it. A GET only: the poll is not activity
    (the session's inactivity timeout still runs, portal.middleware), and nobody logged
    in is sent to log in like on the page itself."""

    live_model = None
    partial_name = "live"
    live_refreshed = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method == "GET":
            request.passive_session = True
            etag = self.live_etag(request, kwargs)
            if etag in parse_etags(request.headers.get("If-None-Match", "")):
                return self.live_headers(HttpResponseNotModified(), etag)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and hasattr(response, "render"):
            response.render()
            live = response.context_data.get("live", {})
            return self.live_headers(response, live.get("etag"))
        return response

    def live_etag(self, request, kwargs) -> str:
        """The version the viewer would be shown now, in one query; 404 for a record they
        do not see."""
        updated_at = self.live_model.objects.visible_to(request.user).filter(
            partnership_id=kwargs["partnership_pk"], pk=kwargs["pk"],
        ).values_list("updated_at", flat=True).first()
        if updated_at is None:
            raise Http404
        return live_etag(self.live_model, kwargs["pk"], updated_at, request.user)

    def get_template_names(self):
        return [f"{name}#{self.partial_name}" for name in super().get_template_names()]

    @staticmethod
    def live_headers(response, etag: str | None):
        """One viewer's answer, never stored by a cache (the browser's own would turn the
        poll's 304 back into a 200 and swap the same part again)."""
        if etag:
            response["ETag"] = etag
        response[LIVE_HEADER] = "1"
        patch_cache_control(response, private=True, no_store=True)
        return response
