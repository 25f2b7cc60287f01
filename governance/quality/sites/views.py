"""Pages of the sites as the sponsor's QA sees them: the partnership's sites with their
qualification, last and next audit; a site's page with its inspections and subcontractors;
the dialogs (add a site, correct it, move its status, set the programme's intervals, enter
an inspection, declare a subcontractor, permit or refuse it); and cancelling or postponing
an audit."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.quality.filters import QualificationFilter
from governance.quality.sites import forms, selectors, services
from governance.quality.sites.models import SiteQualification, Subcontractor
from governance.quality.views import AuditMixin
from partnership.permissions import require_person
from partnership.scoping_views import PartnershipMixin
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView


class QualificationMixin(PartnershipMixin):
    @cached_property
    def qualification(self) -> SiteQualification:
        return get_object_or_404(selectors.qualification_detail(
            user=self.request.user, partnership=self.partnership,
            pk=self.kwargs.get("qualification_pk", self.kwargs.get("pk"))))


class QualificationListView(PartnershipMixin, FilteredListView):
    template_name = "governance/sitequalification_list.html"
    filterset_class = QualificationFilter

    def get_base_queryset(self):
        return selectors.qualification_list(user=self.request.user,
                                            partnership=self.partnership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = selectors.with_due_dates(context["object_list"])
        context.update(
            programme=selectors.programme_of(self.partnership),
            can_create=self.can("governance.sitequalification_create", self.partnership),
            can_set_programme=self.can("governance.auditprogramme_edit", self.partnership))
        return context


class QualificationDetailView(LiveRecordMixin, QualificationMixin, TemplateView):
    live_url_name = "governance:sitequalification_live"
    template_name = "governance/sitequalification_detail.html"

    def get_context_data(self, **kwargs):
        user, qualification = self.request.user, self.qualification
        row = selectors.with_due_dates([qualification])[0]
        steps = qualification.WORKFLOW.next_statuses(qualification.status) if self.can(
            "governance.sitequalification_transition", qualification) else {}
        subcontractors = [(sub, services.subcontractor_steps_for(user, sub),
                           self.can("governance.subcontractor_edit", sub))
                          for sub in qualification.subcontractors.all()]
        inspections = [(inspection, self.can("governance.inspection_edit", inspection))
                       for inspection in qualification.inspections.all()]
        return super().get_context_data(
            object=row, steps=steps, subcontractors=subcontractors, inspections=inspections,
            can_edit=self.can("governance.sitequalification_edit", qualification),
            can_add_inspection=self.can("governance.inspection_create", qualification),
            can_add_subcontractor=self.can("governance.subcontractor_create", qualification),
            **kwargs)


class QualificationLiveView(LiveFragmentMixin, QualificationDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = SiteQualification


class QualificationCreateView(PartnershipMixin, ServiceFormView):
    form_class = forms.QualificationForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.sitequalification_create",
                       self.partnership)
        return {**super().get_form_kwargs(), "sites": selectors.qualification_site_choices(
            user=self.request.user, partnership=self.partnership)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Add a site to the programme",
                                        submit_label="Add the site", **kwargs)

    def perform(self, form):
        return services.site_qualification_create(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.site.name} added: not assessed yet.")
        return self.object.get_absolute_url()


class QualificationEditView(QualificationMixin, ServiceFormView):
    form_class = forms.QualificationForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_record(self):
        return self.qualification

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.sitequalification_edit",
                       self.qualification)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.qualification,
                                        title=f"Correct {self.qualification.site.name}",
                                        **kwargs)

    def perform(self, form):
        return services.site_qualification_update(
            actor=self.request.user, qualification=self.qualification, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Qualification saved.")
        return self.object.get_absolute_url()


class QualificationStepView(QualificationMixin, ServiceFormView):
    """A step of the site's status (?status=…), with the activities and conditions."""

    form_class = forms.QualificationStepForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.sitequalification_transition",
                       self.qualification)
        return super().get_form_kwargs()

    def get_initial(self):
        record = self.qualification
        status = self.request.GET.get("status") or next(iter(
            record.WORKFLOW.next_statuses(record.status)), record.status)
        return {"status": status, "approved_activities": record.approved_activities,
                "conditions": record.conditions}

    def get_context_data(self, **kwargs):
        record = self.qualification
        status = self.get_initial()["status"]
        label = record.WORKFLOW.next_statuses(record.status).get(status, "Change the status")
        return super().get_context_data(object=record, title=f"{label}: {record.site.name}",
                                        submit_label=label, **kwargs)

    def perform(self, form):
        return services.site_qualification_transition(
            actor=self.request.user, qualification=self.qualification, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.site.name} is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class ProgrammeEditView(PartnershipMixin, ServiceFormView):
    form_class = forms.ProgrammeForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.auditprogramme_edit", self.partnership)
        programme = selectors.AuditProgramme.objects.filter(
            partnership=self.partnership).first()
        kwargs = super().get_form_kwargs()
        if programme is not None:
            kwargs["record"] = programme
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Audit programme: intervals",
                                        submit_label="Save the intervals", **kwargs)

    def perform(self, form):
        return services.audit_programme_set(actor=self.request.user,
                                            partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Intervals saved: the sites' next audits follow them.")
        return self.object.get_absolute_url()


class InspectionCreateView(QualificationMixin, ServiceFormView):
    form_class = forms.InspectionForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.inspection_create", self.qualification)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.qualification, submit_label="Record the inspection",
            title=f"Inspection of {self.qualification.site.name}", **kwargs)

    def perform(self, form):
        return services.inspection_create(actor=self.request.user,
                                          qualification=self.qualification,
                                          **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} recorded.")
        return self.object.get_absolute_url()


class InspectionEditView(QualificationMixin, ServiceFormView):
    form_class = forms.InspectionForm
    template_name = "governance/site_form.html"
    requires_write = True

    @cached_property
    def inspection(self):
        return get_object_or_404(selectors.inspection_list(
            user=self.request.user, partnership=self.partnership),
            qualification_id=self.kwargs["qualification_pk"], pk=self.kwargs["pk"])

    def get_record(self):
        return self.inspection

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.inspection_edit", self.inspection)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.inspection.qualification,
                                        title=f"Correct the {self.inspection}", **kwargs)

    def perform(self, form):
        return services.inspection_update(actor=self.request.user, inspection=self.inspection,
                                          **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


class SubcontractorMixin(QualificationMixin):
    @cached_property
    def subcontractor(self) -> Subcontractor:
        return get_object_or_404(selectors.subcontractor_list(
            user=self.request.user, partnership=self.partnership),
            qualification_id=self.kwargs["qualification_pk"], pk=self.kwargs["pk"])


class SubcontractorCreateView(QualificationMixin, ServiceFormView):
    form_class = forms.SubcontractorForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.subcontractor_create",
                       self.qualification)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.qualification, submit_label="Ask for permission",
            title=f"Subcontractor for {self.qualification.site.name}", **kwargs)

    def perform(self, form):
        return services.subcontractor_create(actor=self.request.user,
                                             qualification=self.qualification,
                                             **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.name}: the sponsor's QA lead is asked "
                                       f"for permission.")
        return self.object.get_absolute_url()


class SubcontractorEditView(SubcontractorMixin, ServiceFormView):
    form_class = forms.SubcontractorForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_record(self):
        return self.subcontractor

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.subcontractor_edit", self.subcontractor)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.qualification,
                                        title=f"Correct {self.subcontractor.name}", **kwargs)

    def perform(self, form):
        return services.subcontractor_update(actor=self.request.user,
                                             subcontractor=self.subcontractor,
                                             **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.name} saved.")
        return self.object.get_absolute_url()


class SubcontractorStepView(SubcontractorMixin, ServiceFormView):
    """Permit, refuse, withdraw or ask again (?status=…); the service decides who may."""

    form_class = forms.SubcontractorStepForm
    template_name = "governance/site_form.html"
    requires_write = True

    def get_initial(self):
        sub = self.subcontractor
        return {"status": self.request.GET.get("status") or next(iter(
            sub.WORKFLOW.next_statuses(sub.status)), sub.status)}

    def get_context_data(self, **kwargs):
        sub = self.subcontractor
        label = sub.WORKFLOW.next_statuses(sub.status).get(self.get_initial()["status"],
                                                           "Decide")
        return super().get_context_data(object=self.qualification, submit_label=label,
                                        title=f"{label}: {sub.name}", **kwargs)

    def perform(self, form):
        return services.subcontractor_decide(actor=self.request.user,
                                             subcontractor=self.subcontractor,
                                             **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.name}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


# --- Cancel or postpone an audit -------------------------------------------------------

PLAN_FORMS = {"cancel": (forms.CancelForm, "Cancel the audit", services.audit_cancel),
              "postpone": (forms.PostponeForm, "Postpone the audit", services.audit_postpone)}


class AuditPlanChangeView(AuditMixin, ServiceFormView):
    """Cancel or postpone a planned or confirmed audit, with a reason (a QA lead)."""

    template_name = "governance/audit_form.html"
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["change"] not in PLAN_FORMS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return PLAN_FORMS[self.kwargs["change"]][0]

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.audit_cancel", self.audit)
        return super().get_form_kwargs()

    def get_initial(self):
        return {"planned_start": self.audit.planned_start,
                "planned_end": self.audit.planned_end}

    def get_context_data(self, **kwargs):
        label = PLAN_FORMS[self.kwargs["change"]][1]
        return super().get_context_data(object=self.audit, title=f"{label}: {self.audit}",
                                        submit_label=label, **kwargs)

    def perform(self, form):
        return PLAN_FORMS[self.kwargs["change"]][2](actor=self.request.user, audit=self.audit,
                                                    **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"The audit is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()
