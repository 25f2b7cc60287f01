"""Reads of the cross-partnership KPI views: the sponsor's portfolio (its CDMOs side by side
on each KPI, ranked, and what is overdue across them) and the CDMO's view of its own
performance across its sponsors (aggregates only). Each starts from the scoped querysets
(DESIGN §2) and reads published values only, as every steering view does.

Who sees which partnerships here:
- portfolio: people of the sponsor, in the partnerships of their organization they see —
  all of them for its organization admins, those they hold a seat in for anyone else
  (a steering member seated in two partnerships compares those two);
- CDMO view: the CDMO's organization admins (all its partnerships) and its leads (the
  partnerships they lead). So the aggregate only ever covers partnerships whose values the
  viewer may already open one by one: it needs no minimum group size to hide anyone's
  figure from them, and with one partnership it is that partnership's own figures.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.selectors import action_item_list
from governance.quality.deviations.selectors import capa_list
from governance.requests.selectors import request_list, requests_overdue
from metrics import periods
from metrics.kpis.library import BY_KEY
from metrics.kpis.models import KPIDefinition
from metrics.kpis.selectors import kpi_definition_list
from metrics.measurements.selectors import published, published_of
from metrics.scorecard.selectors import POINT_COLUMNS, Point, kpi_tiles, point_of
from partnership.models import Membership, Organization, Partnership, Site, User

#: Published values read per partnership and KPI: the latest, the one before (the trend)
#: and the rest of the sparkline.
SPARK_POINTS = 6
#: Overdue records named per kind on the portfolio (the counts tell the rest).
OVERDUE_SHOWN = 10
#: A KPI of at most twice this many partners shows them all on the overview; one of more
#: shows its best this many and its worst this many (its ranking page has them all).
SUMMARY_EACH = 3
#: Partners' rows a page of a KPI's ranking shows.
RANKING_PAGE = 25
#: Partners' cards the overview shows, and a page of the partners' list.
PARTNERS_SHOWN = 12
PARTNERS_PAGE = 24


# --- Who sees what ---------------------------------------------------------------------

def portfolio_partnerships(*, user: User) -> list[Partnership]:
    """The partnerships of the user's sponsor organization the user may see (one query):
    Partnership.objects.visible_to gives an organization admin all of them and anyone else
    those they hold a seat in. Empty for people of a CDMO."""
    if not user.is_authenticated or user.organization_id is None:
        return []
    return list(Partnership.objects.visible_to(user).filter(
        sponsor_id=user.organization_id, sponsor__kind=Organization.Kind.SPONSOR)
        .select_related("sponsor", "cdmo").order_by("cdmo__name", "pk"))


def cdmo_view_partnerships(*, user: User) -> list[Partnership]:
    """The partnerships of the user's CDMO whose figures the CDMO view adds up (one query):
    every one the user sees for an organization admin, those the user leads for anyone
    else. Empty for people of a sponsor and for CDMO people who lead none."""
    if not user.is_authenticated or user.organization_id is None:
        return []
    partnerships = Partnership.objects.visible_to(user).filter(
        cdmo_id=user.organization_id, cdmo__kind=Organization.Kind.CDMO)
    if not user.is_org_admin:
        partnerships = partnerships.filter(pk__in=Membership.objects.filter(
            user=user, role=Membership.Role.LEAD).values("partnership_id"))
    return list(partnerships.select_related("sponsor", "cdmo").order_by("pk"))


# --- Published values ------------------------------------------------------------------

def kpis_with_history(*, user: User, partnerships: list[Partnership],
                      definitions: list[int] | None = None, last: int = SPARK_POINTS
                      ) -> list[KPIDefinition]:
    """The agreed definitions of `partnerships` (those of ids `definitions`, when given),
    each with `history`: its series' last `last` published values (scorecard's kpi_tiles,
    oldest first), `latest` and `previous` of them, and `latest_rag`. Two queries, whatever
    the number of values."""
    by_pk = {partnership.pk: partnership for partnership in partnerships}
    rows = []
    for tile in kpi_tiles(user=user, partnerships=partnerships, last=last,
                          definitions=definitions):
        definition = tile.definition
        definition.partnership = by_pk[definition.partnership_id]
        definition.history, definition.latest = tile.points, tile.latest
        definition.previous, definition.latest_rag = tile.previous, tile.rag
        rows.append(definition)
    return rows


def kpi_label(key: str, first: tuple[str, str, str]) -> tuple[str, str, str]:
    """(name, unit, direction) a KPI key is shown under across partnerships: the standard
    library's for a standard key, else `first`, the first definition's (for the portfolio,
    whose viewer sees every one of them)."""
    if key in BY_KEY:
        standard = BY_KEY[key]
        return standard.name, standard.unit, standard.direction
    return first


# --- The sponsor's portfolio -----------------------------------------------------------

@dataclass
class Standing:
    """One partnership's agreed KPI in its ranking, before its row is read in full: the id
    of the definition in force, its published value of the ranked period (`ranked`, None
    without one) and its rank (None: not ranked)."""

    definition: int
    partnership: Partnership
    kpi: "Ranked" = field(repr=False)
    ranked: Point | None = None
    rank: int | None = None

    @property
    def pk(self) -> int:
        return self.definition


@dataclass
class Ranked:
    """One KPI across the sponsor's partnerships, best first on the values of one period
    (`period`, `label`; None when no partner has a published value). `standings` are every
    partner's, best first, the unranked last; `rows` those read in full (read_rows): the
    overview reads them for a KPI of few partners (`whole`), and sums up the others (their
    counts, best and worst) from their standings."""

    key: str
    name: str
    unit: str
    direction: str
    standings: list[Standing] = field(default_factory=list)
    rows: list = field(default_factory=list)  # definitions, each with `ranked` and `rank`
    period: datetime.date | None = None
    label: str = ""

    @property
    def ranked_count(self) -> int:
        return sum(1 for standing in self.standings if standing.rank is not None)

    @property
    def agreed(self) -> int:
        return len(self.standings)

    @property
    def whole(self) -> bool:
        """Whether the overview shows every partner (few enough to read at a glance)."""
        return self.agreed <= 2 * SUMMARY_EACH

    @property
    def rags(self) -> dict[str, int]:
        """How many ranked values are green, amber and red."""
        counts = Counter(standing.ranked.rag for standing in self.standings
                         if standing.ranked is not None)
        return {rag: counts[rag] for rag in ("green", "amber", "red")}

    @property
    def best(self) -> list[Standing]:
        """The SUMMARY_EACH best of the ranked (a summary's, when not `whole`)."""
        return [standing for standing in self.standings[:SUMMARY_EACH]
                if standing.rank is not None]

    @property
    def worst(self) -> list[Standing]:
        """The SUMMARY_EACH worst of the ranked, the best left out."""
        ranked = [standing for standing in self.standings if standing.rank is not None]
        return ranked[SUMMARY_EACH:][-SUMMARY_EACH:]


def common_period(recent: list[tuple[str, list[datetime.date]]]
                  ) -> tuple[str, datetime.date] | None:
    """(frequency, period) of the values a KPI's partners are ranked on, from each series'
    (frequency, newest published periods): the period most of them have a value for, the
    latest of equals — the latest period they all published when there is one. A monthly
    and a quarterly series never share a period."""
    counts = Counter((frequency, period) for frequency, dates in recent for period in dates)
    if not counts:
        return None
    return max(counts, key=lambda shared: (counts[shared], shared[1]))


def rank(standings: list[Standing], direction: str) -> list[Standing]:
    """Best first by each partner's published value of the ranked period (`ranked`) in
    `direction` (higher or lower is better), so one CDMO's March never stands beside
    another's January; equal values share a rank; those without a value for that period
    come last, unranked."""
    valued = [s for s in standings if s.ranked is not None]
    valued.sort(key=lambda s: (-s.ranked.value if direction == "higher" else s.ranked.value,
                               s.partnership.cdmo.name, s.partnership.pk))
    position, last = 0, None
    for index, standing in enumerate(valued, start=1):
        if standing.ranked.value != last:
            position, last = index, standing.ranked.value
        standing.rank = position
    return valued + [s for s in standings if s.ranked is None]


def rankings(*, user: User, partnerships: list[Partnership], key: str | None = None
             ) -> list[Ranked]:
    """Each KPI key agreed in at least one of `partnerships` (only `key`, when given), by
    name, with every partner's Standing ranked best → worst on one common period; no row is
    read in full yet (read_rows). Two queries whatever the number of partnerships and
    values: the definitions in force with their series' newest periods (common_period), and
    the values of the ranked periods."""
    by_pk = {partnership.pk: partnership for partnership in partnerships}
    agreed = kpi_definition_list(user=user).in_force().filter(partnership__in=by_pk)
    if key is not None:
        agreed = agreed.filter(key=key)
    # Each series' newest published periods, read from the (partnership, key, status,
    # period) index by a subquery per definition (its values scoped as every read is).
    agreed = agreed.annotate(recent=ArraySubquery(
        published(user=user).filter(partnership=OuterRef("partnership_id"),
                                    key=OuterRef("key"))
        .order_by("-period").values("period")[:SPARK_POINTS]))
    kpis, series, frequencies, recent = {}, {}, {}, defaultdict(list)
    for pk, partnership, key_, name, unit, direction, frequency, dates in agreed.order_by(
            "partnership_id", "name", "pk").values_list(
            "pk", "partnership_id", "key", "name", "unit", "direction", "frequency", "recent"):
        if key_ not in kpis:
            kpis[key_] = Ranked(key_, *kpi_label(key_, (name, unit, direction)))
        series[partnership, key_] = Standing(pk, by_pk[partnership], kpis[key_])
        kpis[key_].standings.append(series[partnership, key_])
        frequencies[partnership, key_] = frequency
        recent[key_].append((frequency, dates))
    if not kpis:
        return []
    shared = {key_: found for key_, found in ((key_, common_period(recent[key_]))
                                               for key_ in kpis) if found}
    # A monthly and a quarterly series never compare.
    ranked = published_of(
        published(user=user).filter(partnership__in=by_pk, key__in=shared),
        periods=[(partnership, key_, shared[key_][1]) for partnership, key_ in series
                 if key_ in shared and frequencies[partnership, key_] == shared[key_][0]])
    for row in ranked.order_by().values_list(*POINT_COLUMNS):
        series[row[0], row[1]].ranked = point_of(row)
    for key_, kpi in kpis.items():
        if key_ in shared:
            frequency, kpi.period = shared[key_]
            kpi.label = periods.label(kpi.period, frequency)
        kpi.standings = rank(kpi.standings, kpi.direction)
    return sorted(kpis.values(), key=lambda kpi: kpi.name.lower())


def read_rows(*, user: User, partnerships: list[Partnership], standings: list[Standing]
              ) -> list[KPIDefinition]:
    """The definitions of `standings`, in their order, read in full with their history
    (kpis_with_history: two queries), each with its `rank`, `ranked` value, `ranked_period`
    and `ranked_among` (how many its KPI ranks): what a shown row needs, for the rows
    shown only."""
    if not standings:
        return []
    read = {definition.pk: definition for definition in kpis_with_history(
        user=user, partnerships=partnerships,
        definitions=[standing.definition for standing in standings])}
    rows = []
    for standing in standings:
        row = read.get(standing.definition)
        if row is not None:  # retired since the ranking was read
            row.rank, row.ranked, row.ranked_period = standing.rank, standing.ranked, \
                standing.kpi.period
            row.ranked_among = standing.kpi.ranked_count
            rows.append(row)
    return rows


def portfolio_kpis(*, user: User, partnerships: list[Partnership]) -> list[Ranked]:
    """The overview's KPIs (rankings), a `whole` one with its rows read in full (read_rows),
    the others summed up from their standings: four queries whatever the number of
    partnerships and values (two without a `whole` KPI)."""
    kpis = rankings(user=user, partnerships=partnerships)
    by_key = {kpi.key: kpi for kpi in kpis}
    for row in read_rows(user=user, partnerships=partnerships, standings=[
            standing for kpi in kpis if kpi.whole for standing in kpi.standings]):
        by_key[row.key].rows.append(row)
    return kpis


def portfolio_ranking(*, user: User, partnerships: list[Partnership], key: str
                      ) -> Ranked | None:
    """One KPI's whole ranking (rankings of `key`), None when none of `partnerships` agreed
    it: the ranking page reads its page's rows in full (read_rows)."""
    found = rankings(user=user, partnerships=partnerships, key=key)
    return found[0] if found else None


def partner_sites(*, user: User, partnerships: list[Partnership]) -> dict[int, list[Site]]:
    """CDMO id -> its sites (active and closing first), as the user may see them: a CDMO's
    sites are visible to every sponsor it works with (one query)."""
    sites = Site.objects.visible_to(user).filter(
        organization__in=[partnership.cdmo_id for partnership in partnerships]).order_by(
        "organization_id", "status", "name")
    by_cdmo = defaultdict(list)
    for site in sites:
        by_cdmo[site.organization_id].append(site)
    return by_cdmo


@dataclass
class Overdue:
    """One kind of overdue record across the portfolio: the most overdue, and counts."""

    key: str
    kind: str
    rows: list
    counts: dict  # partnership id -> how many
    #: partnership id -> its list of them, filtered to the overdue ones
    list_url: Callable[[int], str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lists(self, partnerships: list[Partnership]) -> list[tuple[Partnership, int, str]]:
        """(partnership, how many, its list of them) of the OVERDUE_SHOWN partnerships with
        the most, in their order among `partnerships`: a link per partner would grow with
        the portfolio."""
        most = set(sorted((pk for pk, n in self.counts.items() if n),
                          key=lambda pk: -self.counts[pk])[:OVERDUE_SHOWN])
        return [(p, self.counts[p.pk], self.list_url(p.pk)) for p in partnerships
                if p.pk in most]


def _overdue(key: str, kind: str, records: QuerySet, order: tuple[str, ...],
             list_url: Callable[[int], str]) -> Overdue:
    """The kind's most overdue rows and its count per partnership (two queries)."""
    counts = dict(records.order_by().values("partnership_id").annotate(
        n=Count("pk")).values_list("partnership_id", "n"))
    return Overdue(key, kind, list(records.order_by(*order)[:OVERDUE_SHOWN]), counts,
                   list_url)


def _list(name: str, query: str) -> Callable[[int], str]:
    return lambda pk: f"{reverse(name, args=[pk])}?{query}"


def portfolio_overdue(*, user: User, partnerships: list[Partnership]) -> list[Overdue]:
    """The overdue action items, requests and CAPAs of `partnerships` the user may see,
    each kind's OVERDUE_SHOWN most overdue and its count per partnership (six queries)."""
    ids = [partnership.pk for partnership in partnerships]
    today = timezone.localdate()
    actions = action_item_list(user=user).filter(partnership__in=ids, due_date__lt=today) \
        .exclude(status__in=ActionItem.CLOSED)
    requests = requests_overdue(request_list(user=user).filter(partnership__in=ids))
    capas = capa_list(user=user).filter(partnership__in=ids).overdue(today)
    return [
        _overdue("actions", "Action items", actions, ("due_date", "pk"),
                 _list("governance:actionitem_list", "overdue=true")),
        _overdue("requests", "Requests", requests, ("acknowledge_by", "pk"),
                 _list("governance:request_list", "show=overdue")),
        _overdue("capas", "CAPAs", capas, ("due_date", "pk"),
                 _list("governance:capa_list", "overdue=true")),
    ]


# --- The CDMO's view of its own performance ---------------------------------------------

@dataclass
class Aggregate:
    """One KPI across the CDMO's partnerships the viewer may see: how many agreed it, how
    many have a published value, their mean and median, and how many are green / amber /
    red. Names no sponsor, program or partnership, and no single value (unless there is
    only one). Its name is the standard library's, never a definition's own (the parties
    may have written a sponsor's or a program's name into it); a key of their own shows
    as the key."""

    key: str
    name: str
    unit: str
    direction: str
    partnerships: int
    valued: int
    mean: Decimal | None
    median: Decimal | None
    green: int
    amber: int
    red: int

    @property
    def id(self) -> str:
        return self.key


def aggregate(key: str, definitions: list[KPIDefinition]) -> Aggregate:
    """The Aggregate of one key from its definitions (kpis_with_history's rows)."""
    standard = BY_KEY.get(key)
    values = [d.latest.value for d in definitions if d.latest is not None]
    rags = [d.latest_rag for d in definitions]
    places = Decimal("0.01")
    return Aggregate(
        key=key, name=standard.name if standard else key.replace("-", " ").capitalize(),
        unit=standard.unit if standard else definitions[0].unit,
        direction=standard.direction if standard else definitions[0].direction,
        partnerships=len(definitions), valued=len(values),
        mean=(sum(values) / len(values)).quantize(places) if values else None,
        median=Decimal(statistics.median(values)).quantize(places) if values else None,
        green=rags.count("green"), amber=rags.count("amber"), red=rags.count("red"))


def cdmo_performance(*, user: User, partnerships: list[Partnership]) -> list[Aggregate]:
    """One Aggregate per KPI key agreed in `partnerships` (two queries: the definitions and
    each series' latest published value)."""
    by_key = defaultdict(list)
    for definition in kpis_with_history(user=user, partnerships=partnerships, last=1):
        by_key[definition.key].append(definition)
    return sorted((aggregate(key, definitions) for key, definitions in by_key.items()),
                  key=lambda row: row.name.lower())
