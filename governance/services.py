"""Writes of the governance app; each is one transaction and refuses read-only roles."""

import calendar
import datetime
import secrets
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    ActionItem,
    ActionItemEscalation,
    ActionItemOverdueReminder,
    CalendarFeed,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestEscalation,
    RequestStep,
    Risk,
    RiskReviewReminder,
    SurveyInvitation,
    SurveyResponse,
)
from governance.selectors import emergency_usage
from partnership.models import (
    EscalationLevel,
    Membership,
    Partnership,
    User,
    check_refers_to_shared,
)
from partnership.notifications.services import notify
from partnership.selectors import party_leads, party_people
from partnership.services import (
    are_seated,
    require_writer,
    shared_record_create,
    shared_record_update,
)
from portal.validation import check_dates_in_range
from portal.zones import user_zone, zoned_label

ACTION_ITEM_FIELDS = ("title", "description", "owner", "due_date", "priority", "is_internal",
                      "meeting", "request", "decision")


@transaction.atomic
def action_item_create(*, actor: User, partnership: Partnership, **fields) -> ActionItem:
    """Create an action; its source (meeting, request or decision) must be of the same
    partnership (ActionItem.clean), and the owner is told it is theirs."""
    item = shared_record_create(ActionItem, ACTION_ITEM_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)
    notify(recipients=[item.owner], kind="action_assigned", partnership=partnership,
           title=f"Action for you: {item.title}", url=item.get_absolute_url(),
           body=f"Due {item.due_date:%d %b %Y}.", actor=actor, record=item)
    return item


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, **fields) -> ActionItem:
    """Change an action; a new owner is told, as if it had just been assigned. Read again
    under a lock: the copy passed in may hold a form's unsaved values."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    previous_owner = item.owner_id
    item = shared_record_update(item, ACTION_ITEM_FIELDS, actor=actor, fields=fields)
    if item.owner_id != previous_owner:
        notify(recipients=[item.owner], kind="action_assigned",
               partnership=item.partnership, title=f"Action for you: {item.title}",
               url=item.get_absolute_url(), body=f"Due {item.due_date:%d %b %Y}.",
               actor=actor, record=item)
    return item


@transaction.atomic
def action_item_transition(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    require_writer(actor, item.partnership)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    ActionItem.WORKFLOW.check(item.status, status)
    item.status = status
    item.completed_at = timezone.now() if status in ActionItem.CLOSED else None
    item.save(update_fields=["status", "completed_at", "updated_at"])
    return item


def action_overdue_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Tell the owner of each open action, once, that it is overdue: when the day after its
    due date has begun in the owner's own zone (what their My work page says too). The
    reminder row's unique key (action, due date) is claimed in the same savepoint as the
    notification, so a second run, a second worker or a run after a crash tells nobody
    twice; a due date moved and passed again reminds again. Returns how many were told."""
    now = now or timezone.now()
    reminded = ActionItemOverdueReminder.objects.filter(action=OuterRef("pk"),
                                                        due_date=OuterRef("due_date"))
    # No zone is more than 14 hours ahead of UTC: nothing due later can be overdue anywhere.
    latest_today = (now + datetime.timedelta(hours=14)).date()
    candidates = ActionItem.objects.exclude(status__in=ActionItem.CLOSED).filter(
        due_date__lt=latest_today).exclude(Exists(reminded)).select_related(
        "owner", "partnership").order_by("pk")
    told = 0
    for item in candidates:
        if item.due_date >= now.astimezone(user_zone(item.owner)).date():
            continue
        with transaction.atomic():
            _, created = ActionItemOverdueReminder.objects.get_or_create(
                action=item, due_date=item.due_date)
            if created:
                notify(recipients=[item.owner], kind="action_overdue",
                       partnership=item.partnership, title=f"Action overdue: {item.title}",
                       url=item.get_absolute_url(), body=f"It was due {item.due_date:%d %b %Y}.",
                       record=item)
                told += 1
    return told


# --- Meetings, calendar feeds and decisions ---------------------------

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
    require_writer(actor, partnership)
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
    """Change one occurrence; SEQUENCE goes up so calendars replace the old copy. A held
    meeting keeps its time: it happened then, and its minutes say so."""
    require_writer(actor, meeting.partnership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
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


def _require_started(meeting: Meeting, field: str) -> None:
    if not meeting.has_started():
        raise ValidationError({field: f"The meeting starts {zoned_label(meeting.starts_at)}: "
                                      "it is marked held and minuted once it has started."})


@transaction.atomic
def meeting_transition(*, actor: User, meeting: Meeting, status: str) -> Meeting:
    require_writer(actor, meeting.partnership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    Meeting.WORKFLOW.check(meeting.status, status)
    if status == Meeting.Status.HELD:
        _require_started(meeting, "status")
    meeting.status = status
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    if status != Meeting.Status.HELD:
        verb = "cancelled" if status == Meeting.Status.CANCELLED else "rescheduled"
        _notify_attendees(actor=actor, meeting=meeting, kind="meeting_scheduled",
                          title=f"Meeting {verb}: {meeting.title}")
    return meeting


@transaction.atomic
def meeting_record_minutes(*, actor: User, meeting: Meeting, minutes: str,
                           actions: list[dict] = ()) -> Meeting:
    """Minute a meeting and create its actions in one go: if one action is wrong, nothing
    is saved. The meeting counts as held from then on."""
    require_writer(actor, meeting.partnership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"minutes": "A cancelled meeting has no minutes; "
                                          "reschedule it first."})
    _require_started(meeting, "minutes")
    if not minutes.strip():
        raise ValidationError({"minutes": "Write the minutes."})
    meeting.minutes = minutes
    if meeting.status != Meeting.Status.HELD:
        meeting.status = Meeting.Status.HELD
        meeting.sequence += 1
    meeting.save(update_fields=["minutes", "status", "sequence", "updated_at"])
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
def decision_update(*, actor: User, decision: Decision, decided_by=None, **fields
                    ) -> Decision:
    decision = shared_record_update(decision, DECISION_FIELDS, actor=actor, fields=fields)
    if decided_by is None and decision.is_internal and decision.decided_by.exclude(
            organization_id=decision.author_organization_id).exists():
        raise ValidationError({"decided_by": "An internal decision names people of your own "
                                             "organization only."})
    _set_decided_by(decision, decided_by)
    return decision


# --- Risks, notices, recognition and the feedback survey ----------------------------------

RISK_FIELDS = ("title", "description", "category", "likelihood", "impact", "owner",
               "mitigation", "review_date", "is_internal")


def _set_risk_milestones(risk: Risk, milestones) -> None:
    """A risk may threaten tech-transfer milestones of its own partnership; a shared risk
    only those both parties see (and shared_record_update checks the links again when the
    risk stops being internal). `milestones` None keeps the current ones."""
    if milestones is None:
        return
    chosen = list(milestones)
    if any(milestone.partnership_id != risk.partnership_id for milestone in chosen):
        raise ValidationError(
            {"milestones": "Choose milestones of this partnership's tech transfers."})
    check_refers_to_shared(risk, "milestones", chosen)
    risk.milestones.set(chosen)


def _notify_risk_owner(risk: Risk, actor: User) -> None:
    notify(recipients=[risk.owner], kind="risk_assigned", partnership=risk.partnership,
           title=f"Risk for you: {risk.title}", url=risk.get_absolute_url(),
           body=f"Score {risk.score} ({risk.band_label}).", actor=actor, record=risk)


@transaction.atomic
def risk_create(*, actor: User, partnership: Partnership, **fields) -> Risk:
    """Enter a risk in the register; its owner (a member, Risk.clean) is told it is theirs."""
    risk = shared_record_create(Risk, RISK_FIELDS, actor=actor, partnership=partnership,
                                fields=fields)
    _set_risk_milestones(risk, fields.get("milestones"))
    _notify_risk_owner(risk, actor)
    return risk


@transaction.atomic
def risk_update(*, actor: User, risk: Risk, **fields) -> Risk:
    """Edit a risk; a new owner is told."""
    previous_owner = Risk.objects.get(pk=risk.pk).owner_id  # not the form's copy
    milestones = fields.get("milestones")
    risk = shared_record_update(risk, RISK_FIELDS, actor=actor, fields=fields,
                                links=lambda saved: _set_risk_milestones(saved, milestones))
    if risk.owner_id != previous_owner:
        _notify_risk_owner(risk, actor)
    return risk


@transaction.atomic
def risk_transition(*, actor: User, risk: Risk, status: str) -> Risk:
    require_writer(actor, risk.partnership)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    Risk.WORKFLOW.check(risk.status, status)
    risk.status = status
    risk.save(update_fields=["status", "updated_at"])
    return risk


def risk_review_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each owner of an open risk whose review date has come, once per review date:
    the reminder row's unique key is claimed before the notification is written, in the same
    savepoint, so running the job twice (or again after a crash) reminds nobody twice."""
    today = today or timezone.localdate()
    sent = 0
    reminded = RiskReviewReminder.objects.filter(risk=OuterRef("pk"),
                                                 review_date=OuterRef("review_date"))
    due = Risk.objects.filter(status=Risk.Status.OPEN, review_date__lte=today).exclude(
        Exists(reminded)).select_related("owner", "partnership")
    for risk in due:
        with transaction.atomic():
            _, created = RiskReviewReminder.objects.get_or_create(
                risk=risk, review_date=risk.review_date)
            if created:
                notify(recipients=[risk.owner], kind="risk_assigned",
                       partnership=risk.partnership, title=f"Risk due for review: {risk.title}",
                       url=risk.get_absolute_url(),
                       body=f"Review date {risk.review_date:%d %b %Y}.", record=risk)
                sent += 1
    return sent


NOTICE_FIELDS = ("kind", "title", "body", "effective_date", "site", "is_internal")


@transaction.atomic
def notice_post(*, actor: User, partnership: Partnership, **fields) -> Notice:
    """Post a strategic notice to the other party. Never internal: its point is that the
    other party reads and acknowledges it. Their members are told."""
    fields = {**fields, "is_internal": False}
    notice = shared_record_create(Notice, NOTICE_FIELDS, actor=actor, partnership=partnership,
                                  fields=fields)
    notify(recipients=party_people(partnership=partnership, party=notice.receiving_party),
           kind="notice_posted",
           partnership=partnership, title=f"Notice to acknowledge: {notice.title}",
           url=notice.get_absolute_url(), body=notice.get_kind_display(), actor=actor,
           record=notice)
    return notice


@transaction.atomic
def notice_update(*, actor: User, notice: Notice, **fields) -> Notice:
    """Correct a notice: only its poster's party, and only until it is acknowledged (the
    other party acknowledged what it read, and that must stay what it read). The locked row
    is what changes, never the caller's copy, which a form may already have written into."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if actor.organization_id != locked.author_organization_id:
        raise PermissionDenied("Only the party that posted a notice can correct it.")
    if locked.acknowledged_at is not None:
        raise ValidationError("An acknowledged notice cannot be changed; post a new one.")
    fields = {**fields, "is_internal": False}
    return shared_record_update(locked, NOTICE_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def notice_acknowledge(*, actor: User, notice: Notice) -> Notice:
    """The other party confirms it has read the notice, once. The conditional UPDATE claims
    the acknowledgement, so two people clicking at once record only the first."""
    require_writer(actor, notice.partnership)
    if notice.partnership.party_of(actor) != notice.receiving_party:
        raise ValidationError("Only the other party can acknowledge this notice.")
    now = timezone.now()
    claimed = Notice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=actor, acknowledged_at=now, updated_at=now)
    if not claimed:
        raise ValidationError("This notice has already been acknowledged.")
    notice.refresh_from_db()
    notify(recipients=[notice.created_by], kind="notice_acknowledged",
           partnership=notice.partnership, title=f"Notice acknowledged: {notice.title}",
           url=notice.get_absolute_url(), body=f"By {actor}.", actor=actor, record=notice)
    return notice


def _require_seat(actor: User, partnership: Partnership) -> str:
    """Thanking and rating concern the relationship, not the shared work: anyone with a seat
    (viewers and steering members included) may do it. Returns the actor's party."""
    party = partnership.party_of(actor)
    if party is None or partnership.role_of(actor) in (None, "admin"):
        raise PermissionDenied("Only people with a seat in this partnership can do this.")
    return party


@transaction.atomic
def recognition_create(*, actor: User, partnership: Partnership, message: str,
                       recipients=(), team: str = "") -> Recognition:
    """Thank people (members of the OTHER party) and/or a team of the other party."""
    party = _require_seat(actor, partnership)
    recipients = list(recipients or ())
    others = party_people(partnership=partnership, party=Partnership.other_party(party))
    if not are_seated(partnership, recipients, party=Partnership.other_party(party)):
        raise ValidationError({"recipients": "Thank people of the other party who work in "
                                             "this partnership."})
    if not recipients and not team.strip():
        raise ValidationError({"recipients": "Name the people or the team you thank."})
    recognition = Recognition(partnership=partnership, created_by=actor, message=message,
                              author_organization_id=actor.organization_id,
                              team=team.strip(), is_internal=False)
    recognition.full_clean()
    recognition.save()
    recognition.recipients.set(recipients)
    if recipients:
        told, title = recipients, f"{actor} thanked you"
    else:  # a team: tell the people of that party who work in the partnership
        told = others
        title = f"{actor} thanked {recognition.team}"
    notify(recipients=told, kind="recognition", partnership=partnership, title=title,
           url=recognition.get_absolute_url(), body=message[:300], actor=actor,
           record=recognition)
    return recognition


def _already_answered(response: SurveyResponse) -> ValidationError:
    return ValidationError(f"You already answered the survey for "
                           f"{SurveyResponse.quarter_label(response.quarter)}.")


@transaction.atomic
def survey_answer(*, actor: User, partnership: Partnership, comments: str = "",
                  **scores) -> SurveyResponse:
    """Rate the other party for the current calendar quarter (UTC), once. The rated party
    follows from the actor's; the unique constraint answers a double submit with a friendly
    error, not a 500."""
    party = _require_seat(actor, partnership)
    response = SurveyResponse(
        partnership=partnership, quarter=SurveyResponse.current_quarter(), respondent=actor,
        rated_party="cdmo" if party == "sponsor" else "sponsor", comments=comments.strip(),
        **{name: scores.get(name) for name in SurveyResponse.DIMENSIONS})
    if SurveyResponse.objects.filter(partnership=partnership, quarter=response.quarter,
                                     respondent=actor).exists():
        raise _already_answered(response)
    response.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:  # a second submit that raced past the check above
        raise _already_answered(response) from error
    return response


def survey_invitations_send(*, today: datetime.date | None = None) -> int:
    """Tell every seated person once per quarter, in the quarter's first days, that the
    survey is open. Each invitation's unique key is claimed in the same savepoint as its
    notification, so a second run (or one after a crash) notifies nobody twice."""
    today = today or timezone.now().astimezone(datetime.UTC).date()
    quarter = SurveyResponse.quarter_of(today)
    if (today - quarter).days >= SurveyResponse.INVITATION_DAYS:
        return 0
    answered = set(SurveyResponse.objects.filter(quarter=quarter).values_list(
        "partnership_id", "respondent_id"))
    invited = set(SurveyInvitation.objects.filter(quarter=quarter).values_list(
        "partnership_id", "user_id"))
    sent = 0
    seats = Membership.objects.filter(user__is_active=True).select_related(
        "partnership", "user").order_by("pk")
    for seat in seats:
        key = (seat.partnership_id, seat.user_id)
        if key in answered or key in invited:
            continue
        with transaction.atomic():
            _, created = SurveyInvitation.objects.get_or_create(
                partnership=seat.partnership, quarter=quarter, user=seat.user)
            if created:
                notify(recipients=[seat.user], kind="survey_open",
                       partnership=seat.partnership,
                       title=f"Feedback survey {SurveyResponse.quarter_label(quarter)} is open",
                       url=reverse("governance:survey", args=[seat.partnership_id]),
                       body="Rate the other party on five points; it takes two minutes.")
                sent += 1
    return sent


# --- Formal requests ------------------------------------------------------

REQUEST_FIELDS = ("title", "description", "kind", "urgency", "needed_by", "assignee",
                  "emergency_justification")
REQUEST_EDIT_FIELDS = ("title", "description", "kind", "needed_by", "assignee")


def _check_assignee(request: Request, assignee: User | None) -> None:
    """Who answers must hold a seat in the partnership, of the receiving party, in a role
    that acts (acknowledging, fulfilling want a writer)."""
    if not are_seated(request.partnership, [assignee], party=request.receiving_party,
                      roles=Membership.WRITING_ROLES):
        raise ValidationError({"assignee": "Choose a member of the receiving party who can "
                                           "act on it (a lead, member or QA lead)."})


def _set_request_milestones(request: Request, milestones) -> None:
    """A request is read by both parties, so it waits only on milestones both parties see:
    never on one of a tech transfer (or program) internal to one of them."""
    if milestones is None:
        return
    milestones = list(milestones)
    if any(m.partnership_id != request.partnership_id for m in milestones):
        raise ValidationError({"milestones": "Choose milestones of this partnership."})
    check_refers_to_shared(request, "milestones", milestones)
    request.milestones.set(milestones)


def _record_step(request: Request, step: str, actor: User, note: str = "") -> None:
    RequestStep.objects.create(partnership_id=request.partnership_id, request=request,
                               step=step, status=request.status, actor=actor, note=note)


def _require_party(actor: User, partnership: Partnership) -> str:
    party = partnership.party_of(actor)
    if party is None:
        raise PermissionDenied("Only people of the sponsor or the CDMO send requests.")
    return party


@transaction.atomic
def request_send(*, actor: User, partnership: Partnership, milestones=None, **fields
                 ) -> Request:
    """Send a request from the actor's party to the other. An emergency beyond the party's
    monthly budget needs a written justification, which the steering committee members of
    both parties receive: "when everything is an emergency, nothing works"."""
    require_writer(actor, partnership)
    party = _require_party(actor, partnership)
    # Lock the partnership row: two emergencies sent at once cannot both fit the budget.
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    now = timezone.now()
    request = Request(partnership=partnership, author_organization_id=actor.organization_id,
                      created_by=actor, requested_by_party=party, sent_at=now,
                      acknowledge_by=now + datetime.timedelta(
                          hours=partnership.acknowledgement_hours),
                      **{name: fields[name] for name in REQUEST_FIELDS if name in fields})
    request.is_internal = False  # a formal ask is for the other party to see
    if request.urgency == Request.Urgency.EMERGENCY:
        used, budget = emergency_usage(partnership=partnership, now=now)[party]
        if used >= budget:
            if not (request.emergency_justification or "").strip():
                raise ValidationError({"emergency_justification": (
                    f"Your party has used {used} of {budget} emergencies this month (UTC): "
                    "explain why this one cannot wait (the steering committee will read it).")})
            request.over_emergency_budget = True
    else:
        request.emergency_justification = ""
    request.full_clean()
    _check_assignee(request, request.assignee)
    request.save()
    _set_request_milestones(request, milestones)
    _record_step(request, "send", actor)
    notify(recipients=[*party_people(partnership=partnership, party=request.receiving_party),
                       request.assignee],
           kind="request_received", partnership=partnership,
           title=f"New {request.get_urgency_display().lower()} request: {request.title}",
           url=request.get_absolute_url(),
           body="Acknowledgement is due at the time shown.", when=request.acknowledge_by,
           actor=actor, record=request)
    if request.over_emergency_budget:
        notify(recipients=User.objects.filter(memberships__partnership=partnership,
                                              memberships__role=Membership.Role.STEERING),
               kind="emergency_over_budget", partnership=partnership,
               title=f"Emergency over budget: {request.title}",
               url=request.get_absolute_url(), body=request.emergency_justification,
               actor=actor, record=request)
    return request


@transaction.atomic
def request_update(*, actor: User, request: Request, milestones=None, **fields) -> Request:
    """The requester corrects its request until the receiver has acknowledged it. Urgency
    stays as sent (the emergency budget counted it): cancel and send again to change it."""
    require_writer(actor, request.partnership)
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.side_of(actor) != "requester":
        raise ValidationError({"status": "Only the party that sent the request edits it."})
    if request.status not in Request.EDITABLE:
        raise ValidationError({"status": "An acknowledged request is no longer edited; "
                                         "cancel it or ask the other party."})
    for name in REQUEST_EDIT_FIELDS:
        if name in fields:
            setattr(request, name, fields[name])
    request.full_clean()
    _check_assignee(request, request.assignee)
    request.save()
    _set_request_milestones(request, milestones)
    return request


def _take_step(*, actor: User, request: Request, step: str, note: str = "",
               **changes) -> Request:
    """Move the request one step, if the actor's party may take it, record it on the
    timeline and tell the other side (the sender, and whoever answers for the receiver)."""
    require_writer(actor, request.partnership)
    request = Request.objects.select_for_update(of=("self",)).select_related(
        "partnership", "created_by", "assignee").get(pk=request.pk)
    request.status = request.check_step(step, actor)
    for name, value in changes.items():
        setattr(request, name, value)
    request.full_clean()
    request.save()
    _record_step(request, step, actor, note)
    recipients = [request.created_by, request.assignee]
    if request.side_of(actor) == "requester" and request.assignee is None:
        recipients += list(party_people(partnership=request.partnership,
                                        party=request.receiving_party))
    label = Request.STEPS[step][3]
    notify(recipients=recipients, kind="request_updated", partnership=request.partnership,
           title=f"{request.title}: {request.get_status_display().lower()}",
           url=request.get_absolute_url(), body=note or f"{actor}: {label}.", actor=actor,
           record=request)
    return request


def _required(value: str | None, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


@transaction.atomic
def request_acknowledge(*, actor: User, request: Request,
                        committed_date: datetime.date | None, assignee: User | None = None
                        ) -> Request:
    """Accept the request with the date the receiver commits to. Whoever acknowledges
    answers for it unless they name a colleague. Everything is checked before the step is
    taken, so a wrong assignee records and tells nothing."""
    require_writer(actor, request.partnership)
    request.check_step("acknowledge", actor)  # who may, first; again under the lock below
    if committed_date is None:
        raise ValidationError({"committed_date": "Commit to a date."})
    if committed_date < timezone.localdate():
        raise ValidationError({"committed_date": "The committed date cannot be in the past."})
    if assignee is None and request.assignee_id is None and Membership.objects.filter(
            partnership_id=request.partnership_id, user=actor).exists():
        assignee = actor  # an org admin without a seat answers for nothing by default
    assignee = assignee or request.assignee
    _check_assignee(request, assignee)
    return _take_step(actor=actor, request=request, step="acknowledge",
                      note=f"Committed to {committed_date:%d %b %Y}.",
                      committed_date=committed_date, acknowledged_at=timezone.now(),
                      assignee=assignee)


@transaction.atomic
def request_query(*, actor: User, request: Request, question: str) -> Request:
    question = _required(question, "question", "Write the question.")
    return _take_step(actor=actor, request=request, step="query", note=question,
                      question=question)


@transaction.atomic
def request_answer(*, actor: User, request: Request, answer: str) -> Request:
    """Answering sends the request again: the receiver gets the agreed time afresh to
    acknowledge it, and may be told once more if that runs out."""
    answer = _required(answer, "answer", "Write the answer.")
    now = timezone.now()
    hours = request.partnership.acknowledgement_hours
    return _take_step(actor=actor, request=request, step="answer", note=answer, answer=answer,
                      acknowledge_by=now + datetime.timedelta(hours=hours),
                      late_notified_at=None)


@transaction.atomic
def request_start(*, actor: User, request: Request) -> Request:
    return _take_step(actor=actor, request=request, step="start")


@transaction.atomic
def request_fulfil(*, actor: User, request: Request, fulfilment_note: str) -> Request:
    note = _required(fulfilment_note, "fulfilment_note", "Say what was delivered.")
    return _take_step(actor=actor, request=request, step="fulfil", note=note,
                      fulfilment_note=note, fulfilled_at=timezone.now())


@transaction.atomic
def request_accept(*, actor: User, request: Request) -> Request:
    return _take_step(actor=actor, request=request, step="accept", closed_at=timezone.now())


@transaction.atomic
def request_reopen(*, actor: User, request: Request, reason: str) -> Request:
    reason = _required(reason, "reopen_reason", "Say what is missing.")
    return _take_step(actor=actor, request=request, step="reopen", note=reason,
                      reopen_reason=reason, fulfilled_at=None)


@transaction.atomic
def request_cancel(*, actor: User, request: Request, reason: str = "") -> Request:
    return _take_step(actor=actor, request=request, step="cancel", note=(reason or "").strip(),
                      closed_at=timezone.now())


@transaction.atomic
def request_relay(*, actor: User, request: Request, target_partnership: Partnership,
                  title: str, description: str, urgency: str, kind: str,
                  needed_by: datetime.date | None = None, emergency_justification: str = ""
                  ) -> Request:
    """The sponsor relays a request into another of its partnerships (a manufacturing
    question to the testing lab). The new request carries only what the sponsor writes
    here; the link back is shown only to people who can see both (selectors.request_links).
    An emergency counts against the sponsor's budget in the target partnership.
    """
    partnership = request.partnership
    if actor.organization_id != partnership.sponsor_id:
        raise PermissionDenied("Only the sponsor relays a request to another partnership.")
    require_writer(actor, partnership)
    if not request.is_open:
        raise ValidationError(f"A request that is {request.get_status_display().lower()} is "
                              "no longer relayed; send a new request in the other "
                              "partnership instead.")
    if target_partnership.pk == partnership.pk or \
            target_partnership.sponsor_id != partnership.sponsor_id or \
            not target_partnership.can_write(actor):
        raise ValidationError({"target_partnership": "Choose another partnership of your "
                                                     "organization where you work."})
    relay = request_send(actor=actor, partnership=target_partnership, title=title,
                         description=description, urgency=urgency, kind=kind,
                         needed_by=needed_by, emergency_justification=emergency_justification)
    relay.relayed_from = request
    relay.save(update_fields=["relayed_from"])
    return relay


def request_notify_late(*, now: datetime.datetime | None = None) -> int:
    """Tell the receiving party's leads (its writers, if it has no lead), once per
    acknowledgement window, that a request waits for acknowledgement past the agreed time.
    Each request is claimed by a conditional UPDATE of `late_notified_at` in the same
    transaction as its notification, so a second run, or two workers at once, notify nobody
    twice. The claim checks the late rule again: a request queried and answered since the
    listing has a fresh window, which must not be used up now. Returns how many were told."""
    now = now or timezone.now()
    unclaimed = Request.objects.late(now).filter(late_notified_at__isnull=True)
    told = 0
    for pk in unclaimed.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            if not unclaimed.filter(pk=pk).update(late_notified_at=now):
                continue
            request = Request.objects.select_related("partnership").get(pk=pk)
            leads = party_leads(partnership=request.partnership, party=request.receiving_party)
            notify(recipients=[*leads, request.assignee], kind="request_late",
                   partnership=request.partnership,
                   title=f"Not acknowledged in time: {request.title}",
                   url=request.get_absolute_url(),
                   body="Acknowledgement was due at the time shown.",
                   when=request.acknowledge_by, record=request)
            told += 1
    return told


# --- Escalation along the partnership's path (DESIGN §4) ----------------------------------

def _escalation_paths(partnerships: QuerySet[Partnership] | None
                      ) -> dict[int, list[EscalationLevel]]:
    """{partnership id: its levels, lowest first, people loaded}: two queries for all."""
    levels = EscalationLevel.objects.all()
    if partnerships is not None:
        levels = levels.filter(partnership__in=partnerships)
    paths: dict[int, list[EscalationLevel]] = {}
    for level in levels.prefetch_related("people").order_by("partnership_id", "level"):
        paths.setdefault(level.partnership_id, []).append(level)
    return paths


def _with_current_step(items, model, parent: str, window: str):
    """`items` annotated with the highest level reached in their current window, when it
    was reached and the days it allowed (None when the window has not escalated yet)."""
    latest = model.objects.filter(**{parent: OuterRef("pk"), window: OuterRef(window)}
                                  ).order_by("-level")
    return items.annotate(**{f"current_{name}": Subquery(latest.values(name)[:1])
                             for name in ("level", "reached_at", "days_allowed")})


def _next_level(levels: list[EscalationLevel], item,
                now: datetime.datetime) -> EscalationLevel | None:
    """The level `item` moves to now, if any: the first level as soon as it is late or
    overdue; the next one up once it has waited the current level's days there (counted
    from when that level was reached and told); none beyond the last."""
    if item.current_level is None:
        return levels[0]
    if now < item.current_reached_at + datetime.timedelta(days=item.current_days_allowed):
        return None
    return next((level for level in levels if level.level > item.current_level), None)


def _escalate(*, model, still_due, now: datetime.datetime, level: EscalationLevel, item,
              window: dict, body: str, when: datetime.datetime) -> bool:
    """Record one step and tell the level's people, in one savepoint; True if it was new.
    The unique key (item, window, level) is claimed before anything is said, so a second
    run or a second worker tells nobody twice, and a run killed half-way rolls both back
    and leaves the step to the next run. `still_due` checks the item again first: acted on
    since the job listed it, it escalates no further."""
    with transaction.atomic():
        if not still_due.exists():
            return False
        _, created = model.objects.get_or_create(
            **window, level=level.level,
            defaults={"partnership_id": item.partnership_id, "level_name": level.name,
                      "days_allowed": level.days_allowed, "reached_at": now})
        if created:
            notify(recipients=level.people.all(), kind="escalated",
                   partnership=item.partnership,
                   title=f"Escalated to level {level.level} ({level.name}): {item.title}",
                   url=item.get_absolute_url(), body=body, when=when, record=item)
    return created


def _moves_up(levels: list[EscalationLevel], level: EscalationLevel) -> str:
    above = next((other for other in levels if other.level > level.level), None)
    if above is None:
        return "This is the last level of the escalation path."
    return f"In {level.days_allowed} days, if it still waits, it moves up to level " \
        f"{above.level} ({above.name})."


def escalations_advance(*, now: datetime.datetime | None = None,
                        partnerships: QuerySet[Partnership] | None = None) -> int:
    """Move each late request and overdue action one level up its partnership's escalation
    path when it is due to, recording the step and telling that level's people.

    - A request escalates while it is late (Request.objects.late: sent, unacknowledged, past
      `acknowledge_by`); an action while it is open and its due date is before today in UTC
      (one calendar for both parties, unlike the owner's own reminder, which follows the
      owner's zone). Level 1 comes at once; it "became late" at `acknowledge_by`, or at
      midnight UTC after the due date (the notices' `when`).
    - Level k+1 comes once the item has waited level k's days since level k was reached
      and told (its recorded `reached_at`), so every level gets its full days even after
      the job was down. One level per item per run: a job that ran late catches up one
      level per run, never telling three levels at once.
    - Acknowledged, queried or cancelled requests and done or cancelled actions stop. A new
      window (a new `acknowledge_by` once a query is answered, a new due date) starts again
      from level 1: the window is part of each step's unique key.
    - A partnership without a path escalates nothing; the late and overdue notices still go.
    - The level's people are told through notify(record=item): never anyone who cannot see
      the partnership, and for an internal action only its author organization's people.

    `partnerships` (a queryset) limits the run to those: the demo seed replays its own
    history without touching anyone else's. Returns how many steps were recorded."""
    now = now or timezone.now()
    paths = _escalation_paths(partnerships)
    if not paths:
        return 0
    steps = 0
    late = Request.objects.late(now)
    requests = _with_current_step(late.filter(partnership_id__in=list(paths)),
                                  RequestEscalation, "request", "acknowledge_by")
    for request in requests.select_related("partnership").order_by("pk"):
        levels = paths[request.partnership_id]
        level = _next_level(levels, request, now)
        if level is not None and _escalate(
                model=RequestEscalation, now=now, level=level, item=request,
                still_due=late.filter(pk=request.pk, acknowledge_by=request.acknowledge_by),
                window={"request": request, "acknowledge_by": request.acknowledge_by},
                body=f"Not acknowledged in the agreed time. {_moves_up(levels, level)}",
                when=request.acknowledge_by):
            steps += 1
    today = now.astimezone(datetime.UTC).date()
    overdue = ActionItem.objects.exclude(status__in=ActionItem.CLOSED).filter(
        due_date__lt=today)
    actions = _with_current_step(overdue.filter(partnership_id__in=list(paths)),
                                 ActionItemEscalation, "action", "due_date")
    for item in actions.select_related("partnership", "owner").order_by("pk"):
        levels = paths[item.partnership_id]
        level = _next_level(levels, item, now)
        if level is not None and _escalate(
                model=ActionItemEscalation, now=now, level=level, item=item,
                still_due=overdue.filter(pk=item.pk, due_date=item.due_date),
                window={"action": item, "due_date": item.due_date},
                body=f"Owned by {item.owner}, due {item.due_date:%d %b %Y} and still open. "
                     f"{_moves_up(levels, level)}",
                when=datetime.datetime.combine(item.due_date + datetime.timedelta(days=1),
                                               datetime.time(0), tzinfo=datetime.UTC)):
            steps += 1
    return steps
