"""Which time zone a person sees times in (DESIGN §8): pages, e-mails and jobs ask here."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import dateformat, timezone


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The person's own zone; the portal's default for anonymous visitors and people without
    one; UTC if a stored name is not (or no longer) a zone, so a bad value never breaks a
    page or a job."""
    name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or settings.DEFAULT_USER_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zone_label(name: str, at: datetime.datetime | None = None) -> str:
    """How the portal names a time zone everywhere: 'Europe/Berlin (CET)', the abbreviation
    as of `at` (now by default), so summer time shows as 'Europe/Berlin (CEST)'; plain 'UTC'
    for UTC. A name that is not a zone is given back as it is."""
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return str(name)
    if name == "UTC":
        return "UTC"
    abbreviation = (at or timezone.now()).astimezone(zone).tzname()
    return f"{name} ({abbreviation})" if abbreviation and abbreviation != name else name


def zoned_label(moment: datetime.datetime) -> str:
    """A moment in the active zone with the zone named, 'Tue 2 Jun 2026, 23:00 (Asia/Tokyo)':
    the viewer's zone on a page, the recipient's in an e-mail (the jobs activate it)."""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'D j M Y, H:i')} ({timezone.get_current_timezone_name()})"
