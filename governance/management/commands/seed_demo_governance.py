"""Demo governance for the demo partnerships (run by seed_demo; idempotent): months of
meetings with minutes, decisions and actions, formal requests both ways, risks, notices,
thank-yous, survey answers and each person's bell.

The records are written through the services, by the demo's own people, so the demo obeys
the rules users do (who may write what, whom a record may name, each workflow): the
sponsor's lead schedules the meetings and gives out the actions, an action's owner moves it
along, a request is sent by one party and acknowledged by the other. A service stamps what
it does with the time it runs, and the demo's history happened over the last months: those
times are set afterwards with QuerySet.update(), each place saying so.

Dates are relative to today so the demo always has something overdue, due this week and
later, whatever day it is run. A rerun finds the records it wrote (by partnership and title,
a meeting by a UID of the demo's own) and moves them to today's plan directly: no service
moves a record in time (a held meeting keeps its time).

What the services tell people while the demo is set up is news to nobody, and is taken
back; each person's bell is seeded as it would read after months of work.
"""

import datetime
import hashlib
import uuid
import zoneinfo

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from governance.actions.services import action_item_create, action_item_transition
from governance.escalation.services import escalations_advance
from governance.management.commands.seed_demo_batches import seed_batches
from governance.management.commands.seed_demo_changes import seed_changes
from governance.management.commands.seed_demo_deviations import seed_quality_records
from governance.management.commands.seed_demo_discussions import seed_discussions
from governance.management.commands.seed_demo_quality import seed_audits
from governance.management.commands.seed_demo_sites import seed_sites
from governance.management.demo_texts import (
    ACTIONS,
    AGENDAS,
    BOARD_MINUTES,
    DECLINE_REASONS,
    HM,
    MEETING_ACTIONS,
    MEETING_DECISIONS,
    NA,
    NM,
    NOTICES,
    RECOGNITIONS,
    RELAYS,
    REQUEST_NOTES,
    REQUEST_TEXTS,
    REQUESTS,
    RISKS,
    SURVEY_COMMENTS,
    WEEKLY_MINUTES,
)
from governance.meetings.services import (
    decision_create,
    meeting_create,
    meeting_record_minutes,
    meeting_transition,
)
from governance.models import (
    ActionItem,
    ActionItemEscalation,
    Audit,
    Capa,
    CapaEscalation,
    Decision,
    Deviation,
    Inspection,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestEscalation,
    RequestStep,
    Risk,
    SiteQualification,
    Subcontractor,
    SurveyResponse,
)
from governance.relationship.services import (
    notice_acknowledge,
    notice_post,
    recognition_create,
    survey_answer,
)
from governance.requests import services as requests
from governance.requests.selectors import month_start_utc
from governance.risks.services import risk_create, risk_transition
from partnership.management.commands.seed_demo import demo_password
from partnership.models import Membership, Milestone, Partnership, Site, User
from partnership.notifications.models import Delivery, Notification, NotificationPreference
from partnership.signatures.services import is_complete, sign


class Command(BaseCommand):
    help = "Create or update the demo governance records."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        seed_risks_and_feedback(today)
        for pair, title, email, days, priority, status in ACTIONS:
            _seed_action(_partnership(pair), title, owner=User.objects.get(email=email),
                         due_date=today + datetime.timedelta(days=days), priority=priority,
                         status=status)
        seed_requests(today)
        seed_meetings(today)
        seed_audits(today)
        seed_sites(today)  # the sites' qualification, after the audits it reads
        seed_batches(today)  # before the deviations that name the lots
        seed_quality_records()
        seed_changes()
        seed_discussions()  # the files delivered, on the requests and deliverables
        # by name: governance imports no later app. The KPI seed quotes its published
        # values in the business reviews' minutes, which are approved after it.
        call_command("seed_demo_metrics")
        approve_minutes()
        Notification.objects.filter(pk__gt=last_notification).delete()
        seed_notifications(today)
        backdate_creation(today)
        seed_escalations()
        seed_reminders()


def _partnership(pair) -> Partnership:
    return Partnership.objects.select_related("sponsor", "cdmo").get(
        sponsor__name=pair[0], cdmo__name=pair[1])


def _lead(partnership: Partnership, party: str = "sponsor") -> User:
    """The party's lead in the partnership: who writes the demo's records of that side."""
    return User.objects.filter(
        organization_id=partnership.organization_id_of(party),
        memberships__partnership=partnership, memberships__role=Membership.Role.LEAD,
    ).order_by("pk").first()


#: The steps of an action's workflow that bring a new action to a status of the plan.
ACTION_STEPS = {"open": (), "in_progress": ("in_progress",), "done": ("done",)}


def _seed_action(partnership: Partnership, title: str, *, owner: User,
                 due_date: datetime.date, priority: str, status: str, meeting=None,
                 decision=None) -> None:
    """An action the sponsor's lead gives out, which its owner has moved to `status`."""
    item = ActionItem.objects.filter(partnership=partnership, title=title).first()
    if item is None:
        item = action_item_create(actor=_lead(partnership), partnership=partnership,
                                  title=title, owner=owner, due_date=due_date,
                                  priority=priority, meeting=meeting, decision=decision)
        for step in ACTION_STEPS[status]:
            item = action_item_transition(actor=owner, item=item, status=step)
        return
    # A rerun moves the action to today's plan (module docstring).
    ActionItem.objects.filter(pk=item.pk).update(
        owner=owner, priority=priority, due_date=due_date, status=status, meeting=meeting,
        decision=decision,
        completed_at=timezone.now() if status in ActionItem.CLOSED else None)


def backdate_creation(today: datetime.date) -> None:
    """Give the demo's records the creation times they would have had (an action some days
    before it falls due, a meeting a week before it starts, a request when it was sent), so
    the cockpit's recent activity reads like months of work, not 'all 0 minutes ago'."""
    now = timezone.now()
    noon = datetime.time(12, 0, tzinfo=datetime.UTC)
    for item in ActionItem.objects.only("pk", "due_date"):
        moment = datetime.datetime.combine(item.due_date - datetime.timedelta(days=10), noon)
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=min(moment, now - datetime.timedelta(hours=5 + item.pk % 40)))
    for meeting in Meeting.objects.select_related("series").only(
            "pk", "starts_at", "series__starts_at"):
        # A series is scheduled at once, a week before its first meeting; a one-off meeting
        # three weeks ahead.
        first = meeting.series or meeting
        ahead = datetime.timedelta(days=7 if meeting.series_id or first.occurrences.exists()
                                   else 21)
        # One planned further ahead than that was scheduled some days ago, not at seeding.
        moment = min(first.starts_at - ahead, now - datetime.timedelta(days=2 + meeting.pk % 9))
        Meeting.objects.filter(pk=meeting.pk).update(created_at=moment)
    for decision in Decision.objects.only("pk", "decided_on"):
        moment = datetime.datetime.combine(decision.decided_on, noon)
        Decision.objects.filter(pk=decision.pk).update(created_at=min(moment, now))
    for request in Request.objects.only("pk", "sent_at"):
        Request.objects.filter(pk=request.pk).update(created_at=request.sent_at)
    for index, risk in enumerate(Risk.objects.order_by("pk").only("pk")):
        ago = datetime.timedelta(days=20 + 13 * index % 120)
        Risk.objects.filter(pk=risk.pk).update(created_at=now - ago)
    _backdate_quality(now, noon)


def _backdate_quality(now: datetime.datetime, noon: datetime.time) -> None:
    """The quality records likewise: an audit planned six weeks ahead, a deviation entered
    two hours after it was detected, an inspection noted two days after it, a subcontractor
    asked for two weeks before its permission, a site's qualification opened a month before
    its status last changed (an inspection and a subcontractor are dated by when they were
    entered)."""
    def at(day: datetime.date, days: int) -> datetime.datetime:
        return min(datetime.datetime.combine(day + datetime.timedelta(days=days), noon),
                   now - datetime.timedelta(hours=6))

    for audit in Audit.objects.only("pk", "planned_start"):
        Audit.objects.filter(pk=audit.pk).update(created_at=at(audit.planned_start, -42))
    for inspection in Inspection.objects.only("pk", "inspected_on"):
        Inspection.objects.filter(pk=inspection.pk).update(
            entered_at=at(inspection.inspected_on, 2))
    for subcontractor in Subcontractor.objects.only("pk", "permission_date"):
        day = subcontractor.permission_date or now.date() - datetime.timedelta(days=20)
        Subcontractor.objects.filter(pk=subcontractor.pk).update(entered_at=at(day, -14))
    for deviation in Deviation.objects.only("pk", "detected_at"):
        moment = deviation.detected_at + datetime.timedelta(hours=2)
        Deviation.objects.filter(pk=deviation.pk).update(
            created_at=min(moment, now - datetime.timedelta(hours=6)))
    for qualification in SiteQualification.objects.only("pk", "status_changed_at"):
        changed = qualification.status_changed_at or now
        SiteQualification.objects.filter(pk=qualification.pk).update(
            created_at=at(changed.date(), -30))


# --- Meetings, minutes, decisions and meeting actions -----------------

MAIN_SITES = {"Northwind Biologics": "Northwind Basel", "Helix Therapeutics": "Helix San Diego",
              "Meridian Biomanufacturing": "Meridian Boston",
              "Aurora Analytical Labs": "Aurora Milan"}
MEETING_PLANS = {
    # partnership: weekly title, weekday (0 = Monday), local time at the sponsor's main site,
    # the sponsor's zone, location, people: as the communication plan says (seed_demo.PLANS)
    NM: ("Weekly supply check-in", 1, datetime.time(15, 0), "Europe/Zurich",
         "Teams: Northwind–Meridian weekly",
         ["nora@northwind.example", "quinn@northwind.example", "mei@meridian.example",
          "ravi@meridian.example"]),
    NA: ("Weekly testing sync", 3, datetime.time(14, 0), "Europe/Zurich",
         "Zoom: Northwind–Aurora lab sync",
         ["nora@northwind.example", "quinn@northwind.example", "ari@aurora.example"]),
    HM: ("Weekly campaign check-in", 1, datetime.time(17, 0), "America/Los_Angeles",
         "Teams: Helix–Meridian weekly",
         ["hana@helix.example", "max@meridian.example"]),
}
#: The local time (in the sponsor's zone, as the plan says) of the steering committees and
#: business reviews.
BOARD_TIMES = {NM: datetime.time(15, 0), NA: datetime.time(10, 0),
               HM: datetime.time(17, 0)}
STEERING = {NM: ["sam@northwind.example", "nora@northwind.example", "mei@meridian.example",
                 "victor@meridian.example"],
            NA: ["sam@northwind.example", "nora@northwind.example", "ari@aurora.example",
                 "marco@aurora.example"],
            HM: ["carmen@helix.example", "hana@helix.example", "max@meridian.example",
                 "victor@meridian.example"]}


def _people(emails):
    return list(User.objects.filter(email__in=emails))


def _uid(partnership: Partnership, key: str) -> uuid.UUID:
    """The demo's own UID of a meeting of its plan (partnership + plan key), so a rerun on
    another day moves the same meetings instead of adding new ones."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"lockstep-demo/{partnership.pk}/{key}")


def _replan_meeting(partnership: Partnership, key: str, *, attendees, **fields) -> Meeting:
    """A rerun: the meeting of the plan moves to today's plan (module docstring)."""
    meeting = Meeting.objects.get(uid=_uid(partnership, key))
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    meeting.attendees.set(attendees)
    return Meeting.objects.get(pk=meeting.pk)


def _take_place(meeting: Meeting, key: str, *, status: str, minutes: str, actor: User
                ) -> Meeting:
    """A new meeting of the plan as it went: given the demo's UID (the service gives a
    random one), minuted if it was held, cancelled if it was."""
    Meeting.objects.filter(pk=meeting.pk).update(uid=_uid(meeting.partnership, key))
    if status == Meeting.Status.HELD:
        return meeting_record_minutes(actor=actor, meeting=meeting, minutes=minutes)
    if status == Meeting.Status.CANCELLED:
        return meeting_transition(actor=actor, meeting=meeting, status=status)
    return meeting


def _seed_series(partnership: Partnership, plan, today: datetime.date, meetings: dict,
                 pair) -> None:
    """Three months of weekly check-ins with minutes (one cancelled) and six weeks ahead:
    one series, scheduled by the sponsor's lead in the sponsor's wall-clock time."""
    title, weekday, local_time, zone, location, emails = plan
    people = _people(emails)
    first_day = today - datetime.timedelta(weeks=12, days=(today.weekday() - weekday) % 7)
    last_day = first_day + datetime.timedelta(weeks=18)
    weeks = []
    for week in range(19):
        day = first_day + datetime.timedelta(weeks=week)
        # Wall-clock time of the sponsor, as the portal repeats a series (UTC shifts when
        # summer time starts or ends).
        starts = datetime.datetime.combine(day, local_time, zoneinfo.ZoneInfo(zone))
        status = "cancelled" if week == 7 else "held" if day < today else "scheduled"
        weeks.append((f"weekly-{week}", starts, status,
                      WEEKLY_MINUTES[pair][week] if status == "held" else ""))
    series = dict(title=title, kind="weekly_check_in", duration_minutes=45,
                  location=location, recurrence="weekly", repeat_until=last_day,
                  agenda=AGENDAS[pair][0])
    if Meeting.objects.filter(uid=_uid(partnership, "weekly-0")).exists():
        head = None
        occurrences = []
        for key, starts, status, minutes in weeks:
            meeting = _replan_meeting(partnership, key, attendees=people, series=head,
                                      starts_at=starts, status=status, minutes=minutes,
                                      **series)
            head = head or meeting
            occurrences.append(meeting)
    else:
        lead = _lead(partnership)
        first = meeting_create(actor=lead, partnership=partnership, attendees=people,
                               starts_at=weeks[0][1], **series)
        occurrences = [
            _take_place(meeting, key, status=status, minutes=minutes, actor=lead)
            for meeting, (key, _starts, status, minutes) in zip(
                [first, *first.occurrences.order_by("starts_at", "pk")], weeks, strict=True)]
    for meeting, (_key, starts, status, _minutes) in zip(occurrences, weeks, strict=True):
        if starts.date() < today and status == "held":
            meetings[(pair, "weekly-past-2")] = meetings.get((pair, "weekly-past-1"))
            meetings[(pair, "weekly-past-1")] = meeting


#: How a business review's minutes begin; the KPI seed (seed_demo_metrics) follows it
#: with the published values of the periods before the meeting.
SCORECARD_REVIEWED = "Scorecard reviewed."


def seed_meetings(today: datetime.date) -> None:
    """Three months of weekly check-ins with minutes (one cancelled), six weeks ahead, a
    past and a coming QBR and steering committee, decisions from them and actions."""
    for organization, site in MAIN_SITES.items():
        if not Site.objects.filter(organization__name=organization, is_main=True).exists():
            Site.objects.filter(organization__name=organization, name=site).update(
                is_main=True)
    meetings = {}
    for pair, plan in MEETING_PLANS.items():
        partnership = _partnership(pair)
        lead = _lead(partnership)
        _seed_series(partnership, plan, today, meetings, pair)
        board = _people(STEERING[pair] + plan[5])
        steering_minutes, review_minutes = BOARD_MINUTES[pair]
        _weekly, steering_agenda, review_agenda = AGENDAS[pair]
        for key, kind, label, days, minutes, agenda in (
                ("qbr-past", "business_review", "Quarterly business review", -40,
                 f"{SCORECARD_REVIEWED} {review_minutes}", review_agenda),
                ("qbr-next", "business_review", "Quarterly business review", 50, "",
                 review_agenda),
                ("steering-past", "steering_committee", "Steering committee", -70,
                 steering_minutes, steering_agenda),
                ("steering-next", "steering_committee", "Steering committee", 20, "",
                 steering_agenda)):
            day = today + datetime.timedelta(days=days)
            # Tuesday to Thursday: a working day at both parties' sites, also where the
            # sponsor's afternoon is the CDMO's next morning.
            day += datetime.timedelta(days=(1 - day.weekday()) % 7 if day.weekday() not in
                                      (1, 2, 3) else 0)
            fields = dict(title=label, kind=kind, duration_minutes=120,
                          starts_at=datetime.datetime.combine(
                              day, BOARD_TIMES[pair], zoneinfo.ZoneInfo(plan[3])),
                          location="On site" if kind == "business_review" else "Teams",
                          agenda=agenda)
            status = "held" if minutes else "scheduled"
            existing = Meeting.objects.filter(uid=_uid(partnership, key)).first()
            if existing is not None:
                if minutes.startswith(SCORECARD_REVIEWED) and \
                        existing.minutes.startswith(SCORECARD_REVIEWED) and \
                        existing.minutes.endswith(review_minutes):
                    minutes = existing.minutes  # as the KPI seed completed them
                meetings[(pair, key)] = _replan_meeting(partnership, key, attendees=board,
                                                        minutes=minutes, status=status,
                                                        **fields)
            else:
                meetings[(pair, key)] = _take_place(
                    meeting_create(actor=lead, partnership=partnership, attendees=board,
                                   **fields), key, status=status, minutes=minutes, actor=lead)
        for title, rationale, key, deciders in MEETING_DECISIONS[pair]:
            meeting = meetings[(pair, key)]
            fields = {"rationale": rationale, "meeting": meeting,
                      "decided_on": timezone.localdate(meeting.starts_at)}
            decision = Decision.objects.filter(partnership=partnership, title=title).first()
            if decision is None:
                decision_create(actor=lead, partnership=partnership, title=title,
                                decided_by=_people(deciders), **fields)
            else:  # a rerun (module docstring)
                Decision.objects.filter(pk=decision.pk).update(**fields)
                decision.decided_by.set(_people(deciders))
    for pair, title, email, key, days, status, decision in MEETING_ACTIONS:
        partnership = _partnership(pair)
        _seed_action(partnership, title, owner=User.objects.get(email=email),
                     due_date=today + datetime.timedelta(days=days), priority="medium",
                     status=status, meeting=meetings[(pair, key)],
                     decision=Decision.objects.filter(partnership=partnership,
                                                      title=decision).first())


def approve_minutes() -> None:
    """Held meetings have approved minutes: signed once the KPI seed has written the
    published figures into the business reviews' minutes (seed_demo_metrics)."""
    for pair in MEETING_PLANS:
        _approve_minutes(_partnership(pair))


def _approve_minutes(partnership: Partnership) -> None:
    """Held meetings have approved minutes: the CDMO's lead signs those not yet approved
    for their current text (a rerun moves the meetings to today's plan, which changes the
    signed content; the earlier approval then shows as no longer valid)."""
    approver = _lead(partnership, "cdmo")
    for meeting in Meeting.objects.filter(partnership=partnership, status=Meeting.Status.HELD,
                                          is_internal=False).exclude(minutes=""):
        if not is_complete(meeting, "minutes_approved"):
            sign(actor=approver, record=meeting, event="minutes_approved",
                 meaning="approval", password=demo_password())


# --- Risks, notices, recognition and the feedback survey -------------


def _survey_comment(pair, email: str, number: int) -> str:
    party = "cdmo" if email.endswith(("@meridian.example", "@aurora.example")) else "sponsor"
    comments = SURVEY_COMMENTS[(pair, party)]
    return comments[number % len(comments)]


# Added to responsiveness and alignment by quarter age: a dip three quarters ago, better
# since, so the results page shows a trend.
SURVEY_TREND = {1: 1, 3: -1}


def _survey_answers(today: datetime.date):
    """(partnership, respondent, quarter, base score, age, comment) for the open quarter
    (age 0) and the four before it. Results are published for a closed quarter with at
    least three answers about a party, so: Northwind's three seated people rate Meridian and
    Aurora every quarter (published, with trends and comments), except that Sam skipped the
    oldest quarter in Northwind–Meridian (fewer than three: nothing shown). Mei, Ravi and
    Tomas rate Northwind the same way, so both directions are published there. Aurora in
    Northwind–Aurora and both parties of Helix–Meridian have fewer than three seated people,
    so their ratings stay unpublished (the page says why); they answer all the same. In the
    open quarter Quinn and Sam have rated Meridian so far, and Nora has the form still to
    fill in."""
    quarter = SurveyResponse.quarter_of(today)
    for index, email in enumerate(("quinn@northwind.example", "sam@northwind.example")):
        yield NM, email, quarter, 3, 0, _survey_comment(NM, email, index)
    for age in range(1, 5):
        quarter = SurveyResponse.previous_quarter(quarter)
        sam = [(NM, "sam@northwind.example")] if age != 4 else []
        raters = [(NM, "nora@northwind.example"), (NM, "quinn@northwind.example"), *sam,
                  (NM, "mei@meridian.example"), (NM, "ravi@meridian.example"),
                  (NM, "tomas@meridian.example"),
                  (NA, "ari@aurora.example"), (NA, "nora@northwind.example"),
                  (NA, "quinn@northwind.example"), (NA, "sam@northwind.example"),
                  (HM, "hana@helix.example"), (HM, "max@meridian.example")]
        for index, (pair, email) in enumerate(raters):
            comment = _survey_comment(pair, email, index + age)
            # Scores from 2 to 4 that differ by person and quarter, yet are the same at
            # every seeding (a hash, not chance).
            spread = hashlib.sha256(f"{email}{quarter}".encode()).digest()[0] % 3
            yield pair, email, quarter, 2 + spread, age, comment


def seed_risks_and_feedback(today: datetime.date) -> None:
    """Risk registers spread over the grid (some reviews overdue, one risk on a milestone),
    notices (one awaiting acknowledgement per CDMO), thank-yous and survey answers."""
    people = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    partnerships = {
        (p.sponsor.name, p.cdmo.name): p
        for p in Partnership.objects.select_related("sponsor", "cdmo")}
    _seed_risks(today, people, partnerships)
    _seed_notices(today, people, partnerships)
    _seed_recognitions(people, partnerships)
    _seed_survey(today, people, partnerships)


def _seed_risks(today: datetime.date, people: dict, partnerships: dict) -> None:
    """Each risk recorded by its owner (by the owner's party's lead when the owner only
    reads, as a steering member does), and closed by them if the plan says so."""
    day = datetime.timedelta(days=1)
    for pair, title, category, likelihood, impact, owner, review, status, internal, milestone, \
            mitigation in RISKS:
        partnership, owner = partnerships[pair], people[owner]
        fields = {"category": category, "likelihood": likelihood, "impact": impact,
                  "owner": owner, "mitigation": mitigation, "is_internal": internal,
                  "review_date": None if review is None else today + review * day}
        milestones = Milestone.objects.filter(
            partnership=partnership, tech_transfer__title=milestone[0],
            kind=milestone[1]) if milestone else Milestone.objects.none()
        risk = Risk.objects.filter(partnership=partnership, title=title).first()
        if risk is None:
            actor = owner if partnership.can_write(owner) else \
                _lead(partnership, partnership.party_of(owner))
            risk = risk_create(actor=actor, partnership=partnership, title=title,
                               milestones=milestones, **fields)
            if status != risk.status:
                risk_transition(actor=actor, risk=risk, status=status)
        else:  # a rerun (module docstring)
            Risk.objects.filter(pk=risk.pk).update(status=status, **fields)
            risk.milestones.set(milestones)


def _seed_notices(today: datetime.date, people: dict, partnerships: dict) -> None:
    """Each notice posted by one party, and acknowledged by the other where the plan says."""
    now, day = timezone.now(), datetime.timedelta(days=1)
    for pair, poster, kind, title, body, site, effective, acknowledger, age in NOTICES:
        partnership, author = partnerships[pair], people[poster]
        fields = {"kind": kind, "body": body, "site": Site.objects.filter(name=site).first(),
                  "effective_date": effective if isinstance(effective, datetime.date) else
                  None if effective is None else today + effective * day}
        notice = Notice.objects.filter(partnership=partnership, title=title).first()
        if notice is None:
            notice = notice_post(actor=author, partnership=partnership, title=title, **fields)
            if acknowledger:
                notice_acknowledge(actor=people[acknowledger], notice=notice)
        else:  # a rerun (module docstring)
            Notice.objects.filter(pk=notice.pk).update(
                acknowledged_by=people.get(acknowledger), **fields)
        # Posted `age` days ago and acknowledged two days later: the services stamp now.
        Notice.objects.filter(pk=notice.pk).update(
            created_at=now - age * day,
            acknowledged_at=now - (age - 2) * day if acknowledger else None)


def _seed_recognitions(people: dict, partnerships: dict) -> None:
    now, day = timezone.now(), datetime.timedelta(days=1)
    for pair, sender, recipients, team, message, age in RECOGNITIONS:
        partnership = partnerships[pair]
        recipients = [people[email] for email in recipients]
        recognition = Recognition.objects.filter(partnership=partnership,
                                                 message=message).first()
        if recognition is None:
            recognition = recognition_create(actor=people[sender], partnership=partnership,
                                             message=message, recipients=recipients, team=team)
        else:  # a rerun (module docstring)
            Recognition.objects.filter(pk=recognition.pk).update(team=team)
            recognition.recipients.set(recipients)
        # Said `age` days ago: the service stamps now.
        Recognition.objects.filter(pk=recognition.pk).update(created_at=now - age * day)


def _seed_survey(today: datetime.date, people: dict, partnerships: dict) -> None:
    """Each answer given through the survey, which answers for the quarter it runs in; the
    answers of earlier quarters are moved to their quarter at once (so the respondent may
    answer again), oldest first and the open quarter's last."""
    plans = sorted(_survey_answers(today), key=lambda plan: -plan[4])
    for pair, email, quarter, base, age, comment in plans:
        lift = SURVEY_TREND.get(age, 0)
        partnership, person = partnerships[pair], people[email]
        scores = {"communication": base + 1, "responsiveness": base + lift,
                  "quality": min(base + 1, 5), "respect": min(base + 2, 5),
                  "alignment": base + lift}
        answer = SurveyResponse.objects.filter(partnership=partnership, quarter=quarter,
                                               respondent=person).first()
        if answer is None:
            answer = survey_answer(actor=person, partnership=partnership, comments=comment,
                                   **scores)
            SurveyResponse.objects.filter(pk=answer.pk).update(quarter=quarter)
        else:  # a rerun (module docstring)
            SurveyResponse.objects.filter(pk=answer.pk).update(comments=comment, **scores)


# --- Formal requests ------------------------------------------------------

_STEP_PATH = {"sent": ["send"], "queried": ["send", "query"],
              "acknowledged": ["send", "acknowledge"],
              "in_progress": ["send", "acknowledge", "start"],
              "fulfilled": ["send", "acknowledge", "start", "fulfil"],
              "accepted": ["send", "acknowledge", "start", "fulfil", "accept"],
              "cancelled": ["send", "cancel"], "declined": ["send", "decline"]}
_STEP_STATUS = {"send": "sent", "query": "queried", "acknowledge": "acknowledged",
                "start": "in_progress", "fulfil": "fulfilled", "accept": "accepted",
                "cancel": "cancelled", "decline": "declined"}


def _sent_at(now: datetime.datetime, days: float) -> datetime.datetime:
    """`days` ago; a request of the last day is kept inside the current UTC month (its age
    scaled to the time the month has run), so the emergencies 'of the last hours' never
    straddle two months of the budget when the demo is seeded early on the 1st."""
    ago = datetime.timedelta(days=days)
    if days < 1:
        ago = min(ago, (now - month_start_utc(now)) * days)
    return now - ago


def _mark_over_emergency_budget(emergencies) -> None:
    """Over budget exactly as request_send would have found it: when the emergencies the
    same party sent earlier in the same UTC month had used its monthly budget."""
    for request in emergencies.select_related("partnership"):
        party, partnership = request.requested_by_party, request.partnership
        earlier = Request.objects.filter(
            partnership=partnership, requested_by_party=party,
            urgency=Request.Urgency.EMERGENCY, sent_at__gte=month_start_utc(request.sent_at),
            sent_at__lt=request.sent_at).count()
        budget = getattr(partnership, f"{party}_emergency_budget")
        Request.objects.filter(pk=request.pk).update(over_emergency_budget=earlier >= budget)


def _texts(title: str) -> tuple[str, str, str]:
    """(description, question, fulfilment note) of the demo request `title`."""
    return REQUEST_TEXTS[title]


#: Every demo request says when it is needed: three weeks after it was sent, a week after the
#: fourteen days its receiver commits to once it acknowledges.
NEEDED_WITHIN_DAYS = 21


def _request_plan(partnership: Partnership, now: datetime.datetime, days: float, status: str,
                  urgency: str) -> tuple[dict, dict]:
    """({step: when}, the request's dates) of a request sent `days` ago that took the steps
    to `status` since, evenly spaced, as they stand today; due for acknowledgement within the
    partnership's agreed time for its urgency."""
    sent_at = _sent_at(now, days)
    path = _STEP_PATH[status]
    moments = {step: sent_at + (now - sent_at) * index / (len(path) + 1)
               for index, step in enumerate(path)}
    acknowledged = moments.get("acknowledge")
    return moments, {
        "sent_at": sent_at,
        "needed_by": sent_at.date() + datetime.timedelta(days=NEEDED_WITHIN_DAYS),
        "acknowledge_by": sent_at + partnership.acknowledgement_window(
            emergency=urgency == Request.Urgency.EMERGENCY),
        "acknowledged_at": acknowledged,
        "committed_date": (acknowledged.date() + datetime.timedelta(days=14))
        if acknowledged else None,
        "fulfilled_at": moments.get("fulfil"),
        "closed_at": moments.get("accept") or moments.get("cancel") or moments.get("decline")}


def _send_request(partnership: Partnership, title: str, *, author: User,
                  answerer: User | None, kind: str, urgency: str, status: str,
                  relayed: Request | None, today: datetime.date) -> Request:
    """Send a request (or relay `relayed` into this partnership) as `author`, and take the
    steps to `status`: the receiver's `answerer` acknowledges, asks and does the work, the
    author accepts or cancels."""
    description, question, fulfilment = _texts(title)
    fields = {"title": title, "kind": kind, "urgency": urgency, "description": description}
    if relayed is None:
        request = requests.request_send(
            actor=author, partnership=partnership, assignee=answerer,
            emergency_justification=REQUEST_NOTES.get(title, ""), **fields)
    else:
        request = requests.request_relay(actor=author, request=relayed,
                                         target_partnership=partnership, **fields)
        request = requests.request_update(actor=author, request=request, assignee=answerer)
    steps = {
        "query": lambda: requests.request_query(actor=answerer, request=request,
                                                question=question),
        # The committed date is set with the other dates afterwards: the service wants one
        # from today on, and this acknowledgement happened in the past.
        "acknowledge": lambda: requests.request_acknowledge(
            actor=answerer, request=request, committed_date=today, assignee=answerer),
        "start": lambda: requests.request_start(actor=answerer, request=request),
        "fulfil": lambda: requests.request_fulfil(actor=answerer, request=request,
                                                  fulfilment_note=fulfilment),
        "accept": lambda: requests.request_accept(actor=author, request=request),
        "cancel": lambda: requests.request_cancel(actor=author, request=request),
        "decline": lambda: requests.request_decline(actor=answerer, request=request,
                                                    reason=DECLINE_REASONS[title]),
    }
    for step in _STEP_PATH[status][1:]:
        request = steps[step]()
    return request


def _replan_request(request: Request, *, partnership: Partnership, author: User,
                    answerer: User | None, kind: str, urgency: str, status: str,
                    moments: dict, dates: dict) -> None:
    """A rerun: the request found moves to today's plan, its timeline rebuilt (module
    docstring)."""
    title = request.title
    description, question, fulfilment = _texts(title)
    Request.objects.filter(pk=request.pk).update(
        description=description, kind=kind,
        urgency=urgency, requested_by_party=partnership.party_of(author),
        author_organization_id=author.organization_id, created_by=author, assignee=answerer,
        status=status, question=question if status == "queried" else "",
        fulfilment_note=fulfilment if "fulfil" in moments else "",
        decline_reason=DECLINE_REASONS.get(title, ""),
        emergency_justification=REQUEST_NOTES.get(title, ""), is_internal=False, **dates)
    request.steps.all().delete()
    for step in moments:
        RequestStep.objects.create(
            partnership=partnership, request=request, step=step,
            status=_STEP_STATUS[step], at=moments[step],
            actor=author if step in ("send", "accept", "cancel", "answer") else
            answerer or author,
            note={"query": question, "fulfil": fulfilment,
                  "decline": DECLINE_REASONS.get(title, ""),
                  "acknowledge": f"Committed to {dates['committed_date']:%d %b %Y}."
                  if dates["committed_date"] else ""}.get(step, ""))


def seed_requests(today: datetime.date) -> None:
    """Requests both ways in every status over five months, some late, emergencies with one
    over the sponsor's budget, and one question relayed from Meridian's partnership to
    Aurora's. Idempotent: keyed on partnership and title."""
    now = timezone.now()
    people = {user.email: user for user in User.objects.filter(
        email__in={e for row in REQUESTS for e in row[2:4] if e})}
    relays = dict(RELAYS)
    by_title = {}
    for pair, title, sender, answerer, kind, urgency, days, status in REQUESTS:
        partnership, author = _partnership(pair), people[sender]
        moments, dates = _request_plan(partnership, now, days, status, urgency)
        plan = {"author": author, "answerer": people.get(answerer), "kind": kind,
                "urgency": urgency, "status": status}
        request = Request.objects.filter(partnership=partnership, title=title).first()
        if request is None:
            request = _send_request(partnership, title, relayed=by_title.get(relays.get(title)),
                                    today=today, **plan)
            # Sent `days` ago, each step taken since: the services stamp each with now.
            Request.objects.filter(pk=request.pk).update(**dates)
            for step, at in moments.items():
                note = {"note": f"Committed to {dates['committed_date']:%d %b %Y}."} \
                    if step == "acknowledge" else {}
                request.steps.filter(step=step).update(at=at, **note)
        else:
            _replan_request(request, partnership=partnership, moments=moments, dates=dates,
                            **plan)
        by_title[title] = request
    for relay, original in RELAYS:
        Request.objects.filter(pk=by_title[relay].pk).update(relayed_from=by_title[original])
    # Over budget as request_send would have found it on the day each was sent: it counted
    # the month of `now`, and these were sent over the last months.
    _mark_over_emergency_budget(Request.objects.filter(
        pk__in=[r.pk for r in by_title.values()], urgency=Request.Urgency.EMERGENCY))


# --- Notifications ---------------------------------------------------------


def seed_notifications(today: datetime.date) -> None:
    """The bell of each demo person: an 'action for you' per open action they own, a
    'request for your party' to each receiving lead per open request, dated over the last
    weeks, those older than a week read. Marked e-mailed, so a running worker sends no
    backlog of demo mail; Quinn takes requests in a daily digest. Idempotent: keyed on
    recipient, kind and record URL."""
    now = timezone.now()
    quinn = User.objects.filter(email="quinn@northwind.example").first()
    if quinn:
        NotificationPreference.objects.update_or_create(
            user=quinn, kind="request_received",
            defaults={"delivery": Delivery.DAILY_DIGEST})
    rows = []
    for item in ActionItem.objects.exclude(status__in=ActionItem.CLOSED).select_related(
            "owner", "partnership"):
        age = max((today - item.due_date).days, 0) + 1
        rows.append((item.owner, item.partnership, "action_assigned",
                     f"Action for you: {item.title}", f"Due {item.due_date:%d %b %Y}.",
                     item.get_absolute_url(), age, item))
    for request in Request.objects.filter(status__in=Request.OPEN,
                                          is_internal=False).select_related("partnership"):
        receivers = User.objects.filter(
            memberships__partnership=request.partnership, memberships__role="lead").exclude(
            organization_id=request.author_organization_id)
        for person in receivers:
            rows.append((person, request.partnership, "request_received",
                         f"Request for your party: {request.title}",
                         f"{request.get_urgency_display()} · {request.get_kind_display()}",
                         request.get_absolute_url(), max((now - request.sent_at).days, 0),
                         request))
    for recipient, partnership, kind, title, body, url, age, record in rows:
        created = now - datetime.timedelta(days=age, hours=3)
        notification, _ = Notification.objects.update_or_create(
            recipient=recipient, kind=kind, url=url, defaults={
                "partnership": partnership, "title": title[:300], "body": body,
                "record_type": ContentType.objects.get_for_model(record),
                "record_id": record.pk,
                "delivery": Delivery.IMMEDIATELY, "emailed_at": created,
                "read_at": created + datetime.timedelta(hours=1) if age > 7 else None})
        Notification.objects.filter(pk=notification.pk).update(created_at=created)


# --- Escalation along each partnership's path (DESIGN §4) ----------------------------------

#: How far back the demo replays the escalation job: further than its oldest late item.
ESCALATION_DAYS = 21


def seed_escalations() -> None:
    """Escalation history as the hourly job would have written it, by running the job
    itself once a day over the last ESCALATION_DAYS days and once now, on the demo
    partnerships only (their paths come from seed_demo). The demo's late and overdue items
    move with today, and so do their windows: their steps and notices are rebuilt on each
    seeding, like the request timelines, so seeding twice leaves the same rows. The notices
    are dated when their step was taken and marked e-mailed (no backlog of demo mail);
    those older than a week are read."""
    now = timezone.now()
    pairs = Q()
    for sponsor, cdmo in (NM, NA, HM):
        pairs |= Q(sponsor__name=sponsor, cdmo__name=cdmo)
    demo = Partnership.objects.filter(pairs)
    RequestEscalation.objects.filter(partnership__in=demo).delete()
    ActionItemEscalation.objects.filter(partnership__in=demo).delete()
    CapaEscalation.objects.filter(partnership__in=demo).delete()
    Notification.objects.filter(partnership__in=demo, kind="escalated").delete()
    for days in range(ESCALATION_DAYS, -1, -1):
        escalations_advance(now=now - datetime.timedelta(days=days), partnerships=demo)
    for model, parent, parent_id in ((RequestEscalation, Request, "request_id"),
                                     (ActionItemEscalation, ActionItem, "action_id"),
                                     (CapaEscalation, Capa, "capa_id")):
        record_type = ContentType.objects.get_for_model(parent)
        for step in model.objects.filter(partnership__in=demo):
            old = now - step.reached_at > datetime.timedelta(days=7)
            Notification.objects.filter(
                kind="escalated", record_type=record_type, record_id=getattr(step, parent_id),
                title__startswith=f"Escalated to level {step.level} (").update(
                created_at=step.reached_at, emailed_at=step.reached_at,
                read_at=step.reached_at + datetime.timedelta(hours=1) if old else None)


# --- Reminders ahead of a deadline (DESIGN §4) ----------------------------------------------

def seed_reminders() -> None:
    """The reminders ahead of a deadline that beat's jobs would have sent by now (a meeting
    tomorrow, an action due in two days …), by running each registered reminder's job once.
    The demo's dates move with today, so they are rebuilt on each seeding (their claims
    too, so seeding twice leaves the same rows), and marked e-mailed: no backlog of demo
    mail."""
    from django.utils.module_loading import import_string

    from partnership.notifications.models import ReminderClaim
    from portal.registries import reminders

    kinds = [reminder.code for reminder in reminders.reminders()]
    Notification.objects.filter(kind__in=kinds).delete()
    ReminderClaim.objects.filter(kind__in=kinds).delete()
    for task in sorted({reminder.task for reminder in reminders.reminders()}):
        import_string(task)()
    Notification.objects.filter(kind__in=kinds, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
