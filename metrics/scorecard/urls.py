"""URLs of the scorecard (metrics:kpi_scorecard) and of a KPI series' download."""

from django.urls import path

from metrics.kpis.urls import KPI, KPIS
from metrics.scorecard import views

urlpatterns = [
    path(f"{KPIS}scorecard/", views.ScorecardView.as_view(), name="kpi_scorecard"),
    path(f"{KPI}series.<slug:format>", views.SeriesExportView.as_view(),
         name="kpidefinition_export"),
]
