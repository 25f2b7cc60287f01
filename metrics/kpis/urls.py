"""URLs of KPI definitions (named metrics:kpidefinition_…)."""

from django.urls import path

from metrics.kpis import views

KPIS = "p/<int:partnership_pk>/kpis/"
KPI = f"{KPIS}<int:pk>/"

urlpatterns = [
    path(KPIS, views.KPIHomeView.as_view(), name="kpidefinition_list"),
    path(f"{KPIS}new/", views.KPIDefinitionCreateView.as_view(), name="kpidefinition_create"),
    path(f"{KPIS}adopt/", views.KPIAdoptView.as_view(), name="kpidefinition_adopt"),
    path(KPI, views.KPIDefinitionDetailView.as_view(), name="kpidefinition_detail"),
    path(f"{KPI}edit/", views.KPIDefinitionEditView.as_view(), name="kpidefinition_edit"),
    path(f"{KPI}revise/", views.KPIDefinitionReviseView.as_view(),
         name="kpidefinition_revise"),
    path(f"{KPI}sign/", views.KPIDefinitionSignView.as_view(), name="kpidefinition_sign"),
    path(f"{KPI}<slug:step>/", views.KPIDefinitionStepView.as_view(),
         name="kpidefinition_step"),
]
