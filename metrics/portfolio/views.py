"""Pages of the cross-partnership KPI views: the sponsor's portfolio, the CDMO's view of its
own performance across its sponsors, and a partnership's relationship health. Each reads a
fixed number of queries however many partnerships and values there are (pinned in
tests/metrics/test_portfolio.py), and the portfolio's pages a bounded number of rows."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from metrics.portfolio import health, selectors
from metrics.scorecard import charts
from partnership.scoping_views import PartnershipMixin
from portal.pagination import BoundedPaginator
from portal.views import HtmxPartialMixin


def trend(definition) -> str | None:
    """'better', 'worse' or 'same' of the latest published value against the one before,
    in the KPI's direction; None without two values."""
    if definition.latest is None or definition.previous is None:
        return None
    change = definition.latest.value - definition.previous.value
    if change == 0:
        return "same"
    better = change > 0 if definition.direction == "higher" else change < 0
    return "better" if better else "worse"


def dress(definitions) -> None:
    """Each row's sparkline points and trend, for the templates."""
    for definition in definitions:
        definition.spark = charts.sparkline(definition.history, definition.target)
        definition.trend = trend(definition)


class PortfolioMixin(LoginRequiredMixin):
    """The portfolio's pages: for people of a sponsor who see at least one of its
    partnerships (403, with what the portfolio is for, to anyone else)."""

    def get(self, request, *args, **kwargs):
        self.partnerships = selectors.portfolio_partnerships(user=request.user)
        if not self.partnerships:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        return super().get(request, *args, **kwargs)

    def with_sites(self, partnerships, rows=()) -> list:
        """(partnership, its CDMO's sites) of `partnerships`, and each row's `sites` and
        `cities` (each city once, in the sites' order): one query, for the CDMOs shown only."""
        sites = selectors.partner_sites(
            user=self.request.user, partnerships=[*partnerships,
                                                  *(row.partnership for row in rows)])
        for row in rows:
            row.sites = sites.get(row.partnership.cdmo_id, [])
            row.cities = list(dict.fromkeys(site.city for site in row.sites))  # each once
        return [(partnership, sites.get(partnership.cdmo_id, []))
                for partnership in partnerships]


class PortfolioView(PortfolioMixin, TemplateView):
    """GET: the sponsor's CDMOs side by side on each KPI — each KPI's summary (its ranked
    period, green / amber / red counts, every partner when few, else the best and the worst
    few, and a link to its whole ranking) — the first partners with their sites, and what is
    overdue across them. Bounded whatever the number of partnerships: a fixed number of
    queries, at most 2 × SUMMARY_EACH rows per KPI and PARTNERS_SHOWN partners."""

    template_name = "metrics/portfolio.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("refused"):
            return context
        user, partnerships = self.request.user, self.partnerships
        kpis = selectors.portfolio_kpis(user=user, partnerships=partnerships)
        rows = [row for kpi in kpis for row in kpi.rows]
        dress(rows)
        overdue = selectors.portfolio_overdue(user=user, partnerships=partnerships)
        for block in overdue:
            block.links = block.lists(partnerships)
        return context | {
            "partnerships": partnerships, "kpis": kpis, "overdue": overdue,
            "today": timezone.localdate(),
            "partners": self.with_sites(partnerships[:selectors.PARTNERS_SHOWN], rows)}


class PortfolioKpiView(PortfolioMixin, HtmxPartialMixin, TemplateView):
    """GET: one KPI's whole ranking across the sponsor's partnerships, RANKING_PAGE partners
    a page, each row with its values, trend and sparkline; 404 for a KPI none of them
    agreed. Reads the ranking (two queries) and the page's rows only."""

    template_name = "metrics/portfolio_kpi.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("refused"):
            return context
        user = self.request.user
        kpi = selectors.portfolio_ranking(user=user, partnerships=self.partnerships,
                                          key=self.kwargs["key"])
        if kpi is None:
            raise Http404
        page = BoundedPaginator(kpi.standings, selectors.RANKING_PAGE).get_page(
            self.request.GET.get("page"))
        rows = selectors.read_rows(user=user, partnerships=self.partnerships,
                                   standings=page.object_list)
        dress(rows)
        self.with_sites([], rows)
        return context | {"kpi": kpi, "page_obj": page, "rows": rows}


class PortfolioPartnersView(PortfolioMixin, HtmxPartialMixin, TemplateView):
    """GET: every partner of the sponsor's portfolio with its sites, PARTNERS_PAGE a page
    (the overview shows the first PARTNERS_SHOWN)."""

    template_name = "metrics/portfolio_partners.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("refused"):
            return context
        page = BoundedPaginator(self.partnerships, selectors.PARTNERS_PAGE).get_page(
            self.request.GET.get("page"))
        return context | {"page_obj": page, "partners": self.with_sites(page.object_list),
                          "partnerships": self.partnerships}


class CdmoPerformanceView(LoginRequiredMixin, TemplateView):
    """GET: the CDMO's own performance across its sponsors, per KPI, as aggregates that name
    no sponsor; for the CDMO's organization admins and leads (403, with what the page is
    for, to anyone else)."""

    template_name = "metrics/cdmo_performance.html"

    def get(self, request, *args, **kwargs):
        partnerships = selectors.cdmo_view_partnerships(user=request.user)
        if not partnerships:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        return self.render_to_response(self.get_context_data(
            count=len(partnerships), rows=selectors.cdmo_performance(
                user=request.user, partnerships=partnerships)))


class RelationshipHealthView(PartnershipMixin, TemplateView):
    """GET: the partnership's survey scores and responsiveness per quarter beside its KPIs,
    with the warning signs of a relationship slipping."""

    template_name = "metrics/relationship_health.html"

    def get_context_data(self, **kwargs):
        figures = health.relationship_health(user=self.request.user,
                                             partnership=self.partnership)
        dress(figures["kpis"])
        parties = {"cdmo": self.partnership.cdmo, "sponsor": self.partnership.sponsor}
        return super().get_context_data(
            **figures,
            answering=[(parties[party], rows) for party, rows
                       in figures["responsiveness"].items()], **kwargs)
