"""URLs of the cross-partnership KPI views and a partnership's relationship health (named
metrics:portfolio with metrics:portfolio_kpi and metrics:portfolio_partners,
metrics:cdmo_performance, metrics:relationship_health)."""

from django.urls import path

from metrics.portfolio import views

urlpatterns = [
    path("portfolio/", views.PortfolioView.as_view(), name="portfolio"),
    path("portfolio/kpis/<slug:key>/", views.PortfolioKpiView.as_view(), name="portfolio_kpi"),
    path("portfolio/partners/", views.PortfolioPartnersView.as_view(),
         name="portfolio_partners"),
    path("performance/", views.CdmoPerformanceView.as_view(), name="cdmo_performance"),
    path("p/<int:partnership_pk>/kpis/health/", views.RelationshipHealthView.as_view(),
         name="relationship_health"),
]
