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
from governance.meetings.services import (
    decision_create,
    meeting_create,
    meeting_record_minutes,
    meeting_transition,
)
from governance.models import (
    ActionItem,
    ActionItemEscalation,
    Capa,
    CapaEscalation,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestEscalation,
    RequestStep,
    Risk,
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
from partnership.management.commands.seed_demo import CLOSING_SITES, demo_password
from partnership.models import Membership, Milestone, Partnership, Site, User
from partnership.notifications.models import Delivery, Notification, NotificationPreference
from partnership.signatures.services import is_complete, sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

ACTIONS = [
    # partnership, title, owner, days from today, priority, status
    (NM, "Send the TSE/BSE statement missing from the DS lot 3 delivery",
     "mei@meridian.example", -4, "high", "in_progress"),
    (NM, "Confirm the Q1 2027 PPQ slot in writing", "mei@meridian.example", 2, "high", "open"),
    (NM, "Approve the updated reference standard protocol", "quinn@northwind.example", -1,
     "medium", "open"),
    (NM, "Share the 2027 demand forecast", "nora@northwind.example", 5, "medium", "open"),
    (NM, "Review the deviation trend for the steering committee", "ravi@meridian.example",
     20, "low", "open"),
    (NM, "Circulate the QBR minutes", "nora@northwind.example", -30, "medium", "done"),
    (NA, "Ship the 18-month stability samples", "nora@northwind.example", 3, "high", "open"),
    (NA, "Send the intermediate-precision runs missing from the transfer report",
     "ari@aurora.example", -2, "medium", "open"),
    (NA, "Book the chamber space for the 2027 pulls", "ari@aurora.example", 12, "medium",
     "open"),
    (NA, "Recalculate the SEC trend limits with four lots (OOT-0398)", "ari@aurora.example",
     -6, "high", "in_progress"),
    (NA, "Agree the shipper qualification protocol", "quinn@northwind.example", 8, "low",
     "open"),
    (NA, "Return the signed quality agreement annex", "nora@northwind.example", -45,
     "medium", "done"),
    (HM, "Confirm next year's Suzhou campaign dates", "max@meridian.example", 4, "high",
     "open"),
    (HM, "Sign off the characterization protocol", "hana@helix.example", -3, "medium",
     "open"),
    (HM, "Propose an alternative to Cape Town for HLX-7", "max@meridian.example", 9, "high",
     "in_progress"),
    (HM, "Share the conjugation DoE results", "max@meridian.example", -8, "medium", "open"),
    (HM, "Approve the lot H-5 batch record", "hana@helix.example", -60, "medium", "done"),
    (HM, "Update the 2027 volume forecast", "hana@helix.example", 16, "low", "open"),
]


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
        moment = min(first.starts_at - ahead, now - datetime.timedelta(hours=2))
        Meeting.objects.filter(pk=meeting.pk).update(created_at=moment)
    for decision in Decision.objects.only("pk", "decided_on"):
        moment = datetime.datetime.combine(decision.decided_on, noon)
        Decision.objects.filter(pk=decision.pk).update(created_at=min(moment, now))
    for request in Request.objects.only("pk", "sent_at"):
        Request.objects.filter(pk=request.pk).update(created_at=request.sent_at)
    for index, risk in enumerate(Risk.objects.order_by("pk").only("pk")):
        ago = datetime.timedelta(days=20 + 13 * index % 120)
        Risk.objects.filter(pk=risk.pk).update(created_at=now - ago)


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
#: Each week's minutes of each partnership's check-in, in the order the weeks ran (the
#: eighth week was cancelled): its own work, never another partnership's words.
WEEKLY_MINUTES = {
    NM: [
        "PPQ protocol draft 1 reviewed: sampling plan accepted, hold times still open.",
        "Engineering-run CAPAs: two of three closed. Quinn asked for the audit-trail review "
        "evidence of CAPA-0388 before the PPQ readiness review.",
        "Protein A resin lead time now 14 weeks; Tomas to propose a safety stock for the "
        "steering committee.",
        "2027 forecast: Northwind shared a first view of 6 commercial batches; Meridian to "
        "come back on Boston capacity.",
        "VLM-DS-24033: harvest bioburden at 8 CFU/10 mL against an alert level of 5; "
        "INV-0319 opened and the lot held.",
        "Cambridge filled drug product lot P-0411; a fill-weight excursion on line F2 was "
        "raised as a deviation. Northwind asked for the investigation plan within three "
        "days.",
        "PPQ batch records approved in draft; the clarified-harvest hold stays at 24 h "
        "until the 72 h study reports.",
        "",  # cancelled
        "DEV-2291: a third fill-weight excursion on F2, with P-0412. Check-weigher drift is "
        "the lead cause; Quinn plans a for-cause audit of line F2.",
        "The reference standard qualification report went back to Meridian: the SEC-HPLC "
        "purity data were missing. Ravi resubmits with the full data set.",
        "Resin: the second supplier's comparability lots tested; change control "
        "CC-2026-041 to be submitted to Northwind QA.",
        "Cape Town closure: Torvacept fill-finish transfer to Cambridge discussed; Mei to "
        "send a transfer plan with dates.",
        "For-cause audit of line F2 confirmed, hosted by Ravi. Meridian to send the F2 "
        "requalification summary before it starts.",
    ],
    NA: [
        "Nine-month pulls of DS lots 2 and 3 completed; results due in three weeks.",
        "HPLC transfer: comparative runs 1–3 of six done, system suitability met on every "
        "run.",
        "Shipper excursion on the lot 4 samples: Aurora quarantined them on receipt; "
        "Northwind to decide on a re-shipment.",
        "OOT-0398: aggregates by SEC above the trend limit at 9 months (25 °C). Orthogonal "
        "AUC-SV run requested.",
        "12-month results of lot 2 delivered, within specification; trend report to follow "
        "with the lot 3 data.",
        "Transfer report draft 1 received; Northwind's comments on intermediate precision "
        "sent back the same week.",
        "Aurora proposes a new reference standard lot for the potency bioassay; change "
        "control and bridging study to follow.",
        "",  # cancelled
        "2027 pull calendar agreed: 46 pulls; chamber space to be booked by Ari.",
        "Chamber C-04 humidity excursion: samples stayed in the chamber; Aurora assesses "
        "the impact against the 30 °C data.",
        "Shipper qualification protocol for the Milan lane: Northwind drafts, Aurora reviews "
        "the receipt steps.",
        "OOS-0412: potency 74 % at 12 months on lot 4. Phase I found no laboratory error; "
        "Phase II with Northwind on the reference standard.",
        "18-month pulls due in three weeks; samples of lots 1 and 2 to travel in validated "
        "shippers only.",
    ],
    HM: [
        "Suzhou Helixumab campaign 2 on day 6 of 14; titres in line with the last 20 lots.",
        "Polysorbate 80 supplier change rejected by Helix on peroxide levels; Meridian stays "
        "with the current supplier.",
        "Cape Town closure notice received; Helix asked Max for the options for HLX-7 "
        "before the steering committee.",
        "Conjugation and fill of HLX-7 lot H-5 complete in Cape Town; Helix QA reviews the "
        "record this week.",
        "HLX-7 lot H-5 released for the phase 2 sites; shipment to Lyon booked.",
        "HLX-12 packaging: serialisation recount of HLX12-FP-0415 closed, every carton "
        "accounted for.",
        "Conjugation DoE: drug-to-antibody ratio spread 3.5–4.3 over 12 runs; yield loss at "
        "the low pH end.",
        "",  # cancelled
        "CMP-0015 cracked vials from Lyon: retained samples show no defect; Meridian repeats "
        "the shipper drop test.",
        "Cambridge fill of the next Helixumab lots on track for Q1; the DS in stock covers "
        "both fills.",
        "Characterization protocol rev. 2 sent to Helix; the first DoE runs wait for its "
        "sign-off.",
        "HLX-7 lot H-7 conjugated and filled; sterility and endotoxin tests running.",
        "Lot H-7: sterility test positive on day 12, lot quarantined, DEV-3102 open. Helix "
        "QA to receive the investigation plan.",
    ],
}
#: Each partnership's agendas: the weekly one, and the steering committee's and business
#: review's.
AGENDAS = {
    NM: ("1. Open actions\n2. Batch schedule, Boston and Cambridge\n3. Deviations and "
         "CAPAs\n4. Raw materials\n5. AOB",
         "1. Escalations\n2. PPQ readiness\n3. Cape Town closure\n4. Decisions",
         "1. Scorecard\n2. Supply plan\n3. Risks\n4. Priorities\n5. Decisions"),
    NA: ("1. Open tests and pulls\n2. Results and OOS/OOT\n3. Sample shipments\n4. AOB",
         "1. Escalations\n2. Laboratory capacity\n3. Decisions",
         "1. Scorecard: turnaround and right first time\n2. Stability programme\n"
         "3. Decisions"),
    HM: ("1. Open actions\n2. Suzhou campaigns\n3. HLX-7 conjugation and fills\n"
         "4. Quality events\n5. AOB",
         "1. Escalations\n2. HLX-7 site after Cape Town\n3. Decisions",
         "1. Scorecard\n2. HLX-12 supply plan\n3. HLX-7 programme\n4. Decisions"),
}
#: The minutes of the last steering committee and business review (the business review's
#: begin with SCORECARD_REVIEWED; the KPI seed adds the published values after it).
BOARD_MINUTES = {
    NM: ("Escalated: SOW-NWM-07 at its sixth round. Both sides agreed to close the "
         "raw-material clause at the next round; resin safety stock raised to 12 weeks.",
         "PPQ slot held for Q1; the 2027 demand forecast of 6 batches agreed."),
    NA: ("Laboratory capacity for 2027 reviewed: Aurora adds an HPLC system; sample "
         "shipments in validated shippers only from now on.",
         "Stability turnaround within 30 days for every pull of the quarter; the OOS "
         "investigation process to be reviewed with Aurora QA."),
    HM: ("The Cape Town closure and its impact on HLX-7 reviewed; Meridian to propose "
         "Cambridge with a conjugation partner by the next committee.",
         "HLX-12 supply for the next two quarters confirmed; HLX-7 stays at one site "
         "until PPQ."),
}
MEETING_DECISIONS = {
    # partnership: (title, rationale, meeting key, people)
    NM: [("Hold the Q1 PPQ slot", "The engineering run met its targets; moving the slot "
          "would cost six months of supply.", "qbr-past",
          ["nora@northwind.example", "mei@meridian.example"]),
         ("Raise resin safety stock to 12 weeks", "Lead times doubled; a stock-out would "
          "stop the campaign.", "steering-past",
          ["sam@northwind.example", "mei@meridian.example"])],
    NA: [("Run stability pulls in Milan only", "One lab avoids a method-transfer bridge.",
          "qbr-past", ["nora@northwind.example", "ari@aurora.example"]),
         ("Ship samples only in validated shippers", "Two excursions in a quarter; the "
          "shipper validation costs less than one repeated stability pull.", "steering-past",
          ["sam@northwind.example", "ari@aurora.example"])],
    HM: [("Bring the Helixumab fill in Cambridge forward to Q1", "Cambridge's filling line "
          "frees up before Suzhou's next drug substance campaign; the DS in stock covers the "
          "fills.", "steering-past",
          ["hana@helix.example", "max@meridian.example"]),
         ("Keep HLX-7 conjugation at one site until PPQ", "A second site now would double the "
          "comparability work before the process is locked.", "qbr-past",
          ["hana@helix.example", "max@meridian.example"])],
}
MEETING_ACTIONS = [
    # partnership, title, owner, meeting key, days from today, status, decision title
    (NM, "Send the updated resin forecast", "mei@meridian.example", "weekly-past-1", -3,
     "open", "Raise resin safety stock to 12 weeks"),
    (NM, "Book the PPQ kick-off with QA", "quinn@northwind.example", "weekly-past-1", 6,
     "open", "Hold the Q1 PPQ slot"),
    (NM, "Share the deviation trend slides", "ravi@meridian.example", "weekly-past-2", -9,
     "done", None),
    (NA, "Confirm the 24-month stability pull dates", "ari@aurora.example", "weekly-past-1",
     2, "in_progress", "Run stability pulls in Milan only"),
    (NA, "Validate the new shipper lane to Milan", "nora@northwind.example",
     "weekly-past-2", -4, "open", "Ship samples only in validated shippers"),
    (NA, "Circulate the QBR scorecard", "ari@aurora.example", "weekly-past-2", -20, "done",
     None),
    (HM, "Send the revised Cambridge fill plan for Helixumab", "max@meridian.example",
     "weekly-past-1", -1, "open", "Bring the Helixumab fill in Cambridge forward to Q1"),
    (HM, "Draft the HLX-7 comparability plan", "hana@helix.example", "weekly-past-2", 10,
     "open", "Keep HLX-7 conjugation at one site until PPQ"),
]


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

RISKS = [
    # partnership, title, category, likelihood, impact, owner, review in days (None: no
    # date), status, internal, milestone (transfer title, kind) it threatens, mitigation
    (NM, "Single-source Protein A resin", "supply", 4, 5, "mei@meridian.example", -5, "open",
     False, None, "Qualify the second resin supplier; hold 2 campaigns of safety stock."),
    (NM, "PPQ slot slips if engineering-run deviations recur", "capacity", 3, 4,
     "mei@meridian.example", 14, "open", False,
     ("Velarimab drug substance into Meridian Boston", "ppq"),
     "Close the engineering-run CAPAs before the PPQ readiness review."),
    (NM, "Cape Town closure strands Torvacept fill-finish", "strategic", 5, 4,
     "nora@northwind.example", 7, "open", False, None,
     "Assess Meridian Cambridge as the receiving site; budget a second tech transfer."),
    (NM, "Pre-license inspection readiness at Meridian Boston", "regulatory", 2, 5,
     "ravi@meridian.example", 30, "open", False, None, "Mock inspection in the spring."),
    (NM, "Reference standard requalification late", "quality", 2, 3,
     "quinn@northwind.example", -1, "open", False, None, "Order the secondary standard now."),
    (NM, "EUR price exposure on the SOW", "financial", 2, 2, "nora@northwind.example", None,
     "closed", False, None, "Price fixed in USD from the 2026 change order."),
    (NM, "Meridian over-committed across its sponsors", "strategic", 3, 3,
     "sam@northwind.example", 60, "open", True, None,
     "Our own view: ask for named capacity in the next SOW."),
    (NA, "HPLC method transfer fails comparability", "quality", 3, 3, "ari@aurora.example",
     -2, "open", False, None, "Joint protocol review before the next run."),
    (NA, "Stability chamber capacity at Aurora Milan", "capacity", 2, 4, "ari@aurora.example",
     45, "open", False, None, "Reserve chamber space for the 2027 stability pulls."),
    (NA, "Temperature excursions on sample shipments", "supply", 4, 2,
     "nora@northwind.example", 10, "open", False, None, "Switch to validated shippers."),
    (HM, "Cape Town closure before the HLX-7 transfer completes", "strategic", 5, 5,
     "hana@helix.example", -3, "open", False,
     ("HLX-7 conjugation process into Meridian Cape Town", "gap_assessment"),
     "Decide on an alternative site at the next steering committee."),
    (HM, "Packaging exit at Meridian Suzhou", "supply", 4, 3, "max@meridian.example", 20,
     "open", False, None, "Qualify a packaging partner in Suzhou."),
    (HM, "Conjugation yield variability", "quality", 3, 2, "max@meridian.example", 40, "open",
     False, None, "Design of experiments on the conjugation step."),
]

NOTICES = [
    # partnership, poster, kind, title, body, site, effective (a date, or in days from
    # today), acknowledged by (None: awaiting), posted days ago
    (NM, "mei@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "We are consolidating fill-finish in Cambridge. Torvacept fill-finish needs a new site "
     "before the closure; we propose a transfer plan within 60 days.", "Meridian Cape Town",
     CLOSING_SITES["Meridian Cape Town"], "nora@northwind.example", 75),
    (HM, "max@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "Cape Town's contained suite closes with the site: the HLX-7 conjugation and fill "
     "must move before then, and the transfer into Cape Town is re-planned.",
     "Meridian Cape Town", CLOSING_SITES["Meridian Cape Town"], "hana@helix.example", 74),
    (HM, "max@meridian.example", "capability_exit", "Meridian Suzhou exits secondary packaging",
     "From the effective date Suzhou keeps drug substance only; packaging of the HLX-12 "
     "finished packs moves to a qualified partner.",
     "Meridian Suzhou", 120, None, 3),
    (NM, "mei@meridian.example", "supply_delay", "Velarimab DS lot 4 release slips three weeks",
     "A raw-material shortage delays lot 4; lots 5 and 6 keep their dates.", "Meridian Boston",
     21, None, 1),
    (NA, "nora@northwind.example", "other", "Stability pulls move to a yearly plan",
     "From the effective date we send one yearly pull plan with every time point instead of "
     "monthly requests.", None, 40,
     "ari@aurora.example", 20),
]

RECOGNITIONS = [
    # partnership, from, to (people), team, message, days ago
    (NM, "nora@northwind.example", ["mei@meridian.example", "ravi@meridian.example"], "",
     "Thank you for the weekend shift that kept DS lot 3 on time: the fill in Cambridge went "
     "ahead and the phase 3 sites get their drug product as planned.", 4),
    (NM, "mei@meridian.example", [], "Northwind supply chain",
     "The 2027 forecast came early and complete: our planning finally has solid ground.", 12),
    (NM, "quinn@northwind.example", ["ravi@meridian.example"], "",
     "A model deviation investigation: root cause, evidence, CAPA in one clear report.", 40),
    (NA, "nora@northwind.example", ["ari@aurora.example"], "Aurora stability team",
     "The stability data package was complete on the first try. Thank you!", 9),
    (HM, "hana@helix.example", ["max@meridian.example"], "",
     "Thanks for flagging the Cape Town impact to us before the announcement.", 70),
]

#: What each party's people write about the other party, per partnership.
SURVEY_COMMENTS = {
    (NM, "sponsor"): ["Mei's weekly updates are clear and escalations come early.",
                      "Answers to our quality questions on DS lot 2 took too long.",
                      "The resin shortage was flagged months ahead: good planning.",
                      "Batch records sometimes arrive with open GDP corrections.",
                      "Contract answers on SOW-NWM-07 take weeks; the technical teams are "
                      "quick."],
    (NM, "cdmo"): ["Forecasts changed late, which hurt our planning in Boston.",
                   "Northwind QA reviews batch records quickly and explains its comments.",
                   "Priorities are clear since the PPQ ranking was posted.",
                   "Too many emergencies arrive on Friday afternoons.",
                   "Good partnership spirit in the business reviews."],
    (NA, "sponsor"): ["Stability results arrive on time and complete.",
                      "The OOS investigation on T12 needed our push to reach Phase II.",
                      "Ari answers sample queries the same day.",
                      "Chamber space for the 2027 pulls is still not confirmed."],
    (NA, "cdmo"): ["Samples arrive announced, with complete chain-of-custody forms.",
                   "Pull plans changed at short notice twice this quarter."],
    (HM, "sponsor"): ["Max told us of the Cape Town impact before the announcement.",
                      "Suzhou's batch records reach us late for review.",
                      "The conjugation DoE results are overdue."],
    (HM, "cdmo"): ["Helix's HLX-12 forecast arrives every month and holds.",
                   "Protocol comments from Helix come back slowly."],
}


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

REQUESTS = [
    # partnership, title, sent by (email), answers (email), kind, urgency, days ago, status
    (NM, "Executed batch record of DS lot 3", "nora@northwind.example",
     "mei@meridian.example", "document", "normal", 150, "accepted"),
    (NM, "Quote for two additional PPQ batches", "nora@northwind.example",
     "mei@meridian.example", "quote", "normal", 120, "accepted"),
    (NM, "Retain sample pull for lot 2 investigation", "quinn@northwind.example",
     "ravi@meridian.example", "sample_pull", "urgent", 90, "fulfilled"),
    (NM, "Updated reference standard CoA", "ravi@meridian.example",
     "quinn@northwind.example", "document", "normal", 40, "in_progress"),
    (NM, "Extra bioburden testing on the holding step", "quinn@northwind.example",
     "ravi@meridian.example", "testing", "urgent", 20, "acknowledged"),
    (NM, "Which column did the lab validate the HPLC method on?", "mei@meridian.example",
     "nora@northwind.example", "information", "normal", 8, "acknowledged"),
    (NM, "2027 capacity reservation terms", "nora@northwind.example",
     "mei@meridian.example", "information", "normal", 6, "queried"),
    (NM, "Equipment qualification summary for filling line F2", "quinn@northwind.example",
     "ravi@meridian.example", "document", "normal", 5, "sent"),  # late
    (NM, "Cancelled: duplicate shipping request", "nora@northwind.example",
     "mei@meridian.example", "information", "normal", 30, "cancelled"),
    (NM, "Emergency: cold-chain excursion data for shipment 14", "nora@northwind.example",
     "mei@meridian.example", "information", "emergency", 0.15, "acknowledged"),
    (NM, "Emergency: release testing slot for lot 5", "nora@northwind.example",
     "mei@meridian.example", "testing", "emergency", 0.1, "sent"),
    (NM, "Emergency: regulator question on the filter validation", "nora@northwind.example",
     None, "information", "emergency", 0.05, "sent"),  # over budget, with justification
    (NA, "Stability pull schedule for 2027", "nora@northwind.example", "ari@aurora.example",
     "information", "normal", 100, "accepted"),
    (NA, "HPLC transfer raw data", "ari@aurora.example", "quinn@northwind.example",
     "document", "normal", 35, "fulfilled"),
    (NA, "Column used in the validated HPLC method", "nora@northwind.example",
     "ari@aurora.example", "information", "normal", 4, "sent"),  # the relay; late
    (NA, "Quote for the 2027 stability program", "nora@northwind.example",
     "ari@aurora.example", "quote", "normal", 130, "accepted"),
    (NA, "Method transfer report, draft 2", "ari@aurora.example", "quinn@northwind.example",
     "document", "normal", 15, "in_progress"),
    (NA, "Extra 6-month pull for lot 4", "quinn@northwind.example", "ari@aurora.example",
     "sample_pull", "urgent", 9, "queried"),
    (NA, "Emergency: out-of-trend assay on the 12-month pull", "nora@northwind.example",
     "ari@aurora.example", "testing", "emergency", 0.2, "acknowledged"),
    (NA, "Pull the 18-month stability samples two weeks early", "quinn@northwind.example",
     "ari@aurora.example", "sample_pull", "normal", 25, "declined"),
    (HM, "Suzhou campaign dates in writing", "hana@helix.example", "max@meridian.example",
     "information", "normal", 60, "accepted"),
    (HM, "Characterization protocol comments", "max@meridian.example", "hana@helix.example",
     "document", "urgent", 12, "in_progress"),
    (HM, "Quote for a third conjugation batch", "hana@helix.example", "max@meridian.example",
     "quote", "normal", 110, "accepted"),
    (HM, "Packing and shipping records of lot H-5 (complaint CMP-0015)", "hana@helix.example",
     "max@meridian.example", "document", "normal", 28, "fulfilled"),
    (HM, "Change of buffer supplier for the conjugation step", "max@meridian.example",
     "hana@helix.example", "change", "normal", 10, "queried"),
    (HM, "Emergency: confirm the packaging-line slot for HLX-12 launch packs",
     "max@meridian.example", "hana@helix.example", "information", "emergency", 3,
     "sent"),  # late
    (HM, "Emergency: hold the lot H-8 shipment", "hana@helix.example", "max@meridian.example",
     "information", "emergency", 0.1, "acknowledged"),
]
#: What each request asks, in its sender's words; the receiver's question where it queried
#: the request, and the note it fulfilled it with.
REQUEST_TEXTS = {
    "Executed batch record of DS lot 3": (
        "Please send the executed batch record of Velarimab DS lot 3 with Meridian QA's "
        "review sheet, for our release of the lot to the drug product fill.", "",
        "Executed record of DS lot 3 (412 pages) with QA's review sheet; two GDP corrections, "
        "both countersigned."),
    "Quote for two additional PPQ batches": (
        "Please quote two further 2,000 L Velarimab batches after the three PPQ batches, "
        "same scope as SOW-NWM-07, with the earliest slots you can hold for us.", "",
        "Quote Q-2026-118: two batches in Q2 2027, slots held until the end of January."),
    "Retain sample pull for lot 2 investigation": (
        "For the investigation of the SEC reintegrations on DS lot 2, please pull two "
        "retained vials and ship them to Basel on dry ice with the chain-of-custody form.",
        "", "Two retained vials of DS lot 2 shipped on dry ice, AWB 7741 2290 1183; "
        "chain-of-custody form attached."),
    "Updated reference standard CoA": (
        "The requalified working reference standard needs Northwind's signed CoA with the "
        "new potency assignment before we use it for release.", "", ""),
    "Extra bioburden testing on the holding step": (
        "After the alert-level result on VLM-DS-24033, please add bioburden samples at the "
        "start and end of the clarified-harvest hold for the next two lots.", "", ""),
    "Which column did the lab validate the HPLC method on?": (
        "Our QC lab is setting up the SEC-HPLC method for the reference standard: which "
        "column make, dimensions and lot was the method validated on?", "", ""),
    "2027 capacity reservation terms": (
        "We want to reserve 2027 suite capacity in Boston for Velarimab commercial supply: "
        "please send your reservation terms (fees, notice, cancellation).",
        "Reserve how many batches: the 6 of the draft forecast, or the 9 of the upside case?",
        ""),
    "Equipment qualification summary for filling line F2": (
        "Before the next NWB-101 fill we need the requalification summary of line F2 after "
        "the HEPA replacement in room F2-A, smoke studies included.", "", ""),
    "Cancelled: duplicate shipping request": (
        "Shipping of DS lot 3 to Cambridge: raised twice by mistake, see the first request.",
        "", ""),
    "Emergency: cold-chain excursion data for shipment 14": (
        "The logger of shipment 14 (DS lot 4 to Cambridge) shows 9.1 °C for 40 minutes: "
        "please send the full logger file and the packing record today.", "", ""),
    "Emergency: release testing slot for lot 5": (
        "DS lot 5 is needed for the next drug product fill in Cambridge, which the phase 3 "
        "sites' supply waits on: please bring its release testing forward into this week.",
        "", ""),
    "Emergency: regulator question on the filter validation": (
        "The agency asks for the bacterial retention data of the sterilising filter used "
        "for Velarimab; we need the validation report and its raw data.", "", ""),
    "Stability pull schedule for 2027": (
        "Please send the pull calendar of every Velarimab stability study for 2027, by "
        "chamber and time point, so we can plan the sample shipments.", "",
        "2027 pull calendar: 46 pulls over 5 studies, chambers C-04, C-07 and C-09."),
    "HPLC transfer raw data": (
        "For Northwind's review of the transfer, please share the raw data and audit trails "
        "of the comparative SEC-HPLC runs.", "",
        "Raw data and Empower audit trails of the six comparative SEC-HPLC runs."),
    "Column used in the validated HPLC method": (
        "Please confirm the column make, dimensions and lot on which Aurora ran the "
        "Velarimab SEC-HPLC method during its transfer.", "", ""),
    "Quote for the 2027 stability program": (
        "Please quote the 2027 stability program: 5 studies, long-term and accelerated "
        "conditions, with the new HPLC methods.", "",
        "Quote AUR-Q-2026-031 for 46 pulls, with the method transfer of the new SEC column."),
    "Method transfer report, draft 2": (
        "Draft 2 of the SEC-HPLC transfer report answers Northwind's comments: please "
        "review it and send us any remaining points.", "", ""),
    "Extra 6-month pull for lot 4": (
        "Please add a 6-month pull at 25 °C for DS lot 4 to support the shelf-life extension "
        "we plan to file.",
        "Lot 4 has no 25 °C samples left in chamber C-07: may we pull from the 30 °C "
        "samples instead, or will you ship new material?", ""),
    "Emergency: out-of-trend assay on the 12-month pull": (
        "The 12-month potency result of DS lot 3 is out of trend: please repeat the assay "
        "with a fresh reference curve today and keep the retained samples.", "", ""),
    "Pull the 18-month stability samples two weeks early": (
        "For the shelf-life update due to the agency, we would like the 18-month results "
        "of lots 1 and 2 two weeks earlier than the protocol's date.", "", ""),
    "Suzhou campaign dates in writing": (
        "Please confirm in writing the dates of the two Helixumab drug substance campaigns "
        "in Suzhou this year, for our launch supply plan.", "",
        "Campaign dates confirmed by letter: both Suzhou campaigns as in the supply plan."),
    "Characterization protocol comments": (
        "The HLX-12 process characterization protocol, rev. 2, is ready: we need Helix's "
        "comments before the first runs can start.", "", ""),
    "Quote for a third conjugation batch": (
        "Please quote a third HLX-7 conjugation and fill batch in Cape Town for the "
        "phase 2 extension.", "",
        "Quote MER-Q-2026-207: one conjugation and fill batch in Cape Town."),
    "Packing and shipping records of lot H-5 (complaint CMP-0015)": (
        "For the cracked-vial complaint from the Lyon site, please send the packing record "
        "and the shipper configuration of lot H-5.", "",
        "Packing record of lot H-5 and the shipper configuration drawing, rev. 3."),
    "Change of buffer supplier for the conjugation step": (
        "Meridian proposes a second supplier for the histidine buffer of the HLX-7 "
        "conjugation step; we ask Helix to agree before we order qualification lots.",
        "Is the new supplier's histidine of compendial grade, with the same endotoxin "
        "limit as the current one?", ""),
    "Emergency: confirm the packaging-line slot for HLX-12 launch packs": (
        "The Suzhou packaging line is being booked for next quarter: please confirm today "
        "the HLX-12 launch-pack quantities, or we lose the slot.", "", ""),
    "Emergency: hold the lot H-8 shipment": (
        "Please hold the shipment of HLX-7 lot H-8 to the Lyon site until our QA has seen "
        "the sterility investigation of lot H-7.", "", ""),
}
REQUEST_NOTES = {
    "Emergency: regulator question on the filter validation":
        "The agency's deficiency letter gives us five working days; without the filter "
        "validation data the response misses the deadline and the approval slips a cycle.",
}
#: Why the receiving party declined a request (its decline step's note).
DECLINE_REASONS = {
    "Pull the 18-month stability samples two weeks early":
        "Two weeks early puts the 18-month time point outside the ±7-day pull window of the "
        "approved stability protocol, which would need a protocol amendment first. We pull "
        "on schedule and can run the assay within five working days of the pull.",
}
# (relay title in NA) <- (original title in NM): the sponsor rewrote the CDMO's question for
# the testing lab without Meridian's confidential detail.
RELAYS = [("Column used in the validated HPLC method",
           "Which column did the lab validate the HPLC method on?")]
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
