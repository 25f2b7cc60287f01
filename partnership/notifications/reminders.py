"""Reminders ahead of a deadline (a meeting tomorrow, an action due in two days …): what
every topic's reminder sweep shares.

A sweep selects the records in its window with one query (the people to tell fetched with
them, or with one more query for the whole batch: `seats`), turns each into a `Due`, and
hands them to `reminders_send`, which reads the claims already made for the whole batch in
one query and tells each person once per record, kind and window: the claim
(`ReminderClaim`, unique) is inserted in the notification's savepoint, so a sweep run
twice, by two workers at once or after a crash tells nobody twice. notify() keeps the
tenancy rule: a person who lost their seat, or of the party that may not see an internal
record, gets nothing; their choice (now, digest, never) decides the delivery.

Windows of a date (a due date) begin at midnight in each recipient's own zone
(`days_ahead`); windows of a moment (a meeting's start) are the same for everyone, and the
e-mail shows the moment in the recipient's zone (notify's `when`).
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from partnership.models import Membership, User
from partnership.notifications.models import ReminderClaim
from partnership.notifications.services import notify
from portal.zones import user_zone

#: No zone is more than 14 hours ahead of UTC, nor 12 behind: the dates "today" may be
#: somewhere on Earth lie between these offsets from now.
EARLIEST_ZONE, LATEST_ZONE = datetime.timedelta(hours=-12), datetime.timedelta(hours=14)


@dataclass
class Due:
    """One record to remind `recipients` of, for `window` (a date or a moment)."""

    record: models.Model
    window: datetime.date | datetime.datetime
    recipients: list = field(default_factory=list)
    title: str = ""
    body: str = ""
    #: The moment the reminder is about, shown in each recipient's zone in the e-mail.
    when: datetime.datetime | None = None

    @property
    def key(self) -> str:
        window = self.window
        if isinstance(window, datetime.datetime):
            return window.astimezone(datetime.UTC).isoformat()
        return window.isoformat()


def local_dates(now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The earliest and the latest date it is somewhere now: bounds for a sweep's query."""
    return (now + EARLIEST_ZONE).date(), (now + LATEST_ZONE).date()


def days_ahead(date: datetime.date, person, now: datetime.datetime) -> int:
    """How many days ahead `date` is in `person`'s own zone (0 today, 1 tomorrow …)."""
    return (date - now.astimezone(user_zone(person)).date()).days


def in_days(date: datetime.date, people: Iterable, now: datetime.datetime, *, first: int,
            last: int = 1) -> list:
    """Those of `people` for whom `date` is between `last` and `first` days ahead (both
    included) in their own zone: with first=2, a due date reminds from two days before it
    in each person's zone, until the day before it (last=1); a sweep that missed the first
    day still reminds on the next one."""
    return [person for person in people if person is not None
            and last <= days_ahead(date, person, now) <= first]


def when_in_days(date: datetime.date, person, now: datetime.datetime) -> str:
    """'today', 'tomorrow', 'in 2 days' for the reminder's title, in the person's zone."""
    days = days_ahead(date, person, now)
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def seats(partnership_ids: Collection[int], roles: Collection[str]
          ) -> dict[tuple[int, int], list[tuple[str, User]]]:
    """{(partnership id, organization id): [(role, person)] seated there in one of
    `roles`}, for a whole batch of records in one query (no partnership asked one by one)."""
    found: dict[tuple[int, int], list[tuple[str, User]]] = defaultdict(list)
    for seat in Membership.objects.filter(
            partnership_id__in=set(partnership_ids), role__in=roles,
            user__is_active=True).select_related("user").order_by("user_id"):
        found[seat.partnership_id, seat.user.organization_id].append((seat.role, seat.user))
    return found


def first_seated(found: dict, partnership, party: str, *role_groups: Collection[str]
                 ) -> list[User]:
    """The people of `party` seated in the first of `role_groups` that seats anyone (its
    leads, else its writers), read from `seats` fetched with every role of the groups."""
    people = found.get((partnership.pk, partnership.organization_id_of(party)), [])
    for roles in role_groups:
        chosen = [person for role, person in people if role in roles]
        if chosen:
            return chosen
    return []


def reminders_send(*, kind: str, dues: Iterable[Due]) -> int:
    """Tell each recipient of each due once (per record, kind and window); returns how many
    notifications were made. One query reads the claims of the whole batch; each record
    told is one savepoint: its claims and its notifications commit together."""
    dues = [due for due in dues if due.recipients]
    if not dues:
        return 0
    record_type = ContentType.objects.get_for_model(type(dues[0].record))
    claimed = set(ReminderClaim.objects.filter(
        kind=kind, record_type=record_type,
        record_id__in={due.record.pk for due in dues}).values_list(
        "record_id", "window", "recipient_id"))
    told = 0
    for due in dues:
        people = {person.pk: person for person in due.recipients
                  if person is not None and (due.record.pk, due.key, person.pk) not in claimed}
        if not people:
            continue
        with transaction.atomic():
            won = _claim(kind=kind, record_type=record_type, due=due, people=people)
            if won:
                told += len(notify(
                    recipients=[people[pk] for pk in won], kind=kind,
                    partnership=due.record.partnership, title=due.title,
                    url=due.record.get_absolute_url(), body=due.body, record=due.record,
                    when=due.when))
    return told


def _claim(*, kind: str, record_type: ContentType, due: Due, people: dict) -> list[int]:
    """Insert the claims of `people`; the ids of those this run won (a claim already made
    by another run, committed or not, is skipped: PostgreSQL waits for the other run's
    transaction, then leaves the row alone)."""
    table = ReminderClaim._meta.db_table
    rows = [(kind, record_type.pk, due.record.pk, due.key, pk) for pk in sorted(people)]
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, now())"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, record_type_id, record_id, \"window\", recipient_id, "
            f"created_at) VALUES {placeholders} ON CONFLICT DO NOTHING RETURNING recipient_id",
            [value for row in rows for value in row])
        return [pk for (pk,) in cursor.fetchall()]
