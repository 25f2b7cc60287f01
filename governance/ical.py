"""iCalendar (RFC 5545) files of meetings, for Outlook, Google Calendar and Apple Calendar.

Built with the `icalendar` library rather than by string pasting: it escapes commas and
semicolons, folds long lines and writes UTC times the way every client reads them.
"""

import datetime
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from governance.models import Meeting

PRODID = "-//Lockstep//CDMO partnership portal//EN"
_STATUS = {Meeting.Status.SCHEDULED: "CONFIRMED", Meeting.Status.HELD: "CONFIRMED",
           Meeting.Status.CANCELLED: "CANCELLED"}


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
    event.add("status", _STATUS[meeting.status])
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("categories", [meeting.get_kind_display()])
    return event


def calendar_of(meetings: Iterable[Meeting], *, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
    return calendar


def ics_response(meetings: Iterable[Meeting], *, name: str, filename: str,
                 attachment: bool = True) -> HttpResponse:
    """The .ics file; a feed is served inline (calendar apps poll it), a download as a file."""
    response = HttpResponse(calendar_of(meetings, name=name).to_ical(),
                            content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
