"""URLs of quality oversight: the audit programme (governance:audit_… and finding_…, the
calendar and the re-audit list; the QA desk), sites as QA sees them (sitequalification_…), the
quality agreement (qualityagreement_…), deviations (deviation_…) and CAPAs (capa_…)."""

from django.urls import path

from governance.quality import calendar, desk, views
from governance.quality.agreement import views as agreement
from governance.quality.deviations import views as deviations
from governance.quality.sites import views as site_views

AUDIT = "p/<int:partnership_pk>/audits/<int:pk>/"
FINDING = "p/<int:partnership_pk>/audits/<int:audit_pk>/findings/<int:pk>/"
AGREEMENT = "p/<int:partnership_pk>/quality-agreements/"
DEVIATION = "p/<int:partnership_pk>/deviations/"
CAPA = "p/<int:partnership_pk>/capas/"

urlpatterns = [
    path("p/<int:partnership_pk>/audits/", views.AuditListView.as_view(), name="audit_list"),
    path("p/<int:partnership_pk>/audits/new/", views.AuditCreateView.as_view(),
         name="audit_create"),
    path(AUDIT, views.AuditDetailView.as_view(), name="audit_detail"),
    path(f"{AUDIT}live/", views.AuditLiveView.as_view(), name="audit_live"),
    path(f"{AUDIT}edit/", views.AuditEditView.as_view(), name="audit_edit"),
    path(f"{AUDIT}report/", views.AuditReportView.as_view(), name="audit_report"),
    path(f"{AUDIT}sign/", views.AuditSignView.as_view(), name="audit_sign"),
    path(f"{AUDIT}findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path(f"{AUDIT}<slug:step>/", views.AuditStepView.as_view(), name="audit_step"),
    path(FINDING, views.FindingDetailView.as_view(), name="finding_detail"),
    path(f"{FINDING}edit/", views.FindingEditView.as_view(), name="finding_edit"),
    path(f"{FINDING}<slug:step>/", views.FindingStepView.as_view(), name="finding_step"),
    path(AGREEMENT, agreement.AgreementListView.as_view(), name="qualityagreement_list"),
    path(f"{AGREEMENT}new/", agreement.AgreementCreateView.as_view(),
         name="qualityagreement_create"),
    path(f"{AGREEMENT}<int:pk>/", agreement.AgreementDetailView.as_view(),
         name="qualityagreement_detail"),
    path(f"{AGREEMENT}<int:pk>/edit/", agreement.AgreementEditView.as_view(),
         name="qualityagreement_edit"),
    path(DEVIATION, deviations.DeviationListView.as_view(), name="deviation_list"),
    path(f"{DEVIATION}new/", deviations.DeviationCreateView.as_view(), name="deviation_create"),
    path(f"{DEVIATION}<int:pk>/", deviations.DeviationDetailView.as_view(),
         name="deviation_detail"),
    path(f"{DEVIATION}<int:pk>/live/", deviations.DeviationLiveView.as_view(),
         name="deviation_live"),
    path(f"{DEVIATION}<int:pk>/edit/", deviations.DeviationEditView.as_view(),
         name="deviation_edit"),
    path(f"{DEVIATION}<int:pk>/investigation/", deviations.DeviationInvestigationView.as_view(),
         name="deviation_investigation"),
    path(f"{DEVIATION}<int:pk>/notify/", deviations.DeviationNotifyView.as_view(),
         name="deviation_notify"),
    path(f"{DEVIATION}<int:pk>/<slug:step>/", deviations.DeviationStepView.as_view(),
         name="deviation_step"),
    path(CAPA, deviations.CapaListView.as_view(), name="capa_list"),
    path(f"{CAPA}new/", deviations.CapaCreateView.as_view(), name="capa_create"),
    path(f"{CAPA}<int:pk>/", deviations.CapaDetailView.as_view(), name="capa_detail"),
    path(f"{CAPA}<int:pk>/live/", deviations.CapaLiveView.as_view(), name="capa_live"),
    path(f"{CAPA}<int:pk>/edit/", deviations.CapaEditView.as_view(), name="capa_edit"),
    path(f"{CAPA}<int:pk>/sign/", deviations.CapaSignView.as_view(), name="capa_sign"),
    path(f"{CAPA}<int:pk>/<slug:step>/", deviations.CapaStepView.as_view(), name="capa_step"),
]

# --- Sites as the sponsor's QA sees them, and the programme across partnerships ---------
SITES = "p/<int:partnership_pk>/quality/sites/"
SITE = f"{SITES}<int:pk>/"
PART = f"{SITES}<int:qualification_pk>/"

urlpatterns += [
    path(SITES, site_views.QualificationListView.as_view(), name="sitequalification_list"),
    path(f"{SITES}new/", site_views.QualificationCreateView.as_view(),
         name="sitequalification_create"),
    path(f"{SITES}programme/", site_views.ProgrammeEditView.as_view(),
         name="auditprogramme_edit"),
    path(SITE, site_views.QualificationDetailView.as_view(), name="sitequalification_detail"),
    path(f"{SITE}live/", site_views.QualificationLiveView.as_view(),
         name="sitequalification_live"),
    path(f"{SITE}edit/", site_views.QualificationEditView.as_view(),
         name="sitequalification_edit"),
    path(f"{SITE}status/", site_views.QualificationStepView.as_view(),
         name="sitequalification_transition"),
    path(f"{SITE}inspections/new/", site_views.InspectionCreateView.as_view(),
         name="inspection_create"),
    path(f"{PART}inspections/<int:pk>/edit/", site_views.InspectionEditView.as_view(),
         name="inspection_edit"),
    path(f"{SITE}subcontractors/new/", site_views.SubcontractorCreateView.as_view(),
         name="subcontractor_create"),
    path(f"{PART}subcontractors/<int:pk>/edit/", site_views.SubcontractorEditView.as_view(),
         name="subcontractor_edit"),
    path(f"{PART}subcontractors/<int:pk>/decide/", site_views.SubcontractorStepView.as_view(),
         name="subcontractor_step"),
    # Not under <slug:step>/: the plan's changes are not steps of the audit's workflow.
    path(f"{AUDIT}plan/<slug:change>/", site_views.AuditPlanChangeView.as_view(),
         name="audit_plan_change"),
    path("quality/calendar/", calendar.AuditCalendarView.as_view(), name="audit_calendar"),
    path("quality/calendar.ics", calendar.AuditCalendarIcsView.as_view(),
         name="audit_calendar_ics"),
    path("quality/re-audits/", calendar.ReauditListView.as_view(), name="reaudit_list"),
    path("quality/desk/", desk.QualityDeskView.as_view(), name="quality_desk"),
]

# Batches and their disposition (governance.quality.batches).
from governance.quality.batches.urls import urlpatterns as batches  # noqa: E402

urlpatterns += batches

# Change controls (governance.quality.changes).
from governance.quality.changes.urls import urlpatterns as changes  # noqa: E402

urlpatterns += changes
