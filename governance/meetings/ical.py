"""iCalendar (RFC 5545) files of meetings, for Outlook, Google Calendar and Apple Calendar.

Built with the `icalendar` library rather than by string pasting: it escapes commas and
semicolons, folds long lines and writes UTC times the way every client reads them.
"""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vDuration

from governance.meetings.models import Meeting

PRODID = "-//Lockstep//CDMO partnership portal//EN"
_STATUS = {Meeting.Status.SCHEDULED: "CONFIRMED", Meeting.Status.HELD: "CONFIRMED",
           Meeting.Status.CANCELLED: "CANCELLED"}
#: How often calendar apps should fetch a personal feed again: REFRESH-INTERVAL (RFC 7986)
#: for most, X-PUBLISHED-TTL for Outlook.
FEED_REFRESH = datetime.timedelta(hours=1)


def organizer_of(meeting: Meeting) -> vCalAddress:
    """Who scheduled the meeting, or the portal's own address for one nobody did (demo
    data, imports): METHOD:PUBLISH wants an ORGANIZER on every event."""
    if meeting.created_by is not None:
        return vCalAddress.new(meeting.created_by.email, cn=str(meeting.created_by))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress.new(address, cn=name or None)


def meeting_event(meeting: Meeting, *, stamp) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@lockstep")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    event.add("description", meeting.agenda)
    event.add("location", meeting.location)
    event.add("sequence", meeting.sequence)
    event.add("organizer", organizer_of(meeting))
    event.add("status", _STATUS[meeting.status])
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("categories", [meeting.get_kind_display()])
    return event


def calendar_of(meetings: Iterable[Meeting], *, name: str, feed: bool = False) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if feed:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
    return calendar


def ics_response(meetings: Iterable[Meeting], *, name: str, filename: str,
                 feed: bool = False) -> HttpResponse:
    """The .ics file; a feed is served inline with a refresh interval (calendar apps poll
    it), a download as a file."""
    response = HttpResponse(calendar_of(meetings, name=name, feed=feed).to_ical(),
                            content_type="text/calendar; charset=utf-8")
    disposition = "inline" if feed else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
