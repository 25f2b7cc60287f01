"""Pages of the cross-partnership KPI views: the sponsor's portfolio, the CDMO's view of its
own performance across its sponsors, and a partnership's relationship health. Each reads a
fixed number of queries however many partnerships and values there are (pinned in
tests/metrics/test_portfolio.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from metrics.portfolio import health, selectors
from metrics.scorecard import charts
from partnership.scoping_views import PartnershipMixin


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


class PortfolioView(LoginRequiredMixin, TemplateView):
    """GET: the sponsor's CDMOs side by side on each KPI, ranked, and what is overdue
    across them; for people of a sponsor who see at least one of its partnerships (403,
    with what the page is for, to anyone else)."""

    template_name = "metrics/portfolio.html"

    def get(self, request, *args, **kwargs):
        partnerships = selectors.portfolio_partnerships(user=request.user)
        if not partnerships:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        sites = selectors.partner_sites(user=request.user, partnerships=partnerships)
        kpis = selectors.portfolio_kpis(user=request.user, partnerships=partnerships)
        for kpi in kpis:
            dress(kpi.rows)
            for row in kpi.rows:
                row.sites = sites.get(row.partnership.cdmo_id, [])
        overdue = selectors.portfolio_overdue(user=request.user, partnerships=partnerships)
        for block in overdue:
            block.links = block.lists(partnerships)
        return self.render_to_response(self.get_context_data(
            partnerships=partnerships, kpis=kpis, today=timezone.localdate(),
            sites=sites,
            overdue=overdue))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sites = context.get("sites", {})
        context["partners"] = [(partnership, sites.get(partnership.cdmo_id, []))
                               for partnership in context.get("partnerships", [])]
        return context


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
