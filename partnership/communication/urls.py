"""Pages of the communication plan (named in the `partnership` namespace)."""

from django.urls import path

from partnership.communication import views

urlpatterns = [
    path("p/<int:partnership_pk>/communication/", views.CommunicationView.as_view(),
         name="communication_detail"),
    path("p/<int:partnership_pk>/communication/contact/", views.ContactSetView.as_view(),
         name="pointofcontact_set"),
    path("p/<int:partnership_pk>/communication/plan/",
         views.CommunicationPlanEditView.as_view(), name="communicationplan_edit"),
    path("p/<int:partnership_pk>/communication/escalation/",
         views.EscalationLevelSetView.as_view(), name="escalationlevel_set"),
]
