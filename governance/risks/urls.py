"""URLs of the risk register (named governance:risk_…)."""

from django.urls import path

from governance.risks import views

urlpatterns = [
    path("p/<int:partnership_pk>/risks/", views.RiskListView.as_view(), name="risk_list"),
    path("p/<int:partnership_pk>/risks/new/", views.RiskCreateView.as_view(),
         name="risk_create"),
    path("p/<int:partnership_pk>/risks/<int:pk>/", views.RiskDetailView.as_view(),
         name="risk_detail"),
    path("p/<int:partnership_pk>/risks/<int:pk>/edit/", views.RiskEditView.as_view(),
         name="risk_edit"),
    path("p/<int:partnership_pk>/risks/<int:pk>/transition/",
         views.RiskTransitionView.as_view(), name="risk_transition"),
]
