"""URL of the load across an organization's partnerships (named governance:partnership_load)."""

from django.urls import path

from governance.workload import views

urlpatterns = [
    path("organization/load/", views.PartnershipLoadView.as_view(), name="partnership_load"),
]
