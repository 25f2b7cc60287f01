"""URLs of action items (named governance:actionitem_…)."""

from django.urls import path

from governance.actions import views

urlpatterns = [
    path("p/<int:partnership_pk>/actions/", views.ActionItemListView.as_view(),
         name="actionitem_list"),
    path("p/<int:partnership_pk>/actions/new/", views.ActionItemCreateView.as_view(),
         name="actionitem_create"),
    path("p/<int:partnership_pk>/actions/<int:pk>/", views.ActionItemDetailView.as_view(),
         name="actionitem_detail"),
    path("p/<int:partnership_pk>/actions/<int:pk>/live/", views.ActionItemLiveView.as_view(),
         name="actionitem_live"),
    path("p/<int:partnership_pk>/actions/<int:pk>/edit/", views.ActionItemEditView.as_view(),
         name="actionitem_edit"),
    path("p/<int:partnership_pk>/actions/<int:pk>/transition/",
         views.ActionItemTransitionView.as_view(), name="actionitem_transition"),
]
