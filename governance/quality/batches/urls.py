"""URLs of batches (named governance:batch_… and governance:batchcertificate_…)."""

from django.urls import path

from governance.quality.batches import views

BATCH = "p/<int:partnership_pk>/batches/<int:pk>/"

urlpatterns = [
    path("p/<int:partnership_pk>/batches/", views.BatchListView.as_view(), name="batch_list"),
    path("p/<int:partnership_pk>/batches/new/", views.BatchCreateView.as_view(),
         name="batch_create"),
    path(BATCH, views.BatchDetailView.as_view(), name="batch_detail"),
    path(f"{BATCH}live/", views.BatchLiveView.as_view(), name="batch_live"),
    path(f"{BATCH}edit/", views.BatchEditView.as_view(), name="batch_edit"),
    path(f"{BATCH}sign/", views.BatchSignView.as_view(), name="batch_sign"),
    path(f"{BATCH}certificates/new/", views.BatchCertificateView.as_view(),
         name="batchcertificate_create"),
    path("p/<int:partnership_pk>/batches/<int:batch_pk>/certificates/<int:pk>/",
         views.BatchCertificateDownloadView.as_view(), name="batchcertificate_download"),
    path(f"{BATCH}<slug:step>/", views.BatchStepView.as_view(), name="batch_step"),
]
