"""Pages of the priorities and objectives (named in the `partnership` namespace)."""

from django.urls import path

from partnership.objectives import views

urlpatterns = [
    path("p/<int:partnership_pk>/priorities/", views.PrioritiesView.as_view(),
         name="priority_list"),
    path("p/<int:partnership_pk>/objectives/", views.ObjectiveListView.as_view(),
         name="objective_list"),
    path("p/<int:partnership_pk>/objectives/new/", views.ObjectiveCreateView.as_view(),
         name="objective_create"),
    path("p/<int:partnership_pk>/objectives/<int:objective_pk>/",
         views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("p/<int:partnership_pk>/objectives/<int:objective_pk>/edit/",
         views.ObjectiveEditView.as_view(), name="objective_edit"),
    path("p/<int:partnership_pk>/objectives/<int:objective_pk>/review/",
         views.ObjectiveReviewView.as_view(), name="objectivereview_create"),
]
