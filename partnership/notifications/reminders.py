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
from collections.abc import Callable, Collection, Iterable
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


#: The jobs' `ahead`: the reminders whose time has come.
NO_TIME = datetime.timedelta(0)


#: The partnerships (ids) of one batch of a sweep (partnership.sweeps); None: all of them.
Batch = Collection[int] | None


def scoped(model: type[models.Model], user, partnerships: Batch = None) -> models.QuerySet:
    """Every record for a job (of the batch's partnerships when given); those `user` sees
    (visible_to) for their Reminders page."""
    return within(model.objects.all() if user is None else model.objects.visible_to(user),
                  partnerships)


def within(records: models.QuerySet, partnerships: Batch) -> models.QuerySet:
    """`records` of the batch's partnerships (all of them when None)."""
    return records if partnerships is None else records.filter(partnership_id__in=partnerships)


@dataclass
class Due:
    """One record to remind `recipients` of, for `window` (a date or a moment).

    `title` is the same words for everyone, or a function of the recipient when the words
    depend on their zone ("tomorrow at 10:00 (your time)"). `lead` says when the reminder
    goes: that many days before a date window (from midnight in the person's zone), or
    that long before a moment; the Reminders page reads it (`reminds_at`)."""

    record: models.Model
    window: datetime.date | datetime.datetime
    recipients: list = field(default_factory=list)
    title: str | Callable[[User], str] = ""
    body: str = ""
    #: The moment the reminder is about, shown in each recipient's zone in the e-mail.
    when: datetime.datetime | None = None
    lead: int | datetime.timedelta = 0
    #: The date `lead` counts back from, where the window is not that date (a KPI value's
    #: window is its period; it is due some days after).
    deadline: datetime.date | None = None

    @property
    def key(self) -> str:
        window = self.window
        if isinstance(window, datetime.datetime):
            return window.astimezone(datetime.UTC).isoformat()
        return window.isoformat()

    def title_for(self, person) -> str:
        return self.title(person) if callable(self.title) else self.title

    def reminds_at(self, person, now: datetime.datetime) -> datetime.datetime:
        """When the job tells `person` (now, if that time has come already)."""
        if isinstance(self.window, datetime.datetime):
            return max(now, self.window - self.lead)
        start = (self.deadline or self.window) - datetime.timedelta(days=self.lead)
        return max(now, datetime.datetime.combine(start, datetime.time(0),
                                                  tzinfo=user_zone(person)))


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


def at_local(moment: datetime.datetime, person, now: datetime.datetime) -> str:
    """'today at 16:00 (your time)', 'tomorrow at 10:00 (your time)', 'on Wed 6 May at
    09:30 (your time)': a moment in the person's own zone, for a reminder's title."""
    local = moment.astimezone(user_zone(person))
    day = when_in_days(local.date(), person, now)
    if day.startswith("in "):
        day = f"on {local:%a} {local.day} {local:%b}"
    return f"{day} at {local:%H:%M} (your time)"


def in_time(moment: datetime.datetime, now: datetime.datetime) -> str:
    """'in 1 hour', 'in 3 hours', 'in 20 minutes': how far off a moment is, for a title."""
    minutes = max(1, round((moment - now).total_seconds() / 60))
    if minutes < 45:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"in {hours} hour{'s' if hours != 1 else ''}"


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
            by_title: dict[str, list] = defaultdict(list)
            for pk in won:
                by_title[due.title_for(people[pk])].append(people[pk])
            for title, recipients in by_title.items():
                told += len(notify(
                    recipients=recipients, kind=kind, partnership=due.record.partnership,
                    title=title, url=due.record.get_absolute_url(), body=due.body,
                    record=due.record, when=due.when))
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
