"""Pages of the notification bell: the polled unread count, the notifications page, mark
read, the click-through to the record (a POST, since it marks read), and each person's
delivery choice per kind.

Everything goes through `Notification.objects.visible_to(user)` (via the notification
selectors): someone else's notification, or one of a partnership the user lost
their seat in, answers 404 like a missing one.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from partnership.notifications.models import Delivery
from partnership.notifications.selectors import (
    notification_list,
    notification_preferences,
    unread_count,
    upcoming_reminders,
)
from partnership.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)
from portal.registries import notification_kinds
from portal.views import HtmxPartialMixin, ServiceFormView

#: The event an htmx response fires after marking something read; the bell listens to it.
CHANGED_EVENT = "notifications-changed"


@method_decorator(never_cache, name="dispatch")
class NotificationBellView(TemplateView):
    """The bell of the top bar with its unread count; polled by htmx, one COUNT query.

    The poll is not activity: it leaves the session's expiry alone (passive_session, see
    portal.middleware.SessionMiddleware), and once the session has expired it answers 204
    (htmx swaps nothing) instead of swapping the login page into the top bar. The count is
    one person's: never cached, by the browser or by anything in between (private)."""

    template_name = "portal/notification_bell.html"

    def dispatch(self, request, *args, **kwargs):
        request.passive_session = True
        if not request.user.is_authenticated:
            return HttpResponse(status=204)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unread=unread_count(user=self.request.user),
                                        poll_seconds=settings.NOTIFICATION_POLL_SECONDS,
                                        **kwargs)


@method_decorator(never_cache, name="dispatch")
class NotificationPreviewView(LoginRequiredMixin, TemplateView):
    """The bell's preview: the latest few notifications (NOTIFICATION_PREVIEW_SIZE) and the
    unread count, two queries, loaded into the bell's menu when it opens."""

    template_name = "portal/notification_preview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            latest=list(notification_list(user=user)[:settings.NOTIFICATION_PREVIEW_SIZE]),
            unread=unread_count(user=user), **kwargs)


class NotificationListView(LoginRequiredMixin, HtmxPartialMixin, ListView):
    """All my notifications, newest first, ?show=unread for the unread ones only."""

    template_name = "portal/notification_list.html"
    paginate_by = 20

    @property
    def unread_only(self) -> bool:
        return self.request.GET.get("show") == "unread"

    def get_queryset(self):
        return notification_list(user=self.request.user, unread_only=self.unread_only)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = self.unread_only
        context["unread"] = unread_count(user=self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class NotificationMixin(LoginRequiredMixin):
    """Looks the notification up before the method is checked, so a foreign id answers 404
    to every method (a 405 would tell that the id exists)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.notification = get_object_or_404(notification_list(user=request.user),
                                              pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def safe_path(url: str) -> str | None:
    """The stored path if it stays inside the portal ("/…" but not "//host" or "/\\host",
    which browsers read as another site); None otherwise. Guards the click-through redirect
    against an open redirect even if a bad url was ever stored."""
    if not url.startswith("/") or url.startswith(("//", "/\\")) or any(
            ch in url for ch in "\r\n\t"):
        return None
    return url


def _record_url(notification) -> str:
    """Only a path inside the portal is followed (safe_path); anything else lands on the
    notifications page."""
    return safe_path(notification.url) or reverse("portal:notification_list")


class NotificationOpenView(NotificationMixin, View):
    """A click on a notification: POST marks it read, then goes to its record (htmx is
    told to navigate there). GET only goes to the record: a GET must not change anything,
    since mail scanners, prefetching browsers and other sites' <img> tags send them
    without the person meaning to, so the old bookmarked or shared URL keeps working but
    leaves the notification unread."""

    def get(self, request, pk):
        return redirect(_record_url(self.notification))

    def post(self, request, pk):
        notification = notification_mark_read(actor=request.user,
                                              notification=self.notification)
        if request.htmx:
            return HttpResponseClientRedirect(_record_url(notification))
        return redirect(_record_url(notification))


def _back(request) -> str:
    return safe_path(request.POST.get("next", "")) or reverse("portal:notification_list")


class NotificationReadView(NotificationMixin, View):
    """POST: mark one read. htmx gets the updated item and tells the bell to refresh."""

    def post(self, request, pk):
        notification = notification_mark_read(actor=request.user,
                                              notification=self.notification)
        if request.htmx:
            response = TemplateResponse(request, "portal/notification_list.html#item", {
                "n": notification, "oob_unread": unread_count(user=request.user)})
            return trigger_client_event(response, CHANGED_EVENT)
        return redirect(_back(request))


class NotificationReadAllView(LoginRequiredMixin, View):
    """POST: mark everything read."""

    def post(self, request):
        count = notification_mark_all_read(actor=request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} "
                                  "marked read.")
        return redirect(_back(request))


class PreferencesForm(forms.Form):
    """One radio group per kind of notification."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in notification_kinds.choices():
            self.fields[kind] = forms.ChoiceField(label=label, choices=Delivery.choices,
                                                  widget=forms.RadioSelect)


class NotificationPreferencesView(LoginRequiredMixin, ServiceFormView):
    """Per kind: immediately, in the daily digest, or off."""

    form_class = PreferencesForm
    template_name = "portal/notification_preferences.html"

    def get_initial(self):
        return notification_preferences(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["deliveries"] = [(Delivery.IMMEDIATELY, "Immediately"),
                                 (Delivery.DAILY_DIGEST, "Daily digest"), (Delivery.OFF, "Off")]
        context["rows"] = [form[kind] for kind in notification_kinds.codes()]
        context["digest_hour"] = settings.NOTIFICATION_DIGEST_HOUR
        return context

    def perform(self, form):
        notification_preferences_update(actor=self.request.user, choices=form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Your notification settings are saved.")
        return reverse("portal:notification_preferences")


class ReminderListView(LoginRequiredMixin, HtmxPartialMixin, ListView):
    """What will remind me in the next seven days, soonest first: read from the reminder
    jobs' own "who is due when" (upcoming_reminders), with the delivery I chose."""

    template_name = "portal/reminder_list.html"
    paginate_by = 25

    def get_queryset(self):
        return upcoming_reminders(user=self.request.user)
