"""The cross-topic reads: My work, global search and the partnership home's cockpit cards.

Search, recent activity and "Coming up" read the registries of portal.registries, which
every topic (and later app) fills from its AppConfig.ready(): a new kind of record adds
itself to them without an edit here. Each registered reader starts from the scoped
queryset (DESIGN §2)."""

import datetime
import re
from typing import NamedTuple

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db.models import Case, CharField, Exists, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Concat, Greatest, Left
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from governance.actions.models import ActionItem
from governance.actions.selectors import action_escalation_level
from governance.overview.my_work import action_item, notice_item, request_item
from governance.relationship.selectors import notices_awaiting, recognition_list
from governance.requests.models import Request
from governance.requests.selectors import requests_awaiting, requests_overdue
from governance.risks.models import Risk
from governance.risks.selectors import risk_list
from partnership.models import Partnership, User
from portal.registries import activity as activity_registry
from portal.registries import coming_up as coming_up_registry
from portal.registries import search as search_registry
from portal.registries.coming_up import DAYS as COMING_UP_DAYS

# --- Global search ------------------------------------------------------------------------

SEARCH_PER_TYPE = 10
SUGGESTIONS = 8  # the top bar's type-ahead: the best few across every kind
EXACT_RANK = 10.0  # the rank a record gets from its number typed: above any text match
# The matches of one kind that are ranked: the newest this many (and the record a typed
# number names). A word found in 50,000 actions of a large sponsor no longer ranks them all
# to show ten: the work per kind is bounded, whatever the data.
SEARCH_CANDIDATES = 200


class SearchGroup(NamedTuple):
    heading: str
    records: list
    more: bool  # more records of this kind match than `records` holds


def search_words(text: str) -> list[str]:
    """The runs of letters and digits typed: "DEV-2291" is "DEV", "2291"."""
    return re.findall(r"[^\W_]+", text)


def search_query(text: str) -> SearchQuery | None:
    """Every word typed must match, the last one also as the start of a word, so results
    follow the typing ("zirc" finds zirconium). Only runs of letters and digits reach
    PostgreSQL, each quoted as one term: nothing typed can be tsquery syntax, so `a & | ! (`
    or a lone quote is a search for "a", not an error. None when nothing is left."""
    words = search_words(text)
    if not words:
        return None
    terms = [f"'{word}'" for word in words]
    terms[-1] += ":*"
    return SearchQuery(" & ".join(terms), search_type="raw", config="english")


def _matching(searchable, user: User, terms: SearchQuery, typed: str):
    """The records of one kind the user sees that match, each with its `rank`, best first.

    A record matches by its full-text document (every word, the last as a prefix) or, when
    the document finds none of the kind, by the trigram word similarity of what was typed to
    one of its `names`, at least pg_trgm's `word_similarity_threshold` (0.6: a number or
    code such as DEV-2291 found by "2291", a near-miss such as "velarimb" for Velarimab).
    The rank adds the full-text rank to the best similarity: a whole-word match of the
    title leads. The record a typed number names (`exact`: REQ-42) leads them all.

    Only the newest SEARCH_CANDIDATES matches (by id) and the numbered record are ranked:
    ranking costs a document's rank and a similarity per row, so ranking every match of a
    common word would grow with the data. The names are a fallback, asked only when the
    document matched nothing (the NOT EXISTS is one test, made once): a similarity is
    computed from the name's trigrams, some 3.5 µs a row, so a word found in thousands of
    a large sponsor's documents (40,000 actions of his partnerships read to find their
    newest 200) would otherwise cost a similarity per row read, while the document's test
    costs a tenth of it (an action list of the large set: 650 ms to 15 ms)."""
    records = searchable.records(user)
    arms, scores = [], []
    if searchable.full_text:
        documents = records.filter(search_document=terms)
        arms.append(documents)
        scores.append(SearchRank(F("search_document"), terms))
    similar, similarities = Q(), []
    for name in searchable.names:
        expression = F(name) if isinstance(name, str) else name
        similar |= Q(TrigramWordSimilar(expression, Value(typed)))
        similarities.append(TrigramWordSimilarity(Value(typed), expression))
    if similarities:
        names = records.filter(similar)
        if searchable.full_text:
            names = names.filter(~Exists(documents.values("pk")))
        arms.append(names)
        scores.append(Greatest(*similarities) if len(similarities) > 1 else similarities[0])
    arms = [arm.order_by("-pk").values("pk")[:SEARCH_CANDIDATES] for arm in arms]
    numbered = searchable.exact(typed) if searchable.exact else None
    if numbered is not None:
        arms.append(records.filter(numbered).values("pk"))
        scores.append(Case(When(numbered, then=Value(EXACT_RANK)), default=Value(0.0),
                           output_field=FloatField()))
    candidates = arms[0].union(*arms[1:], all=True) if len(arms) > 1 else arms[0]
    found = records.filter(pk__in=candidates).annotate(rank=sum(scores[1:], scores[0]))
    if searchable.full_text:
        found = found.defer("search_document")
    return found.order_by("-rank", "-pk")


def search(*, user: User, query: str, per_type: int = SEARCH_PER_TYPE) -> list[SearchGroup]:
    """The kinds of record matching `query` in the user's partnerships, best first, at most
    `per_type` records per kind (one more is read to know whether there are more). The kinds
    are those registered in portal.registries.search, grouped in their order there.

    Each kind is searched from its own `visible_to(user)`, so a competing sponsor's record
    or person, or the other party's internal record, is never found — not even by a
    near-miss of its name: one query per kind, whatever the data. Filter and rank read the
    stored, GIN-indexed `search_document` and the trigram-indexed names
    (`_matching`): no record's text is parsed again to rank it, and only the first
    `per_type` + 1 leave the database.
    """
    query = query.strip()
    terms = search_query(query) if len(query) >= 2 else None
    if terms is None:
        return []
    typed = " ".join(search_words(query))
    results = []
    for searchable in search_registry.searchables():
        found = _matching(searchable, user, terms, typed).select_related(
            "partnership__sponsor", "partnership__cdmo")
        others = searchable.snippet_fields
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
            results.append(SearchGroup(searchable.heading, found[:per_type],
                                       len(found) > per_type))
    return results


def suggestions(*, user: User, query: str, limit: int = SUGGESTIONS) -> list:
    """The top bar's type-ahead: the `limit` best matches across every kind, by rank, each
    record carrying its kind's `heading`. It runs on every keystroke, so it asks once for
    all kinds: ONE query, a UNION of each kind's best `limit` (id, rank) by the same scoped,
    indexed conditions as the search page (`_matching`), cut to the best `limit`; then one
    query per kind among those few reads their records. At most 1 + `limit` queries however
    many kinds are registered and however many records match."""
    query = query.strip()
    terms = search_query(query) if len(query) >= 2 else None
    if terms is None:
        return []
    typed = " ".join(search_words(query))
    kinds = search_registry.searchables()
    parts = [
        _matching(searchable, user, terms, typed).annotate(
            search_kind=Value(position), search_score=Cast("rank", FloatField())
        ).values_list("search_kind", "pk", "search_score")[:limit]
        for position, searchable in enumerate(kinds)
    ]
    best = list(parts[0].union(*parts[1:], all=True).order_by(
        "-search_score", "search_kind", "-pk")[:limit])
    wanted: dict[int, list[int]] = {}
    for position, pk, _score in best:
        wanted.setdefault(position, []).append(pk)
    records = {}
    for position, pks in wanted.items():
        for record in kinds[position].records(user).filter(pk__in=pks).select_related(
                "partnership__sponsor", "partnership__cdmo"):
            record.heading = kinds[position].heading
            records[position, record.pk] = record
    # A record that left the user's sight between the two reads is simply not shown.
    return [records[position, pk] for position, pk, _score in best
            if (position, pk) in records]


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


# --- The partnership home's cockpit -------------------------------------------------------

COCKPIT_ROWS = 6  # per list on a card: a cockpit points at the lists, it does not replace them
SOON_DAYS = 7


def recent_activity(*, user: User, partnership: Partnership, limit: int = 8) -> list[dict]:
    """The latest records created in the partnership, of every kind registered in
    portal.registries.activity, in ONE query (a UNION of each kind's records the user may
    see): the other party's internal records never appear. Each kind gives only its own
    latest `limit` (ORDER BY created_at DESC LIMIT in its branch, served by its
    (partnership, created_at) index), so the query sorts a few rows per kind, not the
    partnership's whole history (270,000 rows at a large sponsor's heaviest)."""
    kinds = activity_registry.kinds()
    parts = [
        kind.records(user).filter(partnership=partnership).annotate(
            activity_label=Left(kind.label, 120),
            activity_kind=Value(kind.kind, output_field=CharField()),
        ).values_list("activity_kind", "pk", "activity_label", "created_at").order_by(
            "-created_at")[:limit]
        for kind in kinds
    ]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True).order_by("-created_at")[:limit]
    url_of = {kind.kind: kind.url for kind in kinds}
    return [{"kind": kind, "label": label, "created_at": created_at,
             "url": url_of[kind](partnership.pk, pk)}
            for kind, pk, label, created_at in rows]


def coming_up(*, user: User, partnership: Partnership, shown: set[tuple[str, int]]
              ) -> list[dict]:
    """The "Coming up" card: the dated items of every kind registered in
    portal.registries.coming_up (the next meetings, and the deadlines of the next
    COMING_UP_DAYS days: the user's own open actions, the partnership's requests), in date
    order. What another card already shows (`shown`: (kind, pk) pairs) is left out, so no
    item is listed twice on the page. One query per kind however much is planned."""
    now = timezone.now()
    entries = [
        {"kind": kind.kind, "template": kind.template, "record": item.record,
         "at": item.at, "date": item.date}
        for kind in coming_up_registry.kinds()
        for item in kind.provider(user=user, partnership=partnership, limit=COCKPIT_ROWS,
                                  exclude={pk for shown_kind, pk in shown
                                           if shown_kind == kind.kind})
    ]
    # A meeting before the deadlines of its day; the day's meetings by their time.
    entries.sort(key=lambda entry: (entry["date"], entry["at"] is None, entry["at"] or now))
    return entries[:COCKPIT_ROWS]


def held(rows, partnership: Partnership) -> list:
    """The rows (of `partnership`), each holding the caller's copy of it (the page's, with
    both parties and the viewer's role read): a row asked for its partnership reads no
    more, and no list of the home joins the partnership and its parties again per row."""
    rows = list(rows)
    for row in rows:
        row.partnership = partnership
    return rows


def cockpit(*, user: User, partnership: Partnership) -> dict:
    """The cards of the partnership home: what awaits the viewer, what is overdue, what is
    coming up, the top open risks, recent activity and recognition. Every list starts from
    `visible_to(user)` and is cut to a few rows, so the page costs the same number of
    queries however much history the partnership has. Each reads only what its card shows
    (no partnership per row: `held` gives each row the page's)."""
    today = timezone.localdate()
    party = partnership.party_of(user)
    actions = ActionItem.objects.visible_to(user).filter(partnership=partnership).exclude(
        status__in=ActionItem.CLOSED)
    requests = Request.objects.visible_to(user).filter(partnership=partnership)
    if party and partnership.can_write(user):  # a viewer or steering member has no button
        awaiting_requests = held(requests_awaiting(requests, user=user).order_by(
            "acknowledge_by", "pk")[:COCKPIT_ROWS], partnership)
        awaiting_notices = held(notices_awaiting(user=user, partnership=partnership)
                                .select_related(None).order_by("created_at")[:COCKPIT_ROWS],
                                partnership)
    else:
        awaiting_requests, awaiting_notices = [], []
    # The viewer's own: each with its escalation level (the row's note), no owner to show.
    my_actions = held(actions.filter(
        owner=user, due_date__lte=today + datetime.timedelta(days=SOON_DAYS)).annotate(
        escalation_level=action_escalation_level()).order_by("due_date", "pk")[:COCKPIT_ROWS],
        partnership)
    overdue_actions = held(actions.filter(due_date__lt=today).select_related("owner")
                           .order_by("due_date", "pk")[:COCKPIT_ROWS], partnership)
    overdue_requests = held(requests_overdue(requests).order_by(
        "committed_date", "acknowledge_by", "pk")[:COCKPIT_ROWS], partnership)
    # "Awaiting me" lists only what the viewer acts on, each with the button of his next
    # step (the same rows as My work's).
    awaiting = [(request, request_item(request, user=user)) for request in awaiting_requests]
    awaiting_requests = [request for request, item in awaiting if item]
    awaiting_items = [item for _request, item in awaiting if item] + [
        notice_item(notice) for notice in awaiting_notices] + [
        action_item(item) for item in my_actions]
    shown = {("action", item.pk) for item in (*my_actions, *overdue_actions)} | {
        ("request", r.pk) for r in (*awaiting_requests, *overdue_requests)}
    risks = risk_list(user=user, partnership=partnership).filter(
        status=Risk.Status.OPEN).select_related(None).select_related("owner")
    recognitions = recognition_list(user=user, partnership=partnership).select_related(
        None).select_related("created_by", "author_organization")
    return {
        "template": "governance/cockpit.html",
        "today": today,
        "coming_up_days": COMING_UP_DAYS,
        "awaiting": awaiting_items,
        # An organization admin without a seat acts for the organization: what awaits it is
        # not in his My work, which gathers only the partnerships where he holds a seat.
        "seated": partnership.role_of(user) != "admin",
        "awaiting_requests": awaiting_requests,
        "awaiting_notices": awaiting_notices,
        "my_actions": my_actions,
        "overdue_actions": overdue_actions,
        "overdue_requests": overdue_requests,
        "coming_up": coming_up(user=user, partnership=partnership, shown=shown),
        "risks": held(risks[:COCKPIT_ROWS], partnership),
        "activity": recent_activity(user=user, partnership=partnership),
        "recognitions": held(recognitions[:3], partnership),
    }
