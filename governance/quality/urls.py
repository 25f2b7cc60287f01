"""URLs of the audit programme (named governance:audit_… and governance:finding_…)."""

from django.urls import path

from governance.quality import views

AUDIT = "p/<int:partnership_pk>/audits/<int:pk>/"
FINDING = "p/<int:partnership_pk>/audits/<int:audit_pk>/findings/<int:pk>/"

urlpatterns = [
    path("p/<int:partnership_pk>/audits/", views.AuditListView.as_view(), name="audit_list"),
    path("p/<int:partnership_pk>/audits/new/", views.AuditCreateView.as_view(),
         name="audit_create"),
    path(AUDIT, views.AuditDetailView.as_view(), name="audit_detail"),
    path(f"{AUDIT}edit/", views.AuditEditView.as_view(), name="audit_edit"),
    path(f"{AUDIT}report/", views.AuditReportView.as_view(), name="audit_report"),
    path(f"{AUDIT}sign/", views.AuditSignView.as_view(), name="audit_sign"),
    path(f"{AUDIT}findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path(f"{AUDIT}<slug:step>/", views.AuditStepView.as_view(), name="audit_step"),
    path(f"{FINDING}edit/", views.FindingEditView.as_view(), name="finding_edit"),
    path(f"{FINDING}<slug:step>/", views.FindingStepView.as_view(), name="finding_step"),
]

# Batches and their disposition (governance.quality.batches).
from governance.quality.batches.urls import urlpatterns as batches  # noqa: E402

urlpatterns += batches
