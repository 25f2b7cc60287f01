"""Pages of programs and contracts (named in the `partnership` namespace)."""

from django.urls import path

from partnership.contracts import views

urlpatterns = [
    path("p/<int:partnership_pk>/programs/", views.ProgramListView.as_view(),
         name="program_list"),
    path("p/<int:partnership_pk>/programs/new/", views.ProgramCreateView.as_view(),
         name="program_create"),
    path("p/<int:partnership_pk>/programs/<int:pk>/", views.ProgramDetailView.as_view(),
         name="program_detail"),
    path("p/<int:partnership_pk>/programs/<int:pk>/edit/", views.ProgramEditView.as_view(),
         name="program_edit"),
    path("p/<int:partnership_pk>/contracts/", views.ContractListView.as_view(),
         name="contract_list"),
    path("p/<int:partnership_pk>/contracts/new/", views.ContractCreateView.as_view(),
         name="contract_create"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/",
         views.ContractDetailView.as_view(), name="contract_detail"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/edit/",
         views.ContractEditView.as_view(), name="contract_edit"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/transition/",
         views.ContractTransitionView.as_view(), name="contract_transition"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/sign/",
         views.ContractSignView.as_view(), name="contract_sign"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/rounds/new/",
         views.NegotiationRoundCreateView.as_view(), name="negotiationround_create"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/rounds/<int:pk>/answer/",
         views.NegotiationRoundAnswerView.as_view(), name="negotiationround_answer"),
    path("p/<int:partnership_pk>/contracts/<int:contract_pk>/documents/new/",
         views.ContractDocumentUploadView.as_view(), name="contractdocument_create"),
    path("p/<int:partnership_pk>/documents/<int:pk>/",
         views.ContractDocumentDownloadView.as_view(), name="contractdocument_download"),
]
