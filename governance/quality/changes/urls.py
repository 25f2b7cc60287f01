"""URLs of change controls (named governance:changecontrol_…)."""

from django.urls import path

from governance.quality.changes import views

CHANGES = "p/<int:partnership_pk>/change-controls/"
CHANGE = f"{CHANGES}<int:pk>/"

urlpatterns = [
    path(CHANGES, views.ChangeControlListView.as_view(), name="changecontrol_list"),
    path(f"{CHANGES}new/", views.ChangeControlCreateView.as_view(),
         name="changecontrol_create"),
    path(CHANGE, views.ChangeControlDetailView.as_view(), name="changecontrol_detail"),
    path(f"{CHANGE}live/", views.ChangeControlLiveView.as_view(), name="changecontrol_live"),
    path(f"{CHANGE}edit/", views.ChangeControlEditView.as_view(), name="changecontrol_edit"),
    path(f"{CHANGE}sign/", views.ChangeControlSignView.as_view(), name="changecontrol_sign"),
    path(f"{CHANGE}conditions/", views.ChangeControlConditionsView.as_view(),
         name="changecontrol_conditions"),
    path(f"{CHANGE}<slug:step>/", views.ChangeControlStepView.as_view(),
         name="changecontrol_step"),
]
