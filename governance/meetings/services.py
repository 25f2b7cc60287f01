"""Writes of meetings (series, minutes with their actions), calendar feeds and decisions."""

import calendar
import datetime
import secrets
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.actions.services import action_item_create
from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from partnership.models import Membership, Partnership, User
from partnership.notifications.reminders import (
    NO_TIME,
    Batch,
    Due,
    at_local,
    in_time,
    reminders_send,
    scoped,
)
from partnership.notifications.services import notify
from partnership.permissions import require
from partnership.records import are_seated, shared_record_create, shared_record_update
from partnership.signatures.models import Signature
from portal.locking import locked
from portal.validation import check_dates_in_range
from portal.workflow import transition
from portal.zones import user_zone

MEETING_FIELDS = ("title", "kind", "starts_at", "duration_minutes", "location", "agenda",
                  "recurrence", "repeat_until", "is_internal")
MEETING_EDIT_FIELDS = ("title", "kind", "starts_at", "duration_minutes", "location", "agenda",
                       "is_internal")
#: A series longer than this is a typo in the end date, not a plan (and a flood of e-mails).
MAX_OCCURRENCES = 60
_RECURRENCE_MONTHS = {"monthly": 1, "quarterly": 3}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def meeting_occurrences(starts_at: datetime.datetime, recurrence: str,
                        repeat_until: datetime.date | None,
                        zone: zoneinfo.ZoneInfo) -> list[datetime.datetime]:
    """Start times of a series, repeated in wall-clock time of `zone`, so a 10:00 meeting
    in Dublin stays at 10:00 in Dublin across the change to summer time (UTC shifts).

    The start and the end are checked against the portal's range of dates first: they
    come from the caller before full_clean() sees them, and near year 9999 moving into the
    zone or on by a month would overflow instead of answering with a field error."""
    check_dates_in_range(starts_at=starts_at, repeat_until=repeat_until)
    if recurrence == Meeting.Recurrence.NONE:
        return [starts_at]
    if repeat_until is None:
        raise ValidationError({"repeat_until": "Say until when a recurring meeting repeats."})
    local = starts_at.astimezone(zone).replace(tzinfo=None)
    starts = []
    for n in range(MAX_OCCURRENCES + 1):
        if recurrence == Meeting.Recurrence.WEEKLY:
            moment = local + datetime.timedelta(weeks=n)
        else:
            moment = datetime.datetime.combine(
                _add_months(local.date(), n * _RECURRENCE_MONTHS[recurrence]), local.time())
        if moment.date() > repeat_until:
            break
        starts.append(moment.replace(tzinfo=zone).astimezone(datetime.UTC))
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError({"repeat_until": f"A series has at most {MAX_OCCURRENCES} "
                                               "meetings; choose an earlier end date."})
    if not starts:
        raise ValidationError({"repeat_until": "The series cannot end before it starts."})
    return starts


def _check_attendees(partnership: Partnership, attendees, *, is_internal: bool,
                     organization_id: int, current=()) -> list[User]:
    """The attendees, if those added to the `current` ones have a seat (someone who has
    left the partnership since stays on the meetings they were invited to); those of an
    internal meeting are all of the organization that wrote it (`organization_id`)."""
    attendees = list(attendees or [])
    kept = {person.pk for person in current}
    added = [person for person in attendees if person.pk not in kept]
    if not are_seated(partnership, added):
        raise ValidationError({"attendees": "Attendees must be members of this partnership."})
    if is_internal and any(p.organization_id != organization_id for p in attendees):
        raise ValidationError({"attendees": "An internal meeting has attendees of your own "
                                            "organization only."})
    return attendees


def _notify_attendees(*, actor: User, meeting: Meeting, kind: str, title: str,
                      body: str = "") -> None:
    notify(recipients=meeting.attendees.all(), kind=kind, partnership=meeting.partnership,
           title=title, url=meeting.get_absolute_url(), body=body, actor=actor,
           record=meeting, when=meeting.starts_at)


@transaction.atomic
def meeting_create(*, actor: User, partnership: Partnership, attendees=(), **fields
                   ) -> Meeting:
    """Schedule a meeting, or a series of them (one row per occurrence, linked to the first
    by `series`, each with its own minutes). Returns the first meeting."""
    require(actor, "governance.meeting_create", partnership)
    recurrence = fields.get("recurrence") or Meeting.Recurrence.NONE
    fields["recurrence"] = recurrence
    if recurrence == Meeting.Recurrence.NONE:
        fields["repeat_until"] = None
    attendees = _check_attendees(partnership, attendees,
                                 is_internal=fields.get("is_internal", False),
                                 organization_id=actor.organization_id)
    if not fields.get("starts_at"):
        raise ValidationError({"starts_at": "Say when the meeting starts."})
    starts = meeting_occurrences(fields["starts_at"], recurrence, fields.get("repeat_until"),
                                 user_zone(actor))
    first = None
    for starts_at in starts:
        meeting = shared_record_create(Meeting, MEETING_FIELDS, actor=actor,
                                       partnership=partnership,
                                       fields={**fields, "starts_at": starts_at})
        if first is None:
            first = meeting
        else:
            meeting.series = first
            meeting.save(update_fields=["series"])
        meeting.attendees.set(attendees)
    repeats = f"The first of a series: {len(starts) - 1} more follow " \
        f"({first.get_recurrence_display().lower()})." if len(starts) > 1 else ""
    _notify_attendees(actor=actor, meeting=first, kind="meeting_scheduled",
                      title=f"Meeting scheduled: {first.title}", body=repeats)
    return first


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, attendees=None, **fields) -> Meeting:
    """Change the fields given of one occurrence (the others, and the attendees when None,
    stay as they are); SEQUENCE goes up so calendars replace the old copy. A held meeting
    keeps its time: it happened then, and its minutes say so."""
    meeting = locked(meeting, "partnership")
    require(actor, "governance.meeting_edit", meeting)
    if meeting.status == Meeting.Status.HELD:
        for name, label in (("starts_at", "start"), ("duration_minutes", "duration")):
            if name in fields and fields[name] != getattr(meeting, name):
                raise ValidationError({name: f"The meeting has been held: its {label} "
                                             "can no longer change."})
    current = list(meeting.attendees.all())
    meeting = shared_record_update(meeting, MEETING_EDIT_FIELDS, actor=actor, fields=fields)
    # Checked even when the attendees stay: making a meeting internal must not keep the
    # other party's people on it.
    _check_attendees(meeting.partnership, current if attendees is None else attendees,
                     is_internal=meeting.is_internal,
                     organization_id=meeting.author_organization_id, current=current)
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    if attendees is not None:
        meeting.attendees.set(attendees)
    _notify_attendees(actor=actor, meeting=meeting, kind="meeting_scheduled",
                      title=f"Meeting changed: {meeting.title}")
    return meeting


def _held_once_started(meeting: Meeting, status: str) -> None:
    """The guard of a meeting's workflow: it is held only once it has started."""
    if status == Meeting.Status.HELD and not meeting.has_started():
        raise meeting.not_started_error("status")


@transaction.atomic
def meeting_transition(*, actor: User, meeting: Meeting, status: str) -> Meeting:
    """Hold, cancel or reschedule a meeting; SEQUENCE goes up so calendars follow, and the
    attendees are told of a cancellation or a new date."""
    require(actor, "governance.meeting_transition", meeting)
    meeting = transition(meeting, status, guard=_held_once_started,
                         changes=lambda row, status: {"sequence": row.sequence + 1})
    if status != Meeting.Status.HELD:
        verb = "cancelled" if status == Meeting.Status.CANCELLED else "rescheduled"
        _notify_attendees(actor=actor, meeting=meeting, kind="meeting_scheduled",
                          title=f"Meeting {verb}: {meeting.title}")
    return meeting


def minutes_approved_once(meeting: Meeting) -> bool:
    """Whether any version of the meeting's minutes was approved: from then on they are
    locked, and a correction is a new version with its reason."""
    return Signature.objects.of(meeting).filter(event="minutes_approved").exists()


#: The fields of an action decided in the meeting (action_item_create's, of them).
MINUTES_ACTION_FIELDS = ("title", "owner", "due_date", "priority")
#: Actions one set of minutes may create at most: as many as a meeting decides, and a
#: bound on what one post makes (the page adds rows one by one up to it).
MINUTES_ACTIONS_MAX = 50


@transaction.atomic
def meeting_record_minutes(*, actor: User, meeting: Meeting, minutes: str,
                           actions: list[dict] = (), reason: str = "") -> Meeting:
    """Minute a meeting and create its actions in one go: if one action is wrong, nothing
    is saved. The meeting counts as held from then on. Each text recorded is kept as a
    version; once minutes have been approved (signed), a change is a correction and needs
    its reason, and the new version needs approving again (its signature's content no
    longer matches)."""
    meeting = locked(meeting, "partnership")
    require(actor, "governance.meeting_minute", meeting)
    if len(actions) > MINUTES_ACTIONS_MAX:
        raise ValidationError({"actions": f"At most {MINUTES_ACTIONS_MAX} actions at once."})
    if not minutes.strip():
        raise ValidationError({"minutes": "Write the minutes."})
    changed = minutes != meeting.minutes
    if changed and minutes_approved_once(meeting) and not reason.strip():
        raise ValidationError({"reason": "These minutes were approved: say why you correct "
                                         "them. The correction is kept as a new version."})
    meeting.minutes = minutes
    if meeting.status != Meeting.Status.HELD:
        meeting.status = Meeting.Status.HELD
        meeting.sequence += 1
    meeting.save(update_fields=["minutes", "status", "sequence", "updated_at"])
    if changed:
        last = meeting.minutes_versions.order_by("-number").first()
        version = MinutesVersion(partnership=meeting.partnership, meeting=meeting,
                                 number=(last.number + 1) if last else 1, text=minutes,
                                 reason=reason.strip(), created_by=actor)
        version.full_clean()
        version.save()
    for action in actions:
        action_item_create(actor=actor, partnership=meeting.partnership, meeting=meeting,
                           is_internal=meeting.is_internal, **action)
    _notify_attendees(actor=actor, meeting=meeting, kind="meeting_minutes",
                      title=f"Minutes of {meeting.title}", body=minutes[:500])
    return meeting


@transaction.atomic
def calendar_feed_create(*, actor: User) -> CalendarFeed:
    """A new secret replaces the old one, so a leaked feed URL dies by making another. One
    row per person, updated in place: two clicks at once both succeed, the last one wins."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"secret": secrets.token_urlsafe(32),
                              "created_at": timezone.now()})
    return feed


def calendar_feed_revoke(*, actor: User) -> None:
    CalendarFeed.objects.filter(user=actor).delete()


DECISION_FIELDS = ("title", "rationale", "decided_on", "meeting", "is_internal")


def _set_decided_by(decision: Decision, people) -> None:
    if people is None:
        return
    people = list(people)
    if not people:
        raise ValidationError({"decided_by": "Name who took the decision."})
    if not are_seated(decision.partnership, people):
        raise ValidationError({"decided_by": "Choose members of this partnership."})
    if decision.is_internal and any(p.organization_id != decision.author_organization_id
                                    for p in people):
        raise ValidationError({"decided_by": "An internal decision names people of your own "
                                             "organization only."})
    decision.decided_by.set(people)


@transaction.atomic
def decision_create(*, actor: User, partnership: Partnership, decided_by=(), **fields
                    ) -> Decision:
    """Log a decision; the partnership's leads and the people who took it are told."""
    require(actor, "governance.decision_create", partnership)
    decision = shared_record_create(Decision, DECISION_FIELDS, actor=actor,
                                    partnership=partnership, fields=fields)
    _set_decided_by(decision, decided_by)
    leads = User.objects.filter(memberships__partnership=partnership,
                                memberships__role=Membership.Role.LEAD)
    notify(recipients=[*leads, *decision.decided_by.all()], kind="decision_recorded",
           partnership=partnership, title=f"Decision: {decision.title}",
           url=decision.get_absolute_url(), body=decision.rationale[:500], actor=actor,
           record=decision)
    return decision


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, decided_by=None,
                    reason: str | None = None, **fields) -> Decision:
    """Change the fields given (the others, and who took it when `decided_by` is None, stay
    as they are), on the row read again under a lock. A logged decision changes only with
    a `reason` (Decision.needs_reason_for_change), or the one the page or API request gave."""
    decision = locked(decision, "partnership")
    require(actor, "governance.decision_edit", decision)
    decision = shared_record_update(decision, DECISION_FIELDS, actor=actor, fields=fields,
                                    reason=reason)
    if decided_by is None and decision.is_internal and decision.decided_by.exclude(
            organization_id=decision.author_organization_id).exists():
        raise ValidationError({"decided_by": "An internal decision names people of your own "
                                             "organization only."})
    _set_decided_by(decision, decided_by)
    return decision


# --- Reminders before a meeting (the job in governance.meetings.tasks) --------------------

#: Each reminder: (its kind, how long before the start it goes). A meeting scheduled
#: closer to its start than a reminder's lead gets the nearer one only.
MEETING_REMINDERS = (
    ("meeting_day_before", datetime.timedelta(days=1)),
    ("meeting_hour_before", datetime.timedelta(hours=1)),
)


def meeting_dues(kind: str, *, now: datetime.datetime, ahead: datetime.timedelta = NO_TIME,
                 user: User | None = None, partnerships: Batch = None) -> list[Due]:
    """The scheduled meetings whose reminder `kind` goes to their attendees within `ahead`
    from now (now: the job), of those `user` sees when given; one query, with the
    attendees. The day-before title gives the start in each attendee's zone ("tomorrow at
    10:00 (your time)"), the hour-before one how soon it is ("in 1 hour")."""
    number = [code for code, _lead in MEETING_REMINDERS].index(kind)
    lead = MEETING_REMINDERS[number][1]
    nearer = MEETING_REMINDERS[number + 1][1] if number + 1 < len(MEETING_REMINDERS) \
        else datetime.timedelta(0)
    meetings = scoped(Meeting, user, partnerships).filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now + nearer,
        starts_at__lte=now + lead + ahead).select_related("partnership").prefetch_related(
        "attendees").order_by("starts_at", "pk")

    def title(meeting: Meeting):
        if kind == "meeting_hour_before":
            return f"Meeting {in_time(meeting.starts_at, now)}: {meeting.title}"
        return lambda person: f"Meeting {at_local(meeting.starts_at, person, now)}: " \
                              f"{meeting.title}"

    return [Due(record=meeting, window=meeting.starts_at, lead=lead,
                recipients=list(meeting.attendees.all()), title=title(meeting),
                when=meeting.starts_at, body=meeting.location and f"Where: {meeting.location}")
            for meeting in meetings]


def meeting_day_before_dues(**kwargs) -> list[Due]:
    return meeting_dues("meeting_day_before", **kwargs)


def meeting_hour_before_dues(**kwargs) -> list[Due]:
    return meeting_dues("meeting_hour_before", **kwargs)


def meeting_reminders_send(*, now: datetime.datetime | None = None,
                           partnerships: Batch = None) -> int:
    """Remind the attendees of each scheduled meeting a day and an hour before it starts
    (meeting_dues), once per meeting, start time and person (a rescheduled meeting reminds
    again). Returns how many people were told."""
    now = now or timezone.now()
    return sum(reminders_send(kind=kind, dues=meeting_dues(kind, now=now,
                                                          partnerships=partnerships))
               for kind, _lead in MEETING_REMINDERS)
