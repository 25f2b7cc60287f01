"""URLs of KPI imports (named metrics:kpiimport_…)."""

from django.urls import path

from metrics.imports import views

IMPORTS = "p/<int:partnership_pk>/kpi-imports/"

urlpatterns = [
    path(IMPORTS, views.KPIImportListView.as_view(), name="kpiimport_list"),
    path(f"{IMPORTS}new/", views.KPIImportCreateView.as_view(), name="kpiimport_create"),
    path(f"{IMPORTS}<int:pk>/", views.KPIImportDetailView.as_view(), name="kpiimport_detail"),
    path(f"{IMPORTS}<int:pk>/values/", views.KPIImportValuesStepView.as_view(),
         name="kpiimport_values_step"),
    path(f"{IMPORTS}<int:pk>/file/", views.KPIImportFileView.as_view(),
         name="kpiimport_file"),
    path("kpi-imports/template.csv", views.KPIImportTemplateView.as_view(),
         name="kpiimport_template"),
]
