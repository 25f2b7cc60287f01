"""Dates as a person of the test world sees them.

Pages work out "today", "overdue", "this date has passed" and a meeting's day in the
viewer's zone (DESIGN §8), and the factories seat people in Europe/Zurich: UTC's date is
not theirs from 23:00 UTC (22:00 in summer) to midnight. A test that compares with what a
page says takes its dates from here, at the moment it uses them (a run may cross midnight).
"""

import datetime

from django.utils import timezone

from portal.zones import user_zone
from tests.factories import UserFactory


class _FactoryPerson:
    """Someone seated by UserFactory, for when no particular person is at hand."""

    is_authenticated = True
    time_zone = UserFactory._meta.declarations["time_zone"]


def today(person=None) -> datetime.date:
    """Today in `person`'s zone (a factory person's if none is given)."""
    return timezone.localdate(timezone=user_zone(person or _FactoryPerson))


def day_of(moment: datetime.datetime, person=None) -> datetime.date:
    """The day `moment` falls on in `person`'s zone."""
    return timezone.localtime(moment, user_zone(person or _FactoryPerson)).date()


def api_today() -> datetime.date:
    """Today as the API works it out for a token (or a test's forced) client: the zone
    middleware runs before the API authenticates anyone, so such a call works in UTC."""
    return timezone.localdate(timezone=datetime.UTC)
