"""Pages of the audit trail."""

from django.urls import path

from partnership.history import views

urlpatterns = [
    path("p/<int:partnership_pk>/history/<slug:record_type>/<int:pk>/",
         views.RecordHistoryView.as_view(), name="record_history"),
    path("p/<int:partnership_pk>/audit-trail/", views.AuditExportView.as_view(),
         name="audit_export"),
]
