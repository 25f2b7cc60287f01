"""Reads of the audit programme; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.quality.models import Audit, Finding
from partnership.models import Membership, Partnership, Site, User
from partnership.parties.selectors import partnership_sites, party_people
from portal.queries import SubqueryCount
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated


def audit_list(*, user: User, partnership: Partnership | int | None = None
               ) -> QuerySet[Audit]:
    """Audits the user may see (of one partnership, given it or its id), with their site,
    people and team, and their findings counted by class and still awaiting a response: the
    list page, the detail page and the API, in a fixed number of queries."""
    findings = Finding.objects.filter(audit=OuterRef("pk"))
    audits = Audit.objects.visible_to(user).select_related(
        "site", "lead_auditor__organization", "host__organization",
        "partnership__sponsor", "partnership__cdmo").prefetch_related(
        Prefetch("team", queryset=User.objects.select_related("organization").order_by(
            "last_name", "first_name", "pk"))).annotate(
        finding_count=SubqueryCount(findings),
        major_count=SubqueryCount(findings.filter(classification__in=(
            Finding.Classification.CRITICAL, Finding.Classification.MAJOR))),
        awaiting_count=SubqueryCount(findings.filter(status__in=Finding.ANSWERABLE).exclude(
            classification=Finding.Classification.OBSERVATION))).order_by(
        "-planned_start", "-pk")
    return audits.filter(partnership=partnership) if partnership else audits


def audit_meetings(*, user: User, audit: Audit) -> list[Meeting]:
    """The audit's opening and closing meetings, those the user may see, in time order."""
    ids = [pk for pk in (audit.opening_meeting_id, audit.closing_meeting_id) if pk]
    return list(Meeting.objects.visible_to(user).filter(pk__in=ids).order_by("starts_at"))


def finding_list(*, user: User, partnership: Partnership | int | None = None,
                 audit: Audit | None = None) -> QuerySet[Finding]:
    """Findings the user may see (of one partnership or audit)."""
    findings = Finding.objects.visible_to(user).select_related(
        "audit__partnership", "raised_by", "responded_by", "reviewed_by")
    if partnership:
        findings = findings.filter(partnership=partnership)
    return findings.filter(audit=audit) if audit is not None else findings


def audit_site_choices(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """The CDMO's sites an audit of this partnership may be of."""
    return partnership_sites(user=user, partnership=partnership).filter(
        organization_id=partnership.cdmo_id)


def auditor_choices(*, user: User, partnership: Partnership) -> QuerySet[User]:
    """The sponsor's people who may audit: seated here in a role that acts."""
    return party_people(partnership=partnership, party="sponsor",
                        roles=Membership.WRITING_ROLES, user=user)


def host_choices(*, user: User, partnership: Partnership) -> QuerySet[User]:
    return party_people(partnership=partnership, party="cdmo",
                        roles=Membership.WRITING_ROLES, user=user)


def audits_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                     ) -> list[Dated]:
    """Planned and confirmed audits starting in the next COMING_UP_DAYS days, and findings'
    responses due then: the partnership home's "Coming up"."""
    today = timezone.localdate()
    until = today + datetime.timedelta(days=COMING_UP_DAYS)
    audits = Audit.objects.visible_to(user).filter(
        partnership=partnership, status__in=Audit.EDITABLE,
        planned_start__range=(today, until)).exclude(pk__in=list(exclude)).select_related(
        "site").order_by("planned_start", "pk")
    return [Dated(audit, audit.planned_start) for audit in audits[:limit]]


# --- The QA desk (governance.quality.desk): what awaits a QA lead across partnerships ---

#: Audits still to come or running.
DESK_AUDITS = (Audit.Status.PLANNED, Audit.Status.CONFIRMED, Audit.Status.IN_PROGRESS)


def desk_audits(*, user: User, partnerships) -> QuerySet[Audit]:
    """Audits of `partnerships` (ids) planned, confirmed or running, soonest first."""
    return Audit.objects.visible_to(user).filter(
        partnership__in=partnerships, status__in=DESK_AUDITS).select_related(
        "site", "lead_auditor").order_by("planned_start", "pk")


def desk_findings(*, user: User, partnerships) -> QuerySet[Finding]:
    """Findings of `partnerships` whose response the CDMO owes now (the report is out),
    observations aside; the earliest due (so the overdue) first."""
    return Finding.objects.visible_to(user).awaiting_response().filter(
        partnership__in=partnerships, audit__status__in=Audit.ANSWERING).select_related(
        "audit__site").order_by("response_due", "pk")
