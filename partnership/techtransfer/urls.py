"""Pages of tech transfers (named in the `partnership` namespace)."""

from django.urls import path

from partnership.techtransfer import views

urlpatterns = [
    path("p/<int:partnership_pk>/tech-transfers/", views.TechTransferListView.as_view(),
         name="techtransfer_list"),
    path("p/<int:partnership_pk>/tech-transfers/new/", views.TechTransferCreateView.as_view(),
         name="techtransfer_create"),
    path("p/<int:partnership_pk>/tech-transfers/<int:transfer_pk>/",
         views.TechTransferDetailView.as_view(), name="techtransfer_detail"),
    path("p/<int:partnership_pk>/tech-transfers/<int:transfer_pk>/milestones/<int:pk>/",
         views.MilestoneEditView.as_view(), name="milestone_edit"),
]
