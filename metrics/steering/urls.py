"""URLs of the steering committee's page and its packs (named metrics:steering,
metrics:steering_all, metrics:steeringpack_create, metrics:steeringpack_download)."""

from django.urls import path

from metrics.steering import views

urlpatterns = [
    path("steering/", views.SteeringAcrossView.as_view(), name="steering_all"),
    path("p/<int:partnership_pk>/steering/", views.SteeringView.as_view(), name="steering"),
    path("p/<int:partnership_pk>/steering/packs/new/", views.SteeringPackCreateView.as_view(),
         name="steeringpack_create"),
    path("p/<int:partnership_pk>/steering/packs/<int:pk>/download/",
         views.SteeringPackDownloadView.as_view(), name="steeringpack_download"),
]
