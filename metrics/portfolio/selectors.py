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

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.selectors import action_item_list
from governance.quality.deviations.selectors import capa_list
from governance.requests.selectors import request_list, requests_overdue
from metrics import periods
from metrics.kpis.library import BY_KEY
from metrics.kpis.models import KPIDefinition
from metrics.scorecard.selectors import kpi_tiles
from partnership.models import Membership, Organization, Partnership, Site, User

#: Published values read per partnership and KPI: the latest, the one before (the trend)
#: and the rest of the sparkline.
SPARK_POINTS = 6
#: Overdue records named per kind on the portfolio (the counts tell the rest).
OVERDUE_SHOWN = 10


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

def kpis_with_history(*, user: User, partnerships: list[Partnership]) -> list[KPIDefinition]:
    """The agreed definitions of `partnerships`, each with `history`: its series' last
    SPARK_POINTS published values (scorecard's kpi_tiles, oldest first), `latest` and
    `previous` of them, and `latest_rag`. Two queries, whatever the number of values."""
    by_pk = {partnership.pk: partnership for partnership in partnerships}
    definitions = []
    for tile in kpi_tiles(user=user, partnerships=partnerships, last=SPARK_POINTS):
        definition = tile.definition
        definition.partnership = by_pk[definition.partnership_id]
        definition.history, definition.latest = tile.points, tile.latest
        definition.previous, definition.latest_rag = tile.previous, tile.rag
        definitions.append(definition)
    return definitions


def kpi_label(key: str, definitions: list[KPIDefinition]) -> tuple[str, str, str]:
    """(name, unit, direction) a KPI key is shown under across partnerships: the standard
    library's for a standard key, else the first definition's (for the portfolio, whose
    viewer sees every one of them)."""
    if key in BY_KEY:
        standard = BY_KEY[key]
        return standard.name, standard.unit, standard.direction
    first = definitions[0]
    return first.name, first.unit, first.direction


# --- The sponsor's portfolio -----------------------------------------------------------

@dataclass
class Ranked:
    """One KPI across the sponsor's partnerships, best first on the values of one period
    (`period`, `label`; None when no partner has a published value)."""

    key: str
    name: str
    unit: str
    direction: str
    rows: list = field(default_factory=list)  # definitions, each with `ranked` and `rank`
    period: datetime.date | None = None
    label: str = ""

    @property
    def ranked_count(self) -> int:
        return sum(1 for row in self.rows if row.rank is not None)


def common_period(definitions: list[KPIDefinition]) -> tuple[str, datetime.date] | None:
    """(frequency, period) of the values a KPI's partners are ranked on: the period most of
    them have a published value for, the latest of equals — the latest period they all
    published when there is one. A monthly and a quarterly series never share a period."""
    counts = Counter((definition.frequency, point.period)
                     for definition in definitions for point in definition.history)
    if not counts:
        return None
    return max(counts, key=lambda shared: (counts[shared], shared[1]))


def rank(definitions: list[KPIDefinition], direction: str,
         shared: tuple[str, datetime.date] | None) -> list[KPIDefinition]:
    """Best first by each partner's published value of the `shared` period (`ranked`) in
    `direction` (higher or lower is better), so one CDMO's March never stands beside
    another's January; equal values share a rank; those without a value for that period
    come last, unranked."""
    for definition in definitions:
        definition.ranked_period = shared[1] if shared else None
        definition.ranked = next(
            (point for point in definition.history
             if shared == (definition.frequency, point.period)), None)
    valued = [d for d in definitions if d.ranked is not None]
    valued.sort(key=lambda d: (-d.ranked.value if direction == "higher" else d.ranked.value,
                               d.partnership.cdmo.name, d.partnership_id))
    position, last = 0, None
    for index, definition in enumerate(valued, start=1):
        if definition.ranked.value != last:
            position, last = index, definition.ranked.value
        definition.rank = position
    rest = [d for d in definitions if d.ranked is None]
    for definition in rest:
        definition.rank = None
    return valued + rest


def portfolio_kpis(*, user: User, partnerships: list[Partnership]) -> list[Ranked]:
    """Each KPI key agreed in at least one of `partnerships`, with the partnerships' rows
    ranked best → worst on one common period (kpis_with_history: two queries)."""
    by_key = defaultdict(list)
    for definition in kpis_with_history(user=user, partnerships=partnerships):
        by_key[definition.key].append(definition)
    table = []
    for key, definitions in by_key.items():
        name, unit, direction = kpi_label(key, definitions)
        shared = common_period(definitions)
        table.append(Ranked(key, name, unit, direction, rank(definitions, direction, shared),
                            period=shared[1] if shared else None,
                            label=periods.label(shared[1], shared[0]) if shared else ""))
    return sorted(table, key=lambda kpi: kpi.name.lower())


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
        return [(p, self.counts[p.pk], self.list_url(p.pk)) for p in partnerships
                if self.counts.get(p.pk)]


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
    """One Aggregate per KPI key agreed in `partnerships` (two queries)."""
    by_key = defaultdict(list)
    for definition in kpis_with_history(user=user, partnerships=partnerships):
        by_key[definition.key].append(definition)
    return sorted((aggregate(key, definitions) for key, definitions in by_key.items()),
                  key=lambda row: row.name.lower())
