"""Pages of the audit programme: the audit list, an audit's page with its findings, the
steps each party may take as buttons, and the dialogs (plan, edit, report, sign, raise and
correct a finding, respond to it, accept it or send it back)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.quality import forms, selectors, services
from governance.quality.filters import AuditFilter
from governance.quality.models import Audit, Finding
from governance.quality.sites import selectors as site_selectors
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView


class AuditMixin(PartnershipMixin):
    @cached_property
    def audit(self) -> Audit:
        audits = selectors.audit_list(user=self.request.user, partnership=self.partnership)
        return get_object_or_404(audits.prefetch_related(Prefetch(
            "findings", queryset=selectors.finding_list(user=self.request.user))),
            pk=self.kwargs["pk"])


class FindingMixin(PartnershipMixin):
    @cached_property
    def finding(self) -> Finding:
        return get_object_or_404(selectors.finding_list(
            user=self.request.user, partnership=self.partnership).select_related(
            "audit__site"), audit_id=self.kwargs["audit_pk"], pk=self.kwargs["pk"])


class AuditListView(PartnershipMixin, FilteredListView):
    template_name = "governance/audit_list.html"
    filterset_class = AuditFilter

    def get_base_queryset(self):
        return selectors.audit_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.audit_plan", self.partnership), **kwargs)


class AuditDetailView(LiveRecordMixin, AuditMixin, TemplateView):
    live_url_name = "governance:audit_live"
    template_name = "governance/audit_detail.html"

    def get_context_data(self, **kwargs):
        user, audit = self.request.user, self.audit
        writer = self.can("governance.audit_step", audit)
        who = audit.who_of(user) if writer else set()
        findings = list(audit.findings.all())
        finding_steps = self.can("governance.finding_step", audit)
        meetings = selectors.audit_meetings(user=user, audit=audit)
        return super().get_context_data(
            object=audit, who=who, meetings=meetings,
            # Cancel or postpone (quality.sites.views), and meetings outside the site's hours.
            can_change_plan=self.can("governance.audit_cancel", audit),
            hours_warnings=site_selectors.hours_warnings(audit, meetings),
            steps=audit.steps_for(user) if writer else {},
            can_edit=self.can("governance.audit_edit", audit),
            can_write_report=self.can("governance.audit_report_write", audit),
            can_raise=self.can("governance.finding_raise", audit),
            findings=[(finding, finding.steps_for(user, who) if finding_steps else {})
                      for finding in findings],
            signing=signing_panel(user=user, record=audit, sign_url=reverse(
                "governance:audit_sign", args=[self.partnership.pk, audit.pk])),
            **kwargs)


class AuditLiveView(LiveFragmentMixin, AuditDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Audit


class AuditFormMixin:
    form_class = forms.AuditForm
    template_name = "governance/audit_form.html"
    requires_write = True

    def get_form_kwargs(self):
        user, partnership = self.request.user, self.partnership
        return {**super().get_form_kwargs(),
                "sites": selectors.audit_site_choices(user=user, partnership=partnership),
                "auditors": selectors.auditor_choices(user=user, partnership=partnership),
                "hosts": selectors.host_choices(user=user, partnership=partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Audit “{self.object}” saved.")
        return self.object.get_absolute_url()


class AuditCreateView(AuditFormMixin, PartnershipMixin, ServiceFormView):
    def get_form_kwargs(self):
        require_person(self.request.user, "governance.audit_plan", self.partnership)
        return super().get_form_kwargs()

    def get_initial(self):
        if self.partnership.party_of(self.request.user) == "sponsor":
            return {"lead_auditor": self.request.user}
        return {}

    def perform(self, form):
        return services.audit_plan(actor=self.request.user, partnership=self.partnership,
                                   **form.cleaned_data)


class AuditEditView(AuditFormMixin, AuditMixin, ServiceFormView):
    def get_record(self):
        return self.audit

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.audit_edit", self.audit)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.audit, title="Edit the audit's plan",
                                        **kwargs)

    def perform(self, form):
        return services.audit_update(actor=self.request.user, audit=self.audit,
                                     **form.cleaned_data)


class AuditReportView(AuditMixin, ServiceFormView):
    """The lead auditor writes the report's summary (signing it issues the report)."""

    form_class = forms.ReportForm
    template_name = "governance/audit_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.audit_report_write", self.audit)
        return super().get_form_kwargs()

    def get_initial(self):
        return {"report_summary": self.audit.report_summary}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.audit, title="The audit report",
                                        submit_label="Save the summary", **kwargs)

    def perform(self, form):
        return services.audit_report_write(actor=self.request.user, audit=self.audit,
                                           **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Report summary saved: sign the report to issue it.")
        return self.object.get_absolute_url()


class AuditSignView(AuditMixin, SignView):
    def signed_record(self):
        return self.audit


class AuditStepView(AuditMixin, ServiceFormView):
    """One step of an audit's workflow in a dialog. The model decides whether the viewer may
    take it (Audit.check_step); a refused step shows as the form's error."""

    form_class = forms.ConfirmForm
    template_name = "governance/audit_form.html"
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in Audit.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        label = Audit.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.audit, title=f"{label}: {self.audit}",
                                        submit_label=label, **kwargs)

    def perform(self, form):
        return services.AUDIT_STEPS[self.kwargs["step"]](actor=self.request.user,
                                                         audit=self.audit)

    def get_success_url(self):
        messages.success(self.request, f"The audit is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class FindingDetailView(FindingMixin, TemplateView):
    """A finding's own page: what was found, the response and its review, the steps the
    user may take, and its discussion and files (partnership.discussion)."""

    template_name = "governance/finding_detail.html"

    def get_context_data(self, **kwargs):
        user, finding = self.request.user, self.finding
        audit = finding.audit
        who = audit.who_of(user) if self.can("governance.audit_step", audit) else set()
        steps = finding.steps_for(user, who) \
            if self.can("governance.finding_step", audit) else {}
        # "Awaiting response" with no button and no reason read as a page that is broken.
        before_report = (audit.status not in audit.ANSWERING
                         and finding.status in finding.ANSWERABLE
                         and finding.classification != finding.Classification.OBSERVATION)
        return super().get_context_data(
            object=finding, finding=finding, audit=audit, finding_steps=steps,
            before_report=before_report,
            can_edit=self.can("governance.finding_raise", audit), **kwargs)


class FindingCreateView(AuditMixin, ServiceFormView):
    form_class = forms.FindingForm
    template_name = "governance/audit_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.finding_raise", self.audit)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.audit, title="Raise a finding",
                                        submit_label="Raise the finding", **kwargs)

    def perform(self, form):
        return services.finding_raise(actor=self.request.user, audit=self.audit,
                                      **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} raised.")
        return self.object.get_absolute_url()


class FindingEditView(FindingMixin, ServiceFormView):
    form_class = forms.FindingForm
    template_name = "governance/audit_form.html"
    requires_write = True

    def get_record(self):
        return self.finding

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.finding_edit", self.finding)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.finding.audit,
                                        title=f"Edit finding {self.finding.number}", **kwargs)

    def perform(self, form):
        return services.finding_update(actor=self.request.user, finding=self.finding,
                                       **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


# step -> (form, submit label)
FINDING_FORMS = {
    "respond": (forms.RespondForm, "Send the response"),
    "accept": (forms.AcceptForm, "Accept the response"),
    "send_back": (forms.SendBackForm, "Send the response back"),
}


class FindingStepView(FindingMixin, ServiceFormView):
    template_name = "governance/audit_form.html"
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in FINDING_FORMS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return FINDING_FORMS[self.kwargs["step"]][0]

    def get_context_data(self, **kwargs):
        step, finding = self.kwargs["step"], self.finding
        return super().get_context_data(
            object=finding.audit, finding=finding,
            intro_template="governance/finding_intro.html",
            title=f"{Finding.STEPS[step][3]}: finding {finding.number}",
            submit_label=FINDING_FORMS[step][1], **kwargs)

    def perform(self, form):
        return services.FINDING_STEPS[self.kwargs["step"]](
            actor=self.request.user, finding=self.finding, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()
