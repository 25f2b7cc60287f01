"""URLs of formal requests (named governance:request_…)."""

from django.urls import path

from governance.requests import views

urlpatterns = [
    path("p/<int:partnership_pk>/requests/", views.RequestListView.as_view(),
         name="request_list"),
    path("p/<int:partnership_pk>/requests/new/", views.RequestCreateView.as_view(),
         name="request_create"),
    path("p/<int:partnership_pk>/requests/<int:pk>/", views.RequestDetailView.as_view(),
         name="request_detail"),
    path("p/<int:partnership_pk>/requests/<int:pk>/live/", views.RequestLiveView.as_view(),
         name="request_live"),
    path("p/<int:partnership_pk>/requests/<int:pk>/edit/",
         views.RequestEditView.as_view(), name="request_edit"),
    path("p/<int:partnership_pk>/requests/<int:pk>/relay/",
         views.RequestRelayView.as_view(), name="request_relay"),
    path("p/<int:partnership_pk>/requests/<int:pk>/<slug:step>/",
         views.RequestStepView.as_view(), name="request_step"),
]
