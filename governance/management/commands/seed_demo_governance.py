"""Demo governance for the demo partnerships (run by seed_demo; idempotent): months of
meetings with minutes, decisions and actions, formal requests both ways, risks, notices,
thank-yous, survey answers and each person's bell.

Dates are relative to today so the demo always has something overdue, due this week and
later, whatever day it is run.
"""

import datetime
import hashlib
import uuid
import zoneinfo

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from governance.escalation.services import escalations_advance
from governance.models import (
    ActionItem,
    ActionItemEscalation,
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
from governance.requests.selectors import month_start_utc
from partnership.models import Milestone, Partnership, Site, User
from partnership.notifications.models import Delivery, Notification, NotificationPreference

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

ACTIONS = [
    # partnership, title, owner, days from today, priority, status
    (NM, "Send the executed batch record of DS lot 3", "mei@meridian.example", -4, "high",
     "in_progress"),
    (NM, "Confirm the Q1 2027 PPQ slot in writing", "mei@meridian.example", 2, "high", "open"),
    (NM, "Approve the updated reference standard protocol", "quinn@northwind.example", -1,
     "medium", "open"),
    (NM, "Share the 2027 demand forecast", "nora@northwind.example", 5, "medium", "open"),
    (NM, "Review the deviation trend for the steering committee", "ravi@meridian.example",
     20, "low", "open"),
    (NM, "Circulate the QBR minutes", "nora@northwind.example", -30, "medium", "done"),
    (NA, "Ship the 18-month stability samples", "nora@northwind.example", 3, "high", "open"),
    (NA, "Send the HPLC transfer raw data", "ari@aurora.example", -2, "medium", "open"),
    (NA, "Book the chamber space for the 2027 pulls", "ari@aurora.example", 12, "medium",
     "open"),
    (NA, "Send the Q3 stability trend report", "ari@aurora.example", -6, "high",
     "in_progress"),
    (NA, "Agree the shipper qualification protocol", "quinn@northwind.example", 8, "low",
     "open"),
    (NA, "Return the signed quality agreement annex", "nora@northwind.example", -45,
     "medium", "done"),
    (HM, "Confirm the Suzhou campaign dates", "max@meridian.example", 4, "high", "open"),
    (HM, "Sign off the characterization protocol", "hana@helix.example", -3, "medium",
     "open"),
    (HM, "Propose an alternative to Cape Town for HLX-7", "max@meridian.example", 9, "high",
     "in_progress"),
    (HM, "Share the conjugation DoE results", "max@meridian.example", -8, "medium", "open"),
    (HM, "Approve the lot H-5 batch record", "hana@helix.example", -60, "medium", "done"),
    (HM, "Update the 2027 volume forecast", "hana@helix.example", 16, "low", "open"),
]


class Command(BaseCommand):
    help = "Create or update the demo action items."

    def handle(self, *args, **options):
        today = timezone.localdate()
        seed_risks_and_feedback(today)
        for (sponsor, cdmo), title, email, days, priority, status in ACTIONS:
            partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
            ActionItem.objects.update_or_create(
                partnership=partnership, title=title, defaults={
                    "owner": User.objects.get(email=email), "priority": priority,
                    "due_date": today + datetime.timedelta(days=days), "status": status,
                    "author_organization": partnership.sponsor,
                    "completed_at": timezone.now() if status == "done" else None})
        seed_requests(today)
        seed_meetings(today)
        seed_notifications(today)
        backdate_creation(today)
        seed_escalations()


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
    # the sponsor's zone, location, people
    NM: ("Weekly supply check-in", 1, datetime.time(15, 0), "Europe/Zurich",
         "Teams: Northwind–Meridian weekly",
         ["nora@northwind.example", "quinn@northwind.example", "mei@meridian.example",
          "ravi@meridian.example"]),
    NA: ("Weekly testing sync", 3, datetime.time(14, 0), "Europe/Zurich",
         "Zoom: Northwind–Aurora lab sync",
         ["nora@northwind.example", "quinn@northwind.example", "ari@aurora.example"]),
    HM: ("Weekly campaign check-in", 1, datetime.time(17, 30), "America/Los_Angeles",
         "Teams: Helix–Meridian weekly",
         ["hana@helix.example", "max@meridian.example"]),
}
STEERING = {NM: ["sam@northwind.example", "nora@northwind.example", "mei@meridian.example"],
            NA: ["sam@northwind.example", "nora@northwind.example", "ari@aurora.example"],
            HM: ["hana@helix.example", "max@meridian.example"]}
MINUTES = [
    "Reviewed open actions and the batch schedule. No new deviations this week.",
    "Walked through the raw-material status; resin lead time is now 14 weeks. "
    "Agreed to review the safety stock at the next QBR.",
    "Discussed the analytical transfer: two methods passed, one repeat needed.",
    "Capacity: the PPQ slot holds; the CDMO confirms staffing for the campaign.",
    "Quality: one minor deviation closed, CAPA effectiveness check due next month.",
]
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
    HM: [("Move the Suzhou campaign to fill-finish first", "Drug product capacity frees up "
          "earlier than drug substance.", "steering-past",
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
    (HM, "Send the revised Suzhou campaign plan", "max@meridian.example", "weekly-past-1",
     -1, "open", "Move the Suzhou campaign to fill-finish first"),
    (HM, "Draft the HLX-7 comparability plan", "hana@helix.example", "weekly-past-2", 10,
     "open", "Keep HLX-7 conjugation at one site until PPQ"),
]


def _people(emails):
    return list(User.objects.filter(email__in=emails))


def _upsert_meeting(partnership, key, *, series=None, attendees, **fields):
    """Keyed on a stable UID (partnership + plan key), so a rerun on another day moves the
    same meetings instead of adding new ones."""
    uid = uuid.uuid5(uuid.NAMESPACE_URL, f"lockstep-demo/{partnership.pk}/{key}")
    meeting, _ = Meeting.objects.update_or_create(uid=uid, defaults={
        "partnership": partnership, "author_organization": partnership.sponsor,
        "series": series, **fields})
    meeting.attendees.set(attendees)
    return meeting


def seed_meetings(today: datetime.date) -> None:
    """Three months of weekly check-ins with minutes (one cancelled), six weeks ahead, a
    past and a coming QBR and steering committee, decisions from them and actions."""
    for organization, site in MAIN_SITES.items():
        if not Site.objects.filter(organization__name=organization, is_main=True).exists():
            Site.objects.filter(organization__name=organization, name=site).update(
                is_main=True)
    meetings = {}
    for pair, (title, weekday, local_time, zone, location, emails) in MEETING_PLANS.items():
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        people = _people(emails)
        first_day = today - datetime.timedelta(weeks=12, days=(today.weekday() - weekday) % 7)
        last_day = first_day + datetime.timedelta(weeks=18)
        head = None
        for week in range(19):
            day = first_day + datetime.timedelta(weeks=week)
            # Wall-clock time of the sponsor, as the portal repeats a series (UTC shifts
            # when summer time starts or ends).
            starts = datetime.datetime.combine(day, local_time, zoneinfo.ZoneInfo(zone))
            past = day < today
            status = "held" if past else "scheduled"
            if week == 7:
                status = "cancelled"
            meeting = _upsert_meeting(
                partnership, f"weekly-{week}", series=head, attendees=people, title=title,
                kind="weekly_check_in", starts_at=starts, duration_minutes=45,
                location=location, recurrence="weekly", repeat_until=last_day,
                agenda="1. Open actions\n2. Schedule and capacity\n3. Quality\n4. AOB",
                minutes=MINUTES[week % len(MINUTES)] if status == "held" else "",
                status=status)
            head = head or meeting
            if past and status == "held":
                meetings[(pair, "weekly-past-2")] = meetings.get((pair, "weekly-past-1"))
                meetings[(pair, "weekly-past-1")] = meeting
        board = _people(STEERING[pair] + emails)
        for key, kind, label, days, minutes in (
                ("qbr-past", "business_review", "Quarterly business review", -40,
                 "Scorecard reviewed: on-time delivery 92 %, right-first-time 97 %. "
                 "Forecast for the next two quarters agreed."),
                ("qbr-next", "business_review", "Quarterly business review", 50, ""),
                ("steering-past", "steering_committee", "Steering committee", -70,
                 "Escalations reviewed; priorities for the year confirmed."),
                ("steering-next", "steering_committee", "Steering committee", 20, "")):
            day = today + datetime.timedelta(days=days)
            day += datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() > 4
                                      else 0)  # a weekend date moves to the Monday
            starts = datetime.datetime.combine(day, datetime.time(15, 0), datetime.UTC)
            meetings[(pair, key)] = _upsert_meeting(
                partnership, key, attendees=board, title=label, kind=kind, starts_at=starts,
                duration_minutes=120, location="On site" if kind == "business_review"
                else "Teams", agenda="1. Scorecard\n2. Risks\n3. Priorities\n4. Decisions",
                minutes=minutes, status="held" if minutes else "scheduled")
        for title, rationale, key, deciders in MEETING_DECISIONS[pair]:
            meeting = meetings[(pair, key)]
            decision, _ = Decision.objects.update_or_create(
                partnership=partnership, title=title, defaults={
                    "rationale": rationale, "meeting": meeting,
                    "decided_on": timezone.localdate(meeting.starts_at),
                    "author_organization": partnership.sponsor})
            decision.decided_by.set(_people(deciders))
    for pair, title, email, key, days, status, decision in MEETING_ACTIONS:
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        ActionItem.objects.update_or_create(
            partnership=partnership, title=title, defaults={
                "owner": User.objects.get(email=email), "priority": "medium",
                "due_date": today + datetime.timedelta(days=days), "status": status,
                "author_organization": partnership.sponsor, "meeting": meetings[(pair, key)],
                "decision": Decision.objects.filter(partnership=partnership,
                                                    title=decision).first(),
                "completed_at": timezone.now() if status == "done" else None})


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
    # partnership, poster, kind, title, body, site, effective in days, acknowledged by
    # (None: awaiting), posted days ago
    (NM, "mei@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "We are consolidating fill-finish in Cambridge. Torvacept fill-finish needs a new site "
     "before the closure; we propose a transfer plan within 60 days.", "Meridian Cape Town",
     None, "nora@northwind.example", 75),
    (HM, "max@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "We are consolidating fill-finish in Cambridge. The HLX-7 transfer into Cape Town must "
     "be re-planned.", "Meridian Cape Town", None, "hana@helix.example", 74),
    (HM, "max@meridian.example", "capability_exit", "Meridian Suzhou exits secondary packaging",
     "From next spring Suzhou keeps drug substance only; packaging moves to a partner.",
     "Meridian Suzhou", 120, None, 3),
    (NM, "mei@meridian.example", "supply_delay", "Velarimab DS lot 4 release slips three weeks",
     "A raw-material shortage delays lot 4; lots 5 and 6 keep their dates.", "Meridian Boston",
     21, None, 1),
    (NA, "nora@northwind.example", "other", "Stability pulls move to a yearly plan",
     "From January we send one yearly pull plan instead of monthly requests.", None, 40,
     "ari@aurora.example", 20),
]

RECOGNITIONS = [
    # partnership, from, to (people), team, message, days ago
    (NM, "nora@northwind.example", ["mei@meridian.example", "ravi@meridian.example"], "",
     "Thank you for the weekend shift that rescued DS lot 3 — the clinic got its supply.", 4),
    (NM, "mei@meridian.example", [], "Northwind supply chain",
     "The 2027 forecast came early and complete: our planning finally has solid ground.", 12),
    (NM, "quinn@northwind.example", ["ravi@meridian.example"], "",
     "A model deviation investigation: root cause, evidence, CAPA in one clear report.", 40),
    (NA, "nora@northwind.example", ["ari@aurora.example"], "Aurora stability team",
     "The stability data package was complete on the first try. Thank you!", 9),
    (HM, "hana@helix.example", ["max@meridian.example"], "",
     "Thanks for flagging the Cape Town impact to us before the announcement.", 70),
]

SURVEY_COMMENTS = ["Clear weekly updates; escalations came early.",
                   "Answers to quality questions took too long.",
                   "Good partnership spirit in the QBR.",
                   "Documentation sometimes arrives incomplete.",
                   "Forecasts changed late, which hurt our planning."]


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
        yield NM, email, quarter, 3, 0, SURVEY_COMMENTS[index]
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
            comment = SURVEY_COMMENTS[(index + age) % len(SURVEY_COMMENTS)]
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
    day = datetime.timedelta(days=1)
    for pair, title, category, likelihood, impact, owner, review, status, internal, milestone, \
            mitigation in RISKS:
        partnership = partnerships[pair]
        author = people[owner].organization if internal else partnership.sponsor
        risk, _ = Risk.objects.update_or_create(partnership=partnership, title=title, defaults={
            "category": category, "likelihood": likelihood, "impact": impact,
            "owner": people[owner], "mitigation": mitigation, "status": status,
            "review_date": None if review is None else today + review * day,
            "is_internal": internal, "author_organization": author,
            "created_by": people[owner]})
        if milestone:
            risk.milestones.set(Milestone.objects.filter(
                partnership=partnership, tech_transfer__title=milestone[0], kind=milestone[1]))
    now = timezone.now()
    for pair, poster, kind, title, body, site, effective, acknowledger, age in NOTICES:
        partnership, author = partnerships[pair], people[poster]
        notice, _ = Notice.objects.update_or_create(partnership=partnership, title=title,
                                                    defaults={
            "kind": kind, "body": body, "author_organization": author.organization,
            "created_by": author, "site": Site.objects.filter(name=site).first(),
            "effective_date": None if effective is None else today + effective * day,
            "acknowledged_by": people.get(acknowledger),
            "acknowledged_at": now - (age - 2) * day if acknowledger else None})
        Notice.objects.filter(pk=notice.pk).update(created_at=now - age * day)
    for pair, sender, recipients, team, message, age in RECOGNITIONS:
        partnership, author = partnerships[pair], people[sender]
        recognition, _ = Recognition.objects.update_or_create(
            partnership=partnership, message=message, defaults={
                "team": team, "author_organization": author.organization,
                "created_by": author})
        recognition.recipients.set([people[email] for email in recipients])
        Recognition.objects.filter(pk=recognition.pk).update(created_at=now - age * day)
    for pair, email, quarter, base, age, comment in _survey_answers(today):
        lift = SURVEY_TREND.get(age, 0)
        partnership, person = partnerships[pair], people[email]
        party = partnership.party_of(person)
        SurveyResponse.objects.update_or_create(
            partnership=partnership, quarter=quarter, respondent=person, defaults={
                "rated_party": "cdmo" if party == "sponsor" else "sponsor",
                "communication": base + 1, "responsiveness": base + lift,
                "quality": min(base + 1, 5), "respect": min(base + 2, 5),
                "alignment": base + lift,
                "comments": comment})


# --- Formal requests ------------------------------------------------------

REQUESTS = [
    # partnership, title, sent by (email), answers (email), kind, urgency, days ago, status
    (NM, "Executed batch record of DS lot 3", "nora@northwind.example",
     "mei@meridian.example", "document", "normal", 150, "accepted"),
    (NM, "Quote for two additional PPQ batches", "nora@northwind.example",
     "mei@meridian.example", "quote", "normal", 120, "accepted"),
    (NM, "Retain sample pull for lot 2 investigation", "quinn@northwind.example",
     "ravi@meridian.example", "sample_pull", "urgent", 90, "fulfilled"),
    (NM, "Confirm the resin supplier change", "mei@meridian.example",
     "quinn@northwind.example", "change", "normal", 75, "accepted"),
    (NM, "Updated reference standard CoA", "ravi@meridian.example",
     "quinn@northwind.example", "document", "normal", 40, "in_progress"),
    (NM, "Extra bioburden testing on the holding step", "quinn@northwind.example",
     "ravi@meridian.example", "testing", "urgent", 20, "acknowledged"),
    (NM, "Which column did the lab validate the HPLC method on?", "mei@meridian.example",
     "nora@northwind.example", "information", "normal", 8, "acknowledged"),
    (NM, "2027 capacity reservation terms", "nora@northwind.example",
     "mei@meridian.example", "information", "normal", 6, "queried"),
    (NM, "Deviation report DEV-2291 in full", "quinn@northwind.example",
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
    (HM, "Suzhou campaign dates in writing", "hana@helix.example", "max@meridian.example",
     "information", "normal", 60, "accepted"),
    (HM, "Characterization protocol comments", "max@meridian.example", "hana@helix.example",
     "document", "urgent", 12, "in_progress"),
    (HM, "Quote for a third conjugation batch", "hana@helix.example", "max@meridian.example",
     "quote", "normal", 110, "accepted"),
    (HM, "Executed batch record of lot H-5", "hana@helix.example", "max@meridian.example",
     "document", "normal", 28, "fulfilled"),
    (HM, "Change of buffer supplier for the conjugation step", "max@meridian.example",
     "hana@helix.example", "change", "normal", 10, "queried"),
    (HM, "Emergency: sterility retest of lot H-7", "max@meridian.example",
     "hana@helix.example", "testing", "emergency", 3, "sent"),  # late
    (HM, "Emergency: hold the lot H-8 shipment", "hana@helix.example", "max@meridian.example",
     "information", "emergency", 0.1, "acknowledged"),
]
REQUEST_NOTES = {
    "Emergency: regulator question on the filter validation":
        "The agency's deficiency letter gives us five working days; without the filter "
        "validation data the response misses the deadline and the approval slips a cycle.",
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
              "cancelled": ["send", "cancel"]}
_STEP_STATUS = {"send": "sent", "query": "queried", "acknowledge": "acknowledged",
                "start": "in_progress", "fulfil": "fulfilled", "accept": "accepted",
                "cancel": "cancelled"}


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


def seed_requests(today: datetime.date) -> None:
    """Requests both ways in every status over five months, some late, emergencies with one
    over the sponsor's budget, and one question relayed from Meridian's partnership to
    Aurora's. Idempotent: keyed on partnership and title; the timeline is rebuilt."""
    now = timezone.now()
    people = {user.email: user for user in User.objects.filter(
        email__in={e for row in REQUESTS for e in row[2:4] if e})}
    by_title = {}
    for (sponsor, cdmo), title, sender, answerer, kind, urgency, days, status in REQUESTS:
        partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
        author = people[sender]
        party = partnership.party_of(author)
        sent_at = _sent_at(now, days)
        span = now - sent_at
        path = _STEP_PATH[status]
        moments = {step: sent_at + span * index / (len(path) + 1)
                   for index, step in enumerate(path)}
        acknowledged = moments.get("acknowledge")
        note = REQUEST_NOTES.get(title, "")
        request, _ = Request.objects.update_or_create(
            partnership=partnership, title=title, defaults={
                "description": f"{title}. Details as discussed in the weekly check-in.",
                "kind": kind, "urgency": urgency, "requested_by_party": party,
                "author_organization_id": author.organization_id, "created_by": author,
                "assignee": people.get(answerer), "status": status, "sent_at": sent_at,
                "acknowledge_by": sent_at + datetime.timedelta(
                    hours=partnership.acknowledgement_hours),
                "acknowledged_at": acknowledged,
                "committed_date": (acknowledged.date() + datetime.timedelta(days=14))
                if acknowledged else None,
                "question": "Which volume do you mean: 2027 only, or 2027–2028?"
                if status == "queried" else "",
                "fulfilled_at": moments.get("fulfil"),
                "fulfilment_note": "Sent through the shared folder." if "fulfil" in moments
                else "",
                "closed_at": moments.get("accept") or moments.get("cancel"),
                "emergency_justification": note, "is_internal": False})
        request.steps.all().delete()
        for step in path:
            actor = author if step in ("send", "accept", "cancel", "answer") else \
                people.get(answerer) or author
            RequestStep.objects.create(
                partnership=partnership, request=request, step=step,
                status=_STEP_STATUS[step], actor=actor, at=moments[step],
                note={"query": request.question, "fulfil": request.fulfilment_note,
                      "acknowledge": f"Committed to {request.committed_date:%d %b %Y}."
                      if request.committed_date else ""}.get(step, ""))
        by_title[title] = request
    for relay, original in RELAYS:
        Request.objects.filter(pk=by_title[relay].pk).update(relayed_from=by_title[original])
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
    Notification.objects.filter(partnership__in=demo, kind="escalated").delete()
    for days in range(ESCALATION_DAYS, -1, -1):
        escalations_advance(now=now - datetime.timedelta(days=days), partnerships=demo)
    for model, parent, parent_id in ((RequestEscalation, Request, "request_id"),
                                     (ActionItemEscalation, ActionItem, "action_id")):
        record_type = ContentType.objects.get_for_model(parent)
        for step in model.objects.filter(partnership__in=demo):
            old = now - step.reached_at > datetime.timedelta(days=7)
            Notification.objects.filter(
                kind="escalated", record_type=record_type, record_id=getattr(step, parent_id),
                title__startswith=f"Escalated to level {step.level} (").update(
                created_at=step.reached_at, emailed_at=step.reached_at,
                read_at=step.reached_at + datetime.timedelta(hours=1) if old else None)
