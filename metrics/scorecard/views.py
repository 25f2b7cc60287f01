"""Pages of the partnership scorecard: red / amber / green tiles of the agreed KPIs with
their latest published value and a sparkline, a chart per KPI over the chosen months; and a
KPI series' download (CSV or XLSX) from its definition's page."""

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView, View

from metrics.kpis.views import KPIDefinitionMixin
from metrics.scorecard import charts, export, selectors
from metrics.scorecard.forms import ScorecardFilterForm
from partnership.scoping_views import PartnershipMixin


class ScorecardView(PartnershipMixin, TemplateView):
    """The scorecard of a partnership, the same for both parties. A bad range answers 400
    with the field's error (and no figures)."""

    template_name = "metrics/scorecard.html"

    def get(self, request, *args, **kwargs):
        form = ScorecardFilterForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(
                form=form, fields=[(form["start"], None), (form["end"], None)], tiles=[]),
                status=400)
        tiles = selectors.scorecard(user=request.user, partnership=self.partnership,
                                    start=form.cleaned_data["start"],
                                    end=form.cleaned_data["end"])
        for tile in tiles:
            tile.sparkline = charts.sparkline(tile.points, tile.definition.target)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        return self.render_to_response(self.get_context_data(
            form=form, fields=[(form["start"], start), (form["end"], end)], tiles=tiles,
            charts=charts.chart_data(tiles), start=start, end=end))


class SeriesExportView(KPIDefinitionMixin, View):
    """The published values of a definition's series (every version of its key) as a CSV
    or XLSX file (`format` in the URL)."""

    def get(self, request, *args, **kwargs):
        extension = kwargs["format"]
        if extension not in export.FORMATS:
            raise Http404
        definition = self.definition
        values = list(selectors.series(user=request.user, definition=definition))
        body = export.as_csv(definition, values) if extension == "csv" \
            else export.as_xlsx(definition, values)
        response = HttpResponse(body, content_type=export.FORMATS[extension])
        response["Content-Disposition"] = \
            f'attachment; filename="{export.filename(definition, extension)}"'
        return response
