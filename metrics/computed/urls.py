"""URLs of computed KPIs (named metrics:kpidefinition_compute)."""

from django.urls import path

from metrics.computed import views
from metrics.kpis.urls import KPI

urlpatterns = [
    path(f"{KPI}compute/", views.KPIComputeView.as_view(), name="kpidefinition_compute"),
]
