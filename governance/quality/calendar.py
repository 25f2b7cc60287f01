"""The audit programme across a person's partnerships: the audit calendar (a month, or a
list of what is coming), its iCalendar download, and the sites due for re-audit."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from icalendar import Calendar, Event

from governance.meetings.ical import PRODID, meeting_event
from governance.quality.models import Audit
from governance.quality.sites import selectors
from portal.views import HtmxPartialMixin

#: How far the list view and the download look ahead, and back.
LIST_AHEAD_DAYS = 365
LIST_BACK_DAYS = 30


def month_of(value: str | None) -> datetime.date:
    """The first day of the month `value` names ("2026-12"), or of this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1) if 2000 <= year <= 2100 else None
    except (TypeError, ValueError):
        pass
    return timezone.localdate().replace(day=1)


def _shift(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class AuditCalendarView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """GET ?month=2026-12 (month view, the default) or ?view=list (the year ahead)."""

    template_name = "governance/audit_calendar.html"
    partial_name = "calendar"

    def get_context_data(self, **kwargs):
        user = self.request.user
        listing = self.request.GET.get("view") == "list"
        month = month_of(self.request.GET.get("month")) or timezone.localdate().replace(day=1)
        if listing:
            today = timezone.localdate()
            audits = list(selectors.calendar_audits(
                user=user, first=today - datetime.timedelta(days=LIST_BACK_DAYS),
                last=today + datetime.timedelta(days=LIST_AHEAD_DAYS)))
            weeks = []
        else:
            last = _shift(month, 1) - datetime.timedelta(days=1)
            grid_first = month - datetime.timedelta(days=month.weekday())
            audits = list(selectors.calendar_audits(
                user=user, first=grid_first, last=last + datetime.timedelta(days=6)))
            weeks = selectors.month_grid(month, audits)
        return super().get_context_data(
            listing=listing, month=month, previous=_shift(month, -1), next=_shift(month, 1),
            weeks=weeks, audits=audits, cancelled=Audit.Status.CANCELLED, **kwargs)


def audit_event(audit: Audit, *, stamp) -> Event:
    """The audit as an all-day event over its planned days."""
    event = Event()
    event.add("uid", f"audit-{audit.pk}@lockstep")
    event.add("dtstamp", stamp)
    event.add("dtstart", audit.planned_start)
    event.add("dtend", audit.planned_end + datetime.timedelta(days=1))
    event.add("summary", f"{audit.get_kind_display()} audit: {audit.site.name}")
    event.add("description", audit.scope)
    event.add("location", f"{audit.site.name}, {audit.site.city}, {audit.site.country}")
    event.add("status", "CANCELLED" if audit.status == Audit.Status.CANCELLED else
              "CONFIRMED" if audit.status != Audit.Status.PLANNED else "TENTATIVE")
    event.add("categories", ["Quality audit"])
    return event


class AuditCalendarIcsView(LoginRequiredMixin, View):
    """The audits of the year ahead (and the last month) with their opening and closing
    meetings, as one .ics file."""

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        audits = list(selectors.calendar_audits(
            user=request.user, first=today - datetime.timedelta(days=LIST_BACK_DAYS),
            last=today + datetime.timedelta(days=LIST_AHEAD_DAYS)))
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", "Quality audits")
        stamp = timezone.now().astimezone(datetime.UTC)
        for audit in audits:
            calendar.add_component(audit_event(audit, stamp=stamp))
        for meeting in selectors.calendar_meetings(user=request.user, audits=audits):
            calendar.add_component(meeting_event(meeting, stamp=stamp))
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="quality-audits.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class ReauditListView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """The sites of the person's partnerships whose next routine audit is due soon or
    overdue, with no audit planned yet."""

    template_name = "governance/reaudit_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.reaudit_due_list(user=self.request.user),
            horizon=selectors.REAUDIT_HORIZON_DAYS, **kwargs)
