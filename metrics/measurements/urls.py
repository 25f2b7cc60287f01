"""URLs of KPI values (named metrics:kpimeasurement_…)."""

from django.urls import path

from metrics.measurements import views

VALUES = "p/<int:partnership_pk>/kpi-values/"
VALUE = f"{VALUES}<int:pk>/"

urlpatterns = [
    path(f"{VALUES}new/", views.KPIMeasurementCreateView.as_view(),
         name="kpimeasurement_create"),
    path(VALUE, views.KPIMeasurementDetailView.as_view(), name="kpimeasurement_detail"),
    path(f"{VALUE}edit/", views.KPIMeasurementEditView.as_view(), name="kpimeasurement_edit"),
    path(f"{VALUE}sign/", views.KPIMeasurementSignView.as_view(), name="kpimeasurement_sign"),
    path(f"{VALUE}comment/", views.KPIMeasurementCommentView.as_view(),
         name="kpimeasurement_comment"),
    path(f"{VALUE}evidence/new/", views.KPIEvidenceView.as_view(), name="kpievidence_create"),
    path(f"{VALUES}<int:measurement_pk>/evidence/<int:pk>/",
         views.KPIEvidenceDownloadView.as_view(), name="kpievidence_download"),
    path(f"{VALUE}<slug:step>/", views.KPIMeasurementStepView.as_view(),
         name="kpimeasurement_step"),
]
