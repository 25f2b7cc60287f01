"""Reads of the governance app; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from governance.models import (
    ActionItem,
    CalendarFeed,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    RequestStep,
    Risk,
    SurveyResponse,
)
from partnership.models import Milestone, Organization, Partnership, Site, User


def action_item_list(*, user: User, partnership: Partnership | None = None
                     ) -> QuerySet[ActionItem]:
    items = ActionItem.objects.visible_to(user).select_related(
        "owner__organization", "partnership__sponsor", "partnership__cdmo")
    return items.filter(partnership=partnership) if partnership else items


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


# --- Meetings, calendar feeds and decisions (issue 4 items 1–3) ---------------------------

def meeting_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo").annotate(
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


def survey_own_answers(*, user: User) -> QuerySet[SurveyResponse]:
    """The only individual answers anyone is ever shown: their own."""
    return SurveyResponse.objects.visible_to(user).filter(respondent=user)


def survey_results(*, user: User, partnership: Partnership, quarters: int = 6) -> dict:
    """Averages per rated party and quarter over the last `quarters` quarters, computed in
    the database (two queries whatever the number of answers). Comments come only for a
    party and quarter with at least MIN_FOR_DETAIL respondents, ordered by their text so
    nothing hints at who wrote which; no respondent is ever part of the result."""
    answers = SurveyResponse.objects.visible_to(user).filter(partnership=partnership)
    current = oldest = SurveyResponse.current_quarter()
    for _ in range(quarters - 1):
        oldest = SurveyResponse.previous_quarter(oldest)
    dimensions = SurveyResponse.DIMENSIONS
    rows = list(answers.filter(quarter__gte=oldest).values("rated_party", "quarter").annotate(
        respondents=Count("pk"), **{name: Avg(name) for name in dimensions}).order_by(
        "rated_party", "-quarter"))
    detailed = [(row["rated_party"], row["quarter"]) for row in rows
                if row["respondents"] >= SurveyResponse.MIN_FOR_DETAIL]
    comments: dict[tuple, list[str]] = {}
    if detailed:
        which = Q()
        for party, quarter in detailed:
            which |= Q(rated_party=party, quarter=quarter)
        for party, quarter, text in answers.filter(which).exclude(comments="").order_by(
                "comments").values_list("rated_party", "quarter", "comments"):
            comments.setdefault((party, quarter), []).append(text)
    parties = []
    for code, rated, rating in (("cdmo", partnership.cdmo, partnership.sponsor),
                                ("sponsor", partnership.sponsor, partnership.cdmo)):
        own = [row for row in rows if row["rated_party"] == code]
        results = []
        for index, row in enumerate(own):
            averages = {name: round(float(row[name]), 1) for name in dimensions}
            overall = round(sum(averages.values()) / len(dimensions), 1)
            older = own[index + 1] if index + 1 < len(own) else None
            change = None
            if older is not None:
                change = round(overall - sum(float(older[n]) for n in dimensions)
                               / len(dimensions), 1)
            results.append({
                "quarter": row["quarter"], "label": SurveyResponse.quarter_label(row["quarter"]),
                "respondents": row["respondents"], "averages": averages, "overall": overall,
                "change": change,
                "detailed": row["respondents"] >= SurveyResponse.MIN_FOR_DETAIL,
                "comments": comments.get((code, row["quarter"]), []),
            })
        parties.append({"party": code, "rated": rated, "rated_by": rating,
                        "quarters": results})
    return {"current_quarter": current, "current_label": SurveyResponse.quarter_label(current),
            "dimensions": dimensions, "min_for_detail": SurveyResponse.MIN_FOR_DETAIL,
            "parties": parties}


# --- Formal requests (issue 4 item 4) ------------------------------------------------------

def request_list(*, user: User, partnership: Partnership | None = None) -> QuerySet[Request]:
    """Requests the user may see, each annotated with the ids of its links to other
    partnerships (relayed from / relayed to) that the user may also see: a CDMO learns
    nothing of the sponsor's other partnership, the sponsor sees both ends."""
    visible = Request.objects.visible_to(user)
    requests = visible.select_related(
        "partnership__sponsor", "partnership__cdmo", "assignee", "created_by").annotate(
        linked_from_id=Subquery(visible.filter(pk=OuterRef("relayed_from_id")).values("pk")[:1]),
        linked_relay_ids=ArraySubquery(visible.filter(relayed_from_id=OuterRef("pk"))
                                       .order_by("pk").values("pk")))
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
        partnership=partnership, **Milestone.SHARED_LOOKUPS).select_related("tech_transfer")


def request_milestones(*, user: User, request: Request | None = None) -> QuerySet[Milestone]:
    """The milestones waiting on `request` (on any request, for a prefetch) that the user
    may see: whatever is linked, a milestone internal to the other party never shows."""
    milestones = Milestone.objects.visible_to(user).select_related("tech_transfer")
    return milestones.filter(requests=request) if request is not None else milestones


def request_timeline(*, user: User, request: Request) -> QuerySet[RequestStep]:
    return RequestStep.objects.visible_to(user).filter(request=request).select_related(
        "actor__organization")


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
    return targets.filter(pk__in=[p.pk for p in targets.select_related("sponsor", "cdmo")
                                  if p.can_write(user)]).select_related("sponsor", "cdmo")


# --- Global search (issue 4 item 10) ------------------------------------------------------
from django.contrib.postgres.search import (  # noqa: E402
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import CharField, Value  # noqa: E402
from django.db.models.functions import Concat, Left  # noqa: E402
from django.utils.html import escape  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402

from partnership.models import (  # noqa: E402
    Contract,
    Deliverable,
    Objective,
    Program,
    TechTransfer,
)

# What the search box looks through: (heading, model, title field, other text fields).
SEARCHABLE = (
    ("Programs", Program, "name", ("code", "description")),
    ("Contracts", Contract, "title", ("reference",)),
    ("Deliverables", Deliverable, "title", ("description",)),
    ("Objectives", Objective, "title", ("measure_of_success",)),
    ("Tech transfers", TechTransfer, "title", ()),
    ("Action items", ActionItem, "title", ("description",)),
    ("Meetings", Meeting, "title", ("agenda", "minutes", "location")),
    ("Decisions", Decision, "title", ("rationale",)),
    ("Requests", Request, "title", ("description", "question", "answer",
                                    "fulfilment_note")),
    ("Risks", Risk, "title", ("description", "mitigation")),
    ("Notices", Notice, "title", ("body",)),
)
SEARCH_PER_TYPE = 10


def search(*, user: User, query: str, per_type: int = SEARCH_PER_TYPE
           ) -> list[tuple[str, list]]:
    """[(heading, records)] matching `query` (web-search syntax: words, "a phrase", -not,
    or) in the user's partnerships, best first, at most `per_type` per kind of record.

    Each kind is searched from its own `visible_to(user)`, so a competing sponsor's record
    or the other party's internal one is never found: one query per kind, no index needed
    at this size (the vectors are computed in the query; add GIN indexes if it grows).
    """
    query = query.strip()
    if len(query) < 2:
        return []
    terms = SearchQuery(query, search_type="websearch", config="english")
    results = []
    for heading, model, title, others in SEARCHABLE:
        vector = SearchVector(title, weight="A", config="english")
        if others:
            vector += SearchVector(*others, weight="B", config="english")
        found = model.objects.visible_to(user).annotate(
            document=vector).filter(document=terms).annotate(
            rank=SearchRank(vector, terms)).select_related(
            "partnership__sponsor", "partnership__cdmo").order_by("-rank", "-pk")
        if others:
            text = Concat(*[part for name in others for part in (F(name), Value(" … "))],
                          output_field=CharField()) if len(others) > 1 else F(others[0])
            found = found.annotate(search_headline=SearchHeadline(
                text, terms, config="english", start_sel=_MARK_START, stop_sel=_MARK_STOP,
                max_words=25, min_words=8))
        found = list(found[:per_type])
        for record in found:
            record.snippet = _snippet(getattr(record, "search_headline", ""))
        if found:
            results.append((heading, found))
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


# --- The partnership home's cockpit (issue 4 item 9) --------------------------------------
from django.urls import NoReverseMatch, reverse  # noqa: E402

COCKPIT_ROWS = 6  # per list on a card: a cockpit points at the lists, it does not replace them
SOON_DAYS = 7
# Recent activity: what each kind of record is called, and its detail URL name.
ACTIVITY = (
    (ActionItem, "Action", "title", "governance:actionitem_detail"),
    (Meeting, "Meeting", "title", "governance:meeting_detail"),
    (Decision, "Decision", "title", "governance:decision_detail"),
    (Request, "Request", "title", "governance:request_detail"),
    (Risk, "Risk", "title", "governance:risk_detail"),
    (Notice, "Notice", "title", "governance:notice_detail"),
    (Recognition, "Thank-you", "message", "governance:recognition_list"),
)


def _activity_url(name: str, partnership_id: int, pk: int) -> str | None:
    try:
        if name == "governance:recognition_list":
            return reverse(name, args=[partnership_id])
        return reverse(name, args=[partnership_id, pk])
    except NoReverseMatch:  # a page another part of the work has not built yet
        return None


def recent_activity(*, user: User, partnership: Partnership, limit: int = 8) -> list[dict]:
    """The latest records created in the partnership, of every kind, in ONE query (a UNION
    of each model's `visible_to(user)`): the other party's internal records never appear."""
    parts = [
        model.objects.visible_to(user).filter(partnership=partnership).annotate(
            activity_label=Left(field, 120),
            activity_kind=Value(kind, output_field=CharField()),
            activity_url=Value(url_name, output_field=CharField()),
        ).values_list("activity_kind", "pk", "activity_label", "created_at", "activity_url")
        .order_by()
        for model, kind, field, url_name in ACTIVITY
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-created_at")[:limit]
    return [{"kind": kind, "label": label, "created_at": created_at,
             "url": _activity_url(url_name, partnership.pk, pk)}
            for kind, pk, label, created_at, url_name in rows]


def cockpit(*, user: User, partnership: Partnership) -> dict:
    """The cards of the partnership home: what awaits the viewer, what is overdue, what is
    coming up, the top open risks, recent activity and recognition. Every list starts from
    `visible_to(user)` and is cut to a few rows, so the page costs the same number of
    queries however much history the partnership has."""
    now, today = timezone.now(), timezone.localdate()
    party = partnership.party_of(user)
    open_actions = action_item_list(user=user, partnership=partnership).exclude(
        status__in=ActionItem.CLOSED)
    requests = Request.objects.visible_to(user).filter(partnership=partnership).select_related(
        "assignee")
    if party:
        # The step is the viewer's party's to take: acknowledge (receiver), answer a
        # question or accept the work (requester); or it is assigned to the viewer.
        mine = (Q(status=Request.Status.SENT) & ~Q(requested_by_party=party)) | Q(
            status__in=(Request.Status.QUERIED, Request.Status.FULFILLED),
            requested_by_party=party) | Q(
            assignee=user, status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS))
        awaiting_requests = list(requests.filter(mine).order_by("acknowledge_by", "pk")
                                 [:COCKPIT_ROWS])
        awaiting_notices = list(notices_awaiting(user=user, partnership=partnership)
                                .order_by("created_at")[:COCKPIT_ROWS])
    else:
        awaiting_requests, awaiting_notices = [], []
    return {
        "template": "governance/cockpit.html",
        "today": today,
        "awaiting_requests": awaiting_requests,
        "awaiting_notices": awaiting_notices,
        "my_actions": list(open_actions.filter(
            owner=user, due_date__lte=today + datetime.timedelta(days=SOON_DAYS))
            .order_by("due_date", "pk")[:COCKPIT_ROWS]),
        "overdue_actions": list(open_actions.filter(due_date__lt=today)
                                .order_by("due_date", "pk")[:COCKPIT_ROWS]),
        "overdue_requests": list((requests.filter(
            status__in=(Request.Status.ACKNOWLEDGED, Request.Status.IN_PROGRESS),
            committed_date__lt=today) | requests.late(now)).order_by(
            "committed_date", "acknowledge_by", "pk")[:COCKPIT_ROWS]),
        "meetings": list(meeting_list(user=user, partnership=partnership).filter(
            status=Meeting.Status.SCHEDULED, starts_at__gte=now).order_by("starts_at", "pk")
            [:COCKPIT_ROWS]),
        "risks": list(risk_list(user=user, partnership=partnership).filter(
            status=Risk.Status.OPEN)[:COCKPIT_ROWS]),
        "activity": recent_activity(user=user, partnership=partnership),
        "recognitions": list(recognition_list(user=user, partnership=partnership)[:3]),
    }
