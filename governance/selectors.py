"""Reads of the governance app; each starts from the scoped queryset (DESIGN §2)."""

import datetime
import re
from typing import NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Left
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from governance.models import (
    ActionItem,
    ActionItemEscalation,
    CalendarFeed,
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
from partnership.models import (
    Contract,
    Deliverable,
    Membership,
    Milestone,
    Objective,
    Organization,
    Partnership,
    Program,
    Site,
    TechTransfer,
    User,
)
from partnership.scoping import shared_lookups


def escalation_level(model, parent: str, window: str, still_open: Q) -> Case:
    """The level an item `still_open` has reached in its current window (None if it has
    not escalated, or no longer waits), as a column: the list rows' "Escalated" badge in
    the same query. The steps of a visible item are as visible as the item (INTERNAL_VIA),
    so the subquery needs no scoping of its own."""
    reached = model.objects.filter(**{parent: OuterRef("pk"), window: OuterRef(window)})
    return Case(When(still_open, then=Subquery(reached.order_by("-level").values("level")[:1])),
                output_field=PositiveSmallIntegerField())


def action_item_list(*, user: User, partnership: Partnership | None = None
                     ) -> QuerySet[ActionItem]:
    items = ActionItem.objects.visible_to(user).select_related(
        "owner__organization", "partnership__sponsor", "partnership__cdmo").annotate(
        escalation_level=escalation_level(ActionItemEscalation, "action", "due_date",
                                          ~Q(status__in=ActionItem.CLOSED)))
    return items.filter(partnership=partnership) if partnership else items


def action_item_escalations(*, user: User, item: ActionItem
                            ) -> QuerySet[ActionItemEscalation]:
    """Every step the action took up the escalation path, all due dates, oldest first."""
    return ActionItemEscalation.objects.visible_to(user).filter(action=item)


def my_work(*, user: User) -> dict:
    """What the user owes across all their partnerships: overdue, due this week, later."""
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    mine = action_item_list(user=user).filter(owner=user).exclude(status__in=ActionItem.CLOSED)
    return {
        "overdue": mine.filter(due_date__lt=today),
        "this_week": mine.filter(due_date__gte=today, due_date__lte=week_end),
        "later": mine.filter(due_date__gt=week_end),
    }


# --- Meetings, calendar feeds and decisions ---------------------------

def meeting_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo", "created_by").annotate(
        attendee_count=Count("attendees", distinct=True)).order_by("starts_at", "pk")
    return meetings.filter(partnership=partnership) if partnership else meetings


def main_site(organization: Organization) -> Site | None:
    """The organization's main site, else its first active one: where 'local time' is."""
    sites = Site.objects.filter(organization=organization)
    return sites.filter(is_main=True).first() or \
        sites.filter(status=Site.Status.ACTIVE).order_by("name").first()


def meeting_detail(*, meeting: Meeting, user: User) -> dict:
    """What the meeting page shows besides the meeting: its time at each party's main site,
    attendees by party, and the decisions and actions that came out of it (scoped)."""
    partnership = meeting.partnership
    sites = []
    for organization in (partnership.sponsor, partnership.cdmo):
        site = main_site(organization)
        if site is not None:
            sites.append((organization, site))
    attendees = list(meeting.attendees.select_related("organization"))
    return {
        "site_times": sites,
        "sponsor_attendees": [p for p in attendees if p.organization_id == partnership.sponsor_id],
        "cdmo_attendees": [p for p in attendees if p.organization_id == partnership.cdmo_id],
        "decisions": decision_list(user=user, partnership=partnership).filter(meeting=meeting),
        "actions": action_item_list(user=user, partnership=partnership).filter(meeting=meeting),
    }


def calendar_feed_meetings(*, secret: str) -> tuple[User, QuerySet[Meeting]] | None:
    """The meetings a personal feed shows: what its owner may see NOW (so a lost seat empties
    the feed), cancelled ones included so calendars drop them. None for an unknown secret."""
    feed = CalendarFeed.objects.select_related("user").filter(
        secret=secret, user__is_active=True).first()
    if feed is None:
        return None
    since = timezone.now() - datetime.timedelta(days=400)
    return feed.user, meeting_list(user=feed.user).filter(starts_at__gte=since)


def decision_list(*, user: User, partnership: Partnership | None = None
                  ) -> QuerySet[Decision]:
    decisions = Decision.objects.visible_to(user).select_related(
        "meeting", "partnership__sponsor", "partnership__cdmo").prefetch_related(
        Prefetch("decided_by", queryset=User.objects.select_related("organization")))
    return decisions.filter(partnership=partnership) if partnership else decisions


# --- Risks, notices, recognition and the feedback survey ----------------------------------

def risk_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Risk]:
    """Risks with their score as a column (`risk_score`), so lists filter and sort on it."""
    risks = Risk.objects.visible_to(user).select_related("owner__organization").annotate(
        risk_score=F("likelihood") * F("impact")).order_by("-risk_score", "-impact", "pk")
    return risks.filter(partnership=partnership) if partnership else risks


def risk_heat_map(*, user: User, partnership: Partnership) -> list[dict]:
    """Open risks counted per cell of the 5 × 5 grid in one GROUP BY: rows are likelihood
    5 → 1 (most likely on top), columns impact 1 → 5, each cell with its band."""
    counts = {
        (row["likelihood"], row["impact"]): row["count"]
        for row in Risk.objects.visible_to(user).filter(
            partnership=partnership, status=Risk.Status.OPEN).values(
            "likelihood", "impact").annotate(count=Count("pk")).order_by()
    }
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            band, label = Risk.band_of(likelihood * impact)
            cells.append({"likelihood": likelihood, "impact": impact,
                          "score": likelihood * impact, "band": band, "band_label": label,
                          "count": counts.get((likelihood, impact), 0)})
        rows.append({"likelihood": likelihood, "cells": cells})
    return rows


def notice_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Notice]:
    notices = Notice.objects.visible_to(user).select_related(
        "author_organization", "created_by", "acknowledged_by", "site",
        "partnership__sponsor", "partnership__cdmo")
    return notices.filter(partnership=partnership) if partnership else notices


def notices_awaiting(*, user: User, partnership: Partnership | None = None
                     ) -> QuerySet[Notice]:
    """Notices the user's party must still acknowledge: posted by the other party and not
    yet acknowledged by anyone of the user's."""
    return notice_list(user=user, partnership=partnership).filter(
        acknowledged_at__isnull=True).exclude(author_organization_id=user.organization_id)


def recognition_list(*, user: User, partnership: Partnership) -> QuerySet[Recognition]:
    """Thank-yous of the partnership, newest first."""
    return Recognition.objects.visible_to(user).filter(partnership=partnership).select_related(
        "created_by", "author_organization").prefetch_related(
        Prefetch("recipients", queryset=User.objects.order_by("first_name", "last_name")))


def survey_answer_of(*, user: User, partnership: Partnership,
                     quarter: datetime.date | None = None) -> SurveyResponse | None:
    """The user's own answer for the quarter (the current one by default), if any."""
    return SurveyResponse.objects.visible_to(user).filter(
        partnership=partnership, respondent=user,
        quarter=quarter or SurveyResponse.current_quarter()).first()


def survey_results(*, user: User, partnership: Partnership, quarters: int = 6) -> dict:
    """Results per rated party for the closed quarters among the last `quarters` (the open
    one included in the count), computed in the database (two queries whatever the number
    of answers); no respondent is ever part of the result.

    A quarter's figures are published only once it has closed, and only from
    MIN_FOR_DETAIL respondents on. While a quarter is open, each new answer would show as a
    step in its average (4 × new − 3 × old is the newcomer's answer); below the minimum an
    average is one person's answer, or a colleague's once you subtract your own. So an
    unpublished quarter gives neither averages, overall, change, comments nor its exact
    count, and the open quarter gives at most how many have answered so far. "Change" is
    against the calendar quarter just before, and only when that one is published too."""
    answers = SurveyResponse.objects.visible_to(user).filter(partnership=partnership)
    current = oldest = SurveyResponse.current_quarter()
    for _ in range(quarters - 1):
        oldest = SurveyResponse.previous_quarter(oldest)
    dimensions, minimum = SurveyResponse.DIMENSIONS, SurveyResponse.MIN_FOR_DETAIL
    rows = list(answers.filter(quarter__gte=oldest).values("rated_party", "quarter").annotate(
        respondents=Count("pk"), **{name: Avg(name) for name in dimensions}).order_by(
        "rated_party", "-quarter"))
    published_rows = [row for row in rows
                      if row["quarter"] < current and row["respondents"] >= minimum]
    comments: dict[tuple, list[str]] = {}
    if published_rows:
        which = Q()
        for row in published_rows:
            which |= Q(rated_party=row["rated_party"], quarter=row["quarter"])
        for party, quarter, text in answers.filter(which).exclude(comments="").order_by(
                "comments").values_list("rated_party", "quarter", "comments"):
            comments.setdefault((party, quarter), []).append(text)
    figures = {}  # (party, quarter) -> (averages, overall) of the published quarters
    for row in published_rows:
        averages = {name: round(float(row[name]), 1) for name in dimensions}
        figures[row["rated_party"], row["quarter"]] = (
            averages, round(sum(averages.values()) / len(dimensions), 1))
    parties = []
    for code, rated, rating in (("cdmo", partnership.cdmo, partnership.sponsor),
                                ("sponsor", partnership.sponsor, partnership.cdmo)):
        so_far = next((row["respondents"] for row in rows
                       if row["rated_party"] == code and row["quarter"] == current), 0)
        results = []
        for row in rows:
            if row["rated_party"] != code or row["quarter"] == current:
                continue
            quarter = row["quarter"]
            averages, overall = figures.get((code, quarter), (None, None))
            before = figures.get((code, SurveyResponse.previous_quarter(quarter)))
            published = averages is not None
            results.append({
                "quarter": quarter, "label": SurveyResponse.quarter_label(quarter),
                "published": published,
                "respondents": row["respondents"] if published else None,
                "averages": averages, "overall": overall,
                "change": round(overall - before[1], 1) if published and before else None,
                "comments": comments.get((code, quarter), []),
            })
        parties.append({"party": code, "rated": rated, "rated_by": rating,
                        "answers_so_far": so_far if so_far >= minimum else None,
                        "quarters": results})
    return {"current_quarter": current, "current_label": SurveyResponse.quarter_label(current),
            "current_ends": SurveyResponse.quarter_end(current), "dimensions": dimensions,
            "min_for_detail": minimum, "parties": parties}


# --- Formal requests ------------------------------------------------------

def request_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Request]:
    """Requests the user may see, each annotated with the ids of its links to other
    partnerships (relayed from / relayed to) that the user may also see: a CDMO learns
    nothing of the sponsor's other partnership, the sponsor sees both ends."""
    visible = Request.objects.visible_to(user)
    requests = visible.select_related(
        "partnership__sponsor", "partnership__cdmo", "assignee", "created_by").annotate(
        linked_from_id=Subquery(visible.filter(pk=OuterRef("relayed_from_id")).values("pk")[:1]),
        linked_relay_ids=ArraySubquery(visible.filter(relayed_from_id=OuterRef("pk"))
                                       .order_by("pk").values("pk")),
        escalation_level=escalation_level(RequestEscalation, "request", "acknowledge_by",
                                          Q(status=Request.Status.SENT)))
    return requests.filter(partnership=partnership) if partnership else requests


def request_links(*, user: User, request: Request) -> dict:
    """The other ends of a request's relays, only those the user may see (DESIGN §2)."""
    visible = Request.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo")
    relayed_from = visible.filter(pk=request.relayed_from_id).first() \
        if request.relayed_from_id else None
    return {"relayed_from": relayed_from,
            "relays": list(visible.filter(relayed_from=request).order_by("pk"))}


def request_milestone_choices(*, user: User, partnership: Partnership
                              ) -> QuerySet[Milestone]:
    """The tech-transfer milestones a request of the partnership may wait on: those both
    parties see (a request is read by the other party; an internal milestone is not)."""
    return Milestone.objects.visible_to(user).filter(
        partnership=partnership, **shared_lookups(Milestone)).select_related("tech_transfer")


def request_milestones(*, user: User, request: Request | None = None) -> QuerySet[Milestone]:
    """The milestones waiting on `request` (on any request, for a prefetch) that the user
    may see: whatever is linked, a milestone internal to the other party never shows."""
    milestones = Milestone.objects.visible_to(user).select_related("tech_transfer")
    return milestones.filter(requests=request) if request is not None else milestones


def request_timeline(*, user: User, request: Request) -> QuerySet[RequestStep]:
    return RequestStep.objects.visible_to(user).filter(request=request).select_related(
        "actor__organization")


def request_escalations(*, user: User, request: Request) -> QuerySet[RequestEscalation]:
    """Every step the request took up the escalation path, all windows, oldest first."""
    return RequestEscalation.objects.visible_to(user).filter(request=request)


def month_start_utc(now: datetime.datetime | None = None) -> datetime.datetime:
    """Emergency budgets run per calendar month in UTC, the same for both parties."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def emergency_usage(*, partnership: Partnership, now: datetime.datetime | None = None
                    ) -> dict[str, tuple[int, int]]:
    """{party: (emergencies sent in the calendar month (UTC) of `now`, monthly budget)} of
    one partnership. Cancelled emergencies count too: they were sent, and the other party
    dropped everything."""
    start = month_start_utc(now)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    counts = dict(Request.objects.filter(
        partnership=partnership, urgency=Request.Urgency.EMERGENCY,
        sent_at__gte=start, sent_at__lt=end).values("requested_by_party").annotate(
        n=Count("pk")).values_list("requested_by_party", "n").order_by())
    return {"sponsor": (counts.get("sponsor", 0), partnership.sponsor_emergency_budget),
            "cdmo": (counts.get("cdmo", 0), partnership.cdmo_emergency_budget)}


def relay_targets(*, user: User, request: Request) -> QuerySet[Partnership]:
    """Where the sponsor may relay a request: its other partnerships it works in."""
    if user.organization_id != request.partnership.sponsor_id:
        return Partnership.objects.none()
    targets = Partnership.objects.visible_to(user).filter(
        sponsor_id=request.partnership.sponsor_id).exclude(pk=request.partnership_id)
    # Partnership.can_write as one query: a writing seat, or an admin without a seat there.
    seats = Membership.objects.filter(user=user, partnership=OuterRef("pk"))
    writes = Q(Exists(seats.filter(role__in=Membership.WRITING_ROLES)))
    if user.is_org_admin:
        writes |= ~Q(Exists(seats))
    return targets.filter(writes).select_related("sponsor", "cdmo")


# --- Global search ------------------------------------------------------



# What the search box looks through: (heading, model, the text fields a snippet shows). What
# matches is each model's `search_document` (partnership.search.search_document_field).
SEARCHABLE = (
    ("Programs", Program, ("code", "description")),
    ("Contracts", Contract, ("reference",)),
    ("Deliverables", Deliverable, ("description",)),
    ("Objectives", Objective, ("measure_of_success",)),
    ("Tech transfers", TechTransfer, ()),
    ("Action items", ActionItem, ("description",)),
    ("Meetings", Meeting, ("agenda", "minutes", "location")),
    ("Decisions", Decision, ("rationale",)),
    ("Requests", Request, ("description", "question", "answer", "fulfilment_note")),
    ("Risks", Risk, ("description", "mitigation")),
    ("Notices", Notice, ("body",)),
    ("Recognition", Recognition, ("message",)),
)
SEARCH_PER_TYPE = 10


class SearchGroup(NamedTuple):
    heading: str
    records: list
    more: bool  # more records of this kind match than `records` holds


def search_query(text: str) -> SearchQuery | None:
    """Every word typed must match, the last one also as the start of a word, so results
    follow the typing ("zirc" finds zirconium). Only runs of letters and digits reach
    PostgreSQL, each quoted as one term: nothing typed can be tsquery syntax, so `a & | ! (`
    or a lone quote is a search for "a", not an error. None when nothing is left."""
    words = re.findall(r"[^\W_]+", text)
    if not words:
        return None
    terms = [f"'{word}'" for word in words]
    terms[-1] += ":*"
    return SearchQuery(" & ".join(terms), search_type="raw", config="english")


def search(*, user: User, query: str, per_type: int = SEARCH_PER_TYPE) -> list[SearchGroup]:
    """The kinds of record matching `query` in the user's partnerships, best first, at most
    `per_type` records per kind (one more is read to know whether there are more).

    Each kind is searched from its own `visible_to(user)`, so a competing sponsor's record
    or the other party's internal one is never found: one query per kind, whatever the data.
    Filter and rank read the stored, GIN-indexed `search_document`: the matches come from
    the index, and no record's text is parsed again to rank it.
    """
    query = query.strip()
    terms = search_query(query) if len(query) >= 2 else None
    if terms is None:
        return []
    results = []
    for heading, model, others in SEARCHABLE:
        found = model.objects.visible_to(user).filter(search_document=terms).annotate(
            rank=SearchRank(F("search_document"), terms)).defer("search_document")
        found = found.select_related("partnership__sponsor", "partnership__cdmo").order_by(
            "-rank", "-pk")
        if others:
            text = Concat(*[part for name in others for part in (F(name), Value(" … "))],
                          output_field=CharField()) if len(others) > 1 else F(others[0])
            found = found.annotate(search_headline=SearchHeadline(
                text, terms, config="english", start_sel=_MARK_START, stop_sel=_MARK_STOP,
                max_words=25, min_words=8))
        found = list(found[:per_type + 1])
        for record in found:
            record.snippet = _snippet(getattr(record, "search_headline", ""))
        if found:
            results.append(SearchGroup(heading, found[:per_type], len(found) > per_type))
    return results


# PostgreSQL marks the matched words with these; the text is escaped before they become
# <mark> tags, so nothing a person typed into a record is ever rendered as HTML.
_MARK_START, _MARK_STOP = "\x02", "\x03"


def _snippet(headline: str) -> str:
    """The matching passage of a record's text, HTML-escaped, the matches in <mark>; "" when
    the text around the match says nothing (only the title matched)."""
    if not headline or _MARK_START not in headline:
        return ""
    return mark_safe(escape(headline.strip(" …")).replace(_MARK_START, "<mark>")
                     .replace(_MARK_STOP, "</mark>"))


# --- The partnership home's cockpit --------------------------------------

COCKPIT_ROWS = 6  # per list on a card: a cockpit points at the lists, it does not replace them
SOON_DAYS = 7
COMING_UP_DAYS = 14  # the deadlines of the "Coming up" card
# Recent activity: what each kind of record is called, its detail URL name, and which of
# its rows count (a series of meetings is scheduled once: its first meeting stands for it).
ACTIVITY = (
    (ActionItem, "Action", "title", "governance:actionitem_detail", Q()),
    (Meeting, "Meeting", "title", "governance:meeting_detail", Q(series__isnull=True)),
    (Decision, "Decision", "title", "governance:decision_detail", Q()),
    (Request, "Request", "title", "governance:request_detail", Q()),
    (Risk, "Risk", "title", "governance:risk_detail", Q()),
    (Notice, "Notice", "title", "governance:notice_detail", Q()),
    (Recognition, "Thank-you", "message", "governance:recognition_list", Q()),
)


def _activity_url(name: str, partnership_id: int, pk: int) -> str:
    if name == "governance:recognition_list":
        return reverse(name, args=[partnership_id])
    return reverse(name, args=[partnership_id, pk])


def recent_activity(*, user: User, partnership: Partnership, limit: int = 8) -> list[dict]:
    """The latest records created in the partnership, of every kind, in ONE query (a UNION
    of each model's `visible_to(user)`): the other party's internal records never appear."""
    parts = [
        model.objects.visible_to(user).filter(only, partnership=partnership).annotate(
            activity_label=Left(field, 120),
            activity_kind=Value(kind, output_field=CharField()),
            activity_url=Value(url_name, output_field=CharField()),
        ).values_list("activity_kind", "pk", "activity_label", "created_at", "activity_url")
        .order_by()
        for model, kind, field, url_name, only in ACTIVITY
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-created_at")[:limit]
    return [{"kind": kind, "label": label, "created_at": created_at,
             "url": _activity_url(url_name, partnership.pk, pk)}
            for kind, pk, label, created_at, url_name in rows]


# What the cards show of requests, and what the request list's "show" filter lists when a
# card links to it: one definition for both, so a card's link lists what the card shows.

def requests_awaiting(requests: QuerySet[Request], *, user: User) -> QuerySet[Request]:
    """Requests whose next step is the user's party's (acknowledge one it received, answer the
    question on or accept the work of one it sent) or the user's own (assigned to them and
    being worked on)."""
    ours = Q(author_organization_id=user.organization_id)  # the requester's organization
    return requests.filter(
        (Q(status=Request.Status.SENT) & ~ours)
        | (Q(status__in=(Request.Status.QUERIED, Request.Status.FULFILLED)) & ours)
        | Q(assignee=user, status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS)))


def requests_overdue(requests: QuerySet[Request]) -> QuerySet[Request]:
    """Requests the receiver is late with: not acknowledged in the agreed time, or still being
    worked on after the committed date."""
    return requests.filter(
        status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS),
        committed_date__lt=timezone.localdate()) | requests.late()


def requests_due_soon(requests: QuerySet[Request]) -> QuerySet[Request]:
    """Requests still asked or worked on whose date falls in the next COMING_UP_DAYS days,
    annotated with it as `deadline`: the committed date once acknowledged, else the date the
    requester needs it by."""
    today = timezone.localdate()
    return requests.annotate(deadline=Coalesce("committed_date", "needed_by")).filter(
        status__in=(Request.Status.SENT, Request.Status.QUERIED, Request.Status.ACKNOWLEDGED,
                    Request.Status.IN_PROGRESS),
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=COMING_UP_DAYS))


def coming_up(*, user: User, partnership: Partnership, shown: set[tuple[str, int]]
              ) -> list[dict]:
    """The "Coming up" card: the next meetings, and the deadlines of the next COMING_UP_DAYS
    days (the user's own open actions, the partnership's requests), in date order. What
    another card already shows (`shown`: (kind, pk) pairs) is left out, so no item is listed
    twice on the page. Three queries however much is planned."""
    now, today = timezone.now(), timezone.localdate()
    soon = today + datetime.timedelta(days=COMING_UP_DAYS)
    meetings = meeting_list(user=user, partnership=partnership).filter(
        status=Meeting.Status.SCHEDULED, starts_at__gte=now).order_by("starts_at", "pk")
    actions = action_item_list(user=user, partnership=partnership).filter(
        owner=user, due_date__gte=today, due_date__lte=soon).exclude(
        status__in=ActionItem.CLOSED).exclude(
        pk__in=[pk for kind, pk in shown if kind == "action"]).order_by("due_date", "pk")
    requests = requests_due_soon(Request.objects.visible_to(user).filter(
        partnership=partnership)).exclude(
        pk__in=[pk for kind, pk in shown if kind == "request"]).order_by("deadline", "pk")
    entries = [
        *({"kind": "meeting", "record": meeting, "at": meeting.starts_at,
           "date": timezone.localtime(meeting.starts_at).date()}
          for meeting in meetings[:COCKPIT_ROWS]),
        *({"kind": "action", "record": item, "at": None, "date": item.due_date}
          for item in actions[:COCKPIT_ROWS]),
        *({"kind": "request", "record": request, "at": None, "date": request.deadline}
          for request in requests[:COCKPIT_ROWS]),
    ]
    # A meeting before the deadlines of its day; the day's meetings by their time.
    entries.sort(key=lambda entry: (entry["date"], entry["at"] is None, entry["at"] or now))
    return entries[:COCKPIT_ROWS]


def cockpit(*, user: User, partnership: Partnership) -> dict:
    """The cards of the partnership home: what awaits the viewer, what is overdue, what is
    coming up, the top open risks, recent activity and recognition. Every list starts from
    `visible_to(user)` and is cut to a few rows, so the page costs the same number of
    queries however much history the partnership has."""
    today = timezone.localdate()
    party = partnership.party_of(user)
    open_actions = action_item_list(user=user, partnership=partnership).exclude(
        status__in=ActionItem.CLOSED)
    requests = Request.objects.visible_to(user).filter(partnership=partnership).select_related(
        "assignee")
    if party:
        awaiting_requests = list(requests_awaiting(requests, user=user).order_by(
            "acknowledge_by", "pk")[:COCKPIT_ROWS])
        awaiting_notices = list(notices_awaiting(user=user, partnership=partnership)
                                .order_by("created_at")[:COCKPIT_ROWS])
    else:
        awaiting_requests, awaiting_notices = [], []
    my_actions = list(open_actions.filter(
        owner=user, due_date__lte=today + datetime.timedelta(days=SOON_DAYS))
        .order_by("due_date", "pk")[:COCKPIT_ROWS])
    overdue_actions = list(open_actions.filter(due_date__lt=today)
                           .order_by("due_date", "pk")[:COCKPIT_ROWS])
    overdue_requests = list(requests_overdue(requests).order_by(
        "committed_date", "acknowledge_by", "pk")[:COCKPIT_ROWS])
    shown = {("action", item.pk) for item in (*my_actions, *overdue_actions)} | {
        ("request", r.pk) for r in (*awaiting_requests, *overdue_requests)}
    return {
        "template": "governance/cockpit.html",
        "today": today,
        "coming_up_days": COMING_UP_DAYS,
        "awaiting_requests": awaiting_requests,
        "awaiting_notices": awaiting_notices,
        "my_actions": my_actions,
        "overdue_actions": overdue_actions,
        "overdue_requests": overdue_requests,
        "coming_up": coming_up(user=user, partnership=partnership, shown=shown),
        "risks": list(risk_list(user=user, partnership=partnership).filter(
            status=Risk.Status.OPEN)[:COCKPIT_ROWS]),
        "activity": recent_activity(user=user, partnership=partnership),
        "recognitions": list(recognition_list(user=user, partnership=partnership)[:3]),
    }
