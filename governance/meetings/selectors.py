"""Reads of meetings, calendar feeds and decisions; each starts from the scoped queryset."""

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet
from django.utils import timezone

from governance.actions.selectors import action_item_list
from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from partnership.history.timeline import shown_since
from partnership.models import Organization, Partnership, Site, User
from portal.queries import SubqueryCount
from portal.registries.coming_up import Dated


def meeting_list(*, user: User, partnership: Partnership | int | None = None
                 ) -> QuerySet[Meeting]:
    """Meetings the user may see (of one partnership, given it or its id), with how many
    attend (`attendee_count`): the list page, the calendars and the API."""
    meetings = Meeting.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo", "created_by").annotate(
        attendee_count=SubqueryCount(Meeting.attendees.through.objects.filter(
            meeting_id=OuterRef("pk")))).order_by("starts_at", "pk")
    return meetings.filter(partnership=partnership) if partnership else meetings


def main_site(organization: Organization) -> Site | None:
    """The organization's main site, else its first active one: where 'local time' is."""
    sites = Site.objects.filter(organization=organization)
    return sites.filter(is_main=True).first() or \
        sites.filter(status=Site.Status.ACTIVE).order_by("name").first()


def meeting_detail(*, meeting: Meeting, user: User) -> dict:
    """What the meeting page shows besides the meeting: its time at each party's main site,
    attendees by party, and the decisions and actions that came out of it (scoped)."""
    partnership = meeting.partnership
    sites = []
    for organization in (partnership.sponsor, partnership.cdmo):
        site = main_site(organization)
        if site is not None:
            sites.append((organization, site))
    attendees = list(meeting.attendees.select_related("organization"))
    return {
        "site_times": sites,
        "sponsor_attendees": [p for p in attendees if p.organization_id == partnership.sponsor_id],
        "cdmo_attendees": [p for p in attendees if p.organization_id == partnership.cdmo_id],
        "decisions": decision_list(user=user, partnership=partnership).filter(meeting=meeting),
        "actions": action_item_list(user=user, partnership=partnership).filter(meeting=meeting),
        "minutes_versions": minutes_version_list(user=user, meeting=meeting),
    }


def minutes_version_list(*, user: User, meeting: Meeting) -> QuerySet[MinutesVersion]:
    """The versions of a meeting's minutes, newest first, with who wrote each: for the
    other party only those written since the meeting was shared with it (what was written
    while it was internal stays its author's, as in its History: partnership.history.
    sharing)."""
    versions = MinutesVersion.objects.visible_to(user).filter(meeting=meeting).select_related(
        "created_by").order_by("-number")
    since = shown_since(meeting, user)
    return versions if since is None else versions.filter(created_at__gte=since)


def calendar_feed_meetings(*, secret: str) -> tuple[User, QuerySet[Meeting]] | None:
    """The meetings a personal feed shows: what its owner may see NOW (so a lost seat empties
    the feed), cancelled ones included so calendars drop them. None for an unknown secret."""
    feed = CalendarFeed.objects.select_related("user").filter(
        secret=secret, user__is_active=True).first()
    if feed is None:
        return None
    since = timezone.now() - datetime.timedelta(days=400)
    return feed.user, meeting_list(user=feed.user).filter(starts_at__gte=since)


def decision_list(*, user: User, partnership: Partnership | int | None = None
                  ) -> QuerySet[Decision]:
    """The decision log the user may see (of one partnership, given it or its id), with
    who took each decision: the log page and the API."""
    decisions = Decision.objects.visible_to(user).select_related(
        "meeting", "partnership__sponsor", "partnership__cdmo").prefetch_related(
        Prefetch("decided_by", queryset=User.objects.select_related("organization")))
    return decisions.filter(partnership=partnership) if partnership else decisions


def meetings_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                       ) -> list[Dated]:
    """The next scheduled meetings, however far ahead, soonest first: their lines of
    "Coming up" on the partnership home."""
    meetings = Meeting.objects.visible_to(user).filter(
        partnership=partnership, status=Meeting.Status.SCHEDULED,
        starts_at__gte=timezone.now()).only(
        "partnership_id", "title", "kind", "starts_at").order_by("starts_at", "pk")
    if exclude:
        meetings = meetings.exclude(pk__in=list(exclude))
    return [Dated(meeting, timezone.localtime(meeting.starts_at).date(), meeting.starts_at)
            for meeting in meetings[:limit]]
