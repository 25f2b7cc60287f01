"""Reads of the sites as the sponsor's QA sees them and of the audit programme across a
person's partnerships (the calendar, the sites due for re-audit); each starts from the
scoped queryset (DESIGN §2) and reads a page's rows in a fixed number of queries."""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.quality.models import Audit, Finding
from governance.quality.sites.models import (
    AuditProgramme,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from partnership.models import Partnership, Site, User
from partnership.parties.selectors import partnership_sites
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated

#: How far ahead the re-audit list looks: an audit is planned months before it is due.
REAUDIT_HORIZON_DAYS = 120


def qualification_list(*, user: User, partnership: Partnership | int | None = None
                       ) -> QuerySet[SiteQualification]:
    """Site qualifications the user may see, each with its site, its partnership's
    programme settings, its last closed audit (`last_audit_id`, `last_audit_end`,
    `last_audit_critical`: whether that audit raised a critical finding), the next audit
    planned (`next_audit_start`), and its inspections and subcontractors awaiting
    permission counted."""
    rows = with_audits(SiteQualification.objects.visible_to(user).select_related(
        "site", "partnership__sponsor", "partnership__cdmo",
        "partnership__audit_programme", "status_changed_by").annotate(
        inspection_count=Count("inspections", distinct=True),
        awaiting_permission=Count("subcontractors", distinct=True, filter=Q(
            subcontractors__status=Subcontractor.Status.REQUESTED)))).order_by(
        "site__name", "pk")
    return rows.filter(partnership=partnership) if partnership else rows


def with_audits(qualifications: QuerySet[SiteQualification]) -> QuerySet[SiteQualification]:
    """The rows with their site's last closed audit in the partnership (`last_audit_id`,
    `last_audit_end`, `last_audit_critical`) and the next one planned (`next_audit_id`,
    `next_audit_start`): what `with_due_dates` reads."""
    closed = Audit.objects.filter(partnership=OuterRef("partnership"), site=OuterRef("site"),
                                  status=Audit.Status.CLOSED).order_by("-planned_end", "-pk")
    upcoming = Audit.objects.filter(
        partnership=OuterRef("partnership"), site=OuterRef("site"),
        status__in=(*Audit.EDITABLE, Audit.Status.IN_PROGRESS)).order_by("planned_start", "pk")
    return qualifications.annotate(
        last_audit_id=Subquery(closed.values("pk")[:1]),
        last_audit_end=Subquery(closed.values("planned_end")[:1]),
        next_audit_id=Subquery(upcoming.values("pk")[:1]),
        next_audit_start=Subquery(upcoming.values("planned_start")[:1])).annotate(
        last_audit_critical=Exists(Finding.objects.filter(
            audit_id=OuterRef("last_audit_id"),
            classification=Finding.Classification.CRITICAL)))


def programme_of(partnership: Partnership) -> AuditProgramme | None:
    """The partnership's programme settings, as read with it (select_related), or None."""
    try:
        return partnership.audit_programme
    except AuditProgramme.DoesNotExist:
        return None


def with_due_dates(qualifications) -> list[SiteQualification]:
    """The rows, each with `next_due` (when its next routine audit is due, or None) and
    `is_due` (due within the horizon, with no audit planned yet)."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REAUDIT_HORIZON_DAYS)
    rows = list(qualifications)
    for row in rows:
        row.next_due = row.next_audit_due(programme_of(row.partnership))
        row.is_overdue = row.next_due is not None and row.next_due < today
        row.is_due = row.next_due is not None and row.next_due <= horizon and \
            row.next_audit_id is None and \
            row.status != SiteQualification.Status.DISQUALIFIED
    return rows


def reaudit_due_list(*, user: User, partnerships=None) -> list[SiteQualification]:
    """The sites of the user's partnerships (of `partnerships`, ids, if given: the QA desk)
    due for re-audit (within REAUDIT_HORIZON_DAYS, or overdue) with no audit planned,
    soonest first."""
    rows = qualification_list(user=user)
    if partnerships is not None:
        rows = rows.filter(partnership__in=partnerships)
    rows = [row for row in with_due_dates(rows) if row.is_due]
    return sorted(rows, key=lambda row: (row.next_due, row.site.name, row.pk))


def qualification_site_choices(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """The CDMO's sites not yet in the partnership's programme."""
    return partnership_sites(user=user, partnership=partnership).filter(
        organization_id=partnership.cdmo_id).exclude(
        pk__in=SiteQualification.objects.filter(partnership=partnership).values("site_id"))


def inspection_list(*, user: User, partnership: Partnership | int | None = None
                    ) -> QuerySet[Inspection]:
    rows = Inspection.objects.visible_to(user).select_related(
        "partnership", "qualification__site", "qualification__partnership",
        "entered_by__organization")
    return rows.filter(partnership=partnership) if partnership else rows


def subcontractor_list(*, user: User, partnership: Partnership | int | None = None
                       ) -> QuerySet[Subcontractor]:
    rows = Subcontractor.objects.visible_to(user).select_related(
        "partnership", "qualification__site", "qualification__partnership__sponsor",
        "qualification__partnership__cdmo", "entered_by__organization", "permitted_by")
    return rows.filter(partnership=partnership) if partnership else rows


def qualification_detail(*, user: User, partnership: Partnership, pk: int
                         ) -> QuerySet[SiteQualification]:
    """One qualification with its inspections and subcontractors, for its page."""
    return qualification_list(user=user, partnership=partnership).filter(pk=pk).prefetch_related(
        Prefetch("inspections", queryset=inspection_list(user=user).order_by(
            "-inspected_on", "-pk")),
        Prefetch("subcontractors", queryset=subcontractor_list(user=user).order_by(
            "name", "pk")))


# --- The audit calendar ----------------------------------------------------------------

@dataclass
class Day:
    date: datetime.date
    in_month: bool
    audits: list


def calendar_audits(*, user: User, first: datetime.date, last: datetime.date
                    ) -> QuerySet[Audit]:
    """Audits of the user's partnerships that run on a day between `first` and `last`."""
    return Audit.objects.visible_to(user).filter(
        planned_start__lte=last, planned_end__gte=first).select_related(
        "site", "partnership__sponsor", "partnership__cdmo", "lead_auditor").order_by(
        "planned_start", "site__name", "pk")


def month_grid(month: datetime.date, audits) -> list[list[Day]]:
    """The month's weeks (Monday first), each day with the audits running on it."""
    audits = list(audits)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
        weeks.append([Day(day, day.month == month.month,
                          [audit for audit in audits
                           if audit.planned_start <= day <= audit.planned_end])
                      for day in week])
    return weeks


def calendar_meetings(*, user: User, audits) -> QuerySet[Meeting]:
    """The opening and closing meetings of `audits` the user may see (for the .ics)."""
    ids = [pk for audit in audits for pk in (audit.opening_meeting_id, audit.closing_meeting_id)
           if pk]
    return Meeting.objects.visible_to(user).filter(pk__in=ids).select_related(
        "created_by").order_by("starts_at", "pk")


# --- Working hours ---------------------------------------------------------------------

def outside_hours(meeting: Meeting, site: Site) -> str | None:
    """Why the meeting falls outside the site's working hours (its opening and closing
    time, Monday to Friday, in its own zone), or None when it does not."""
    zone = zoneinfo.ZoneInfo(site.time_zone)
    start = meeting.starts_at.astimezone(zone)
    end = meeting.ends_at.astimezone(zone)
    if start.weekday() >= 5:
        return f"falls on a {start:%A} at {site.name}"
    if start.time() < site.opens_at or end.time() > site.closes_at or end.date() != start.date():
        return (f"runs {start:%H:%M}–{end:%H:%M} at {site.name}, outside its working hours "
                f"({site.opens_at:%H:%M}–{site.closes_at:%H:%M})")
    return None


def hours_warnings(audit: Audit, meetings) -> list[tuple[Meeting, str]]:
    """The audit's scheduled meetings outside the audited site's working hours, each with
    why (what the meeting pages warn of: DESIGN §8, the site's local time)."""
    return [(meeting, why) for meeting in meetings
            if meeting.status == Meeting.Status.SCHEDULED and
            (why := outside_hours(meeting, audit.site))]


# --- The partnership home's "Coming up" (portal.registries.coming_up) --------------------

#: How far ahead an EU GMP certificate's expiry shows on the home: renewing one takes an
#: inspection to be booked, so the card warns a quarter ahead, beyond its usual days.
CERTIFICATE_WARNING_DAYS = 90


def certificates_expiring(*, user: User, partnership: Partnership, exclude, limit: int
                          ) -> list[Dated]:
    """The sites' GMP certificates expiring in the next CERTIFICATE_WARNING_DAYS days, each
    the latest of its site (one a newer inspection replaced is not news): one query."""
    today = timezone.localdate()
    newer = Inspection.objects.filter(qualification=OuterRef("qualification"),
                                      certificate_expiry__gt=OuterRef("certificate_expiry"))
    rows = Inspection.objects.visible_to(user).filter(
        partnership=partnership).select_related("qualification__site").filter(
        certificate_expiry__range=(today, today + datetime.timedelta(
            days=CERTIFICATE_WARNING_DAYS))).exclude(Exists(newer)).exclude(
        pk__in=list(exclude)).order_by("certificate_expiry", "pk")
    return [Dated(row, row.certificate_expiry) for row in rows[:limit]]


def reaudits_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                       ) -> list[Dated]:
    """The partnership's sites due for re-audit within the card's days (or already
    overdue: dated today) with no audit planned: one query."""
    until = timezone.localdate() + datetime.timedelta(days=COMING_UP_DAYS)
    qualifications = with_audits(SiteQualification.objects.visible_to(user).filter(
        partnership=partnership).select_related("site", "partnership__audit_programme"))
    rows = [row for row in with_due_dates(qualifications)
            if row.is_due and row.next_due <= until and row.pk not in set(exclude)]
    rows.sort(key=lambda row: (row.next_due, row.site.name, row.pk))
    today = timezone.localdate()
    return [Dated(row, max(row.next_due, today)) for row in rows[:limit]]
