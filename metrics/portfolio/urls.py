"""URLs of the cross-partnership KPI views and a partnership's relationship health (named
metrics:portfolio, metrics:cdmo_performance, metrics:relationship_health)."""

from django.urls import path

from metrics.portfolio import views

urlpatterns = [
    path("portfolio/", views.PortfolioView.as_view(), name="portfolio"),
    path("performance/", views.CdmoPerformanceView.as_view(), name="cdmo_performance"),
    path("p/<int:partnership_pk>/kpis/health/", views.RelationshipHealthView.as_view(),
         name="relationship_health"),
]
