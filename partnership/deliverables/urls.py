"""Pages of deliverables (named in the `partnership` namespace)."""

from django.urls import path

from partnership.deliverables import views

urlpatterns = [
    path("p/<int:partnership_pk>/deliverables/", views.DeliverableListView.as_view(),
         name="deliverable_list"),
    path("p/<int:partnership_pk>/deliverables/new/", views.DeliverableCreateView.as_view(),
         name="deliverable_create"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/",
         views.DeliverableDetailView.as_view(), name="deliverable_detail"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/edit/",
         views.DeliverableEditView.as_view(), name="deliverable_edit"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/transition/",
         views.DeliverableTransitionView.as_view(), name="deliverable_transition"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/criteria/new/",
         views.CriterionCreateView.as_view(), name="acceptancecriterion_create"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/review/",
         views.DeliverableReviewView.as_view(), name="deliverablereview_create"),
    path("p/<int:partnership_pk>/deliverables/<int:deliverable_pk>/sign/",
         views.DeliverableSignView.as_view(), name="deliverable_sign"),
]
