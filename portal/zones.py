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


def zoned_label(moment: datetime.datetime) -> str:
    """A moment in the active zone with the zone named, 'Tue 2 Jun 2026, 23:00 (Asia/Tokyo)':
    the viewer's zone on a page, the recipient's in an e-mail (the jobs activate it)."""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'D j M Y, H:i')} ({timezone.get_current_timezone_name()})"
