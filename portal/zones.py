"""Which time zone a person sees times in (DESIGN §8): pages, e-mails and jobs ask here."""

import zoneinfo

from django.conf import settings


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The person's own zone; the portal's default for anonymous visitors and people without
    one; UTC if a stored name is not (or no longer) a zone, so a bad value never breaks a
    page or a job."""
    name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or settings.DEFAULT_USER_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
