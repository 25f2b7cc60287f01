"""Pages of deviations and CAPAs: their lists, a deviation's page with its clock,
investigation, closure and CAPAs, a CAPA's page with its effectiveness check (signed by the
sponsor's QA lead), the steps each party may take as buttons, and the dialogs."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.escalation.selectors import capa_escalations
from governance.quality.deviations import forms, selectors, services
from governance.quality.deviations.filters import CapaFilter, DeviationFilter
from governance.quality.deviations.models import Capa, Deviation
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.validation import parse_id
from portal.views import FilteredListView, ServiceFormView

FORM_TEMPLATE = "governance/quality_form.html"


class DeviationMixin(PartnershipMixin):
    @cached_property
    def deviation(self) -> Deviation:
        return get_object_or_404(selectors.deviation_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class CapaMixin(PartnershipMixin):
    @cached_property
    def capa(self) -> Capa:
        return get_object_or_404(selectors.capa_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class DeviationListView(PartnershipMixin, FilteredListView):
    template_name = "governance/deviation_list.html"
    filterset_class = DeviationFilter

    def get_base_queryset(self):
        return selectors.deviation_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            now=timezone.now(),
            can_create=self.can("governance.deviation_report", self.partnership), **kwargs)


class DeviationDetailView(LiveRecordMixin, DeviationMixin, TemplateView):
    live_url_name = "governance:deviation_live"
    template_name = "governance/deviation_detail.html"

    def get_context_data(self, **kwargs):
        user, deviation = self.request.user, self.deviation
        writer = self.can("governance.deviation_step", deviation)
        return super().get_context_data(
            object=deviation, now=timezone.now(),
            steps=deviation.steps_for(user) if writer else {},
            can_edit=self.can("governance.deviation_edit", deviation),
            can_notify=self.can("governance.deviation_notify", deviation),
            can_investigate=self.can("governance.deviation_investigate", deviation),
            can_raise_capa=self.can("governance.capa_create", self.partnership)
            and not deviation.is_internal,
            capas=selectors.deviation_capas(user=user, deviation=deviation), **kwargs)


class DeviationLiveView(LiveFragmentMixin, DeviationDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Deviation


class DeviationFormMixin:
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        user, partnership = self.request.user, self.partnership
        return {**super().get_form_kwargs(),
                "sites": selectors.deviation_site_choices(user=user, partnership=partnership),
                "batches": selectors.deviation_batch_choices(user=user,
                                                             partnership=partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Deviation “{self.object}” saved.")
        return self.object.get_absolute_url()


class DeviationCreateView(DeviationFormMixin, PartnershipMixin, ServiceFormView):
    form_class = forms.DeviationReportForm

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.deviation_report", self.partnership)
        return super().get_form_kwargs()

    def get_initial(self):
        """Opened from a lot's page (?batch=), it names that lot (and its site)."""
        value = parse_id(self.request.GET.get("batch"))
        batch = selectors.deviation_batch_choices(
            user=self.request.user, partnership=self.partnership).filter(
            pk=value).first() if value else None
        return {"batch": batch.pk, "site": batch.site_id} if batch else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Report a deviation", submit_label="Report",
            cancel_url=reverse("governance:deviation_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        return services.deviation_report(actor=self.request.user, partnership=self.partnership,
                                         **form.cleaned_data)


class DeviationEditView(DeviationFormMixin, DeviationMixin, ServiceFormView):
    form_class = forms.DeviationForm

    def get_record(self):
        return self.deviation

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.deviation_edit", self.deviation)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.deviation, title=f"Edit {self.deviation}",
                                        cancel_url=self.deviation.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.deviation_update(actor=self.request.user, deviation=self.deviation,
                                         **form.cleaned_data)


class DeviationInvestigationView(DeviationMixin, ServiceFormView):
    form_class = forms.InvestigationForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.deviation_investigate", self.deviation)
        return super().get_form_kwargs()

    def get_initial(self):
        deviation = self.deviation
        return {"investigation": deviation.investigation, "root_cause": deviation.root_cause,
                "product_impact": deviation.product_impact}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.deviation, title="The investigation",
                                        cancel_url=self.deviation.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.deviation_investigation_write(
            actor=self.request.user, deviation=self.deviation, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Investigation saved.")
        return self.object.get_absolute_url()


class DeviationNotifyView(DeviationMixin, ServiceFormView):
    form_class = forms.ConfirmForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.deviation_notify", self.deviation)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.deviation, title=f"Notify the sponsor: {self.deviation}",
            submit_label="Notify the sponsor", cancel_url=self.deviation.get_absolute_url(),
            **kwargs)

    def perform(self, form):
        return services.deviation_notify_sponsor(actor=self.request.user,
                                                 deviation=self.deviation)

    def get_success_url(self):
        messages.success(self.request, "The sponsor is notified.")
        return self.object.get_absolute_url()


DEVIATION_FORMS = {"investigate": forms.ConfirmForm, "request_closure": forms.ConfirmForm,
                   "close": forms.ConfirmForm, "approve_closure": forms.ReviewForm,
                   "send_back": forms.SendBackForm}


class DeviationStepView(DeviationMixin, ServiceFormView):
    template_name = FORM_TEMPLATE
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in Deviation.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return DEVIATION_FORMS[self.kwargs["step"]]

    def get_context_data(self, **kwargs):
        label = Deviation.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.deviation,
                                         title=f"{label}: {self.deviation}",
                                         submit_label=label,
                                         cancel_url=self.deviation.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.DEVIATION_STEPS[self.kwargs["step"]](
            actor=self.request.user, deviation=self.deviation, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"The deviation is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class CapaListView(PartnershipMixin, FilteredListView):
    template_name = "governance/capa_list.html"
    filterset_class = CapaFilter

    def get_base_queryset(self):
        return selectors.capa_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            can_create=self.can("governance.capa_create", self.partnership), **kwargs)


class CapaDetailView(LiveRecordMixin, CapaMixin, TemplateView):
    live_url_name = "governance:capa_live"
    template_name = "governance/capa_detail.html"

    def get_context_data(self, **kwargs):
        user, capa = self.request.user, self.capa
        writer = self.can("governance.capa_step", capa)
        return super().get_context_data(
            object=capa, steps=capa.steps_for(user) if writer else {},
            escalations=list(capa_escalations(user=user, capa=capa)),
            can_edit=self.can("governance.capa_edit", capa),
            signing=signing_panel(user=user, record=capa, sign_url=reverse(
                "governance:capa_sign", args=[self.partnership.pk, capa.pk])),
            **kwargs)


class CapaLiveView(LiveFragmentMixin, CapaDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Capa


class CapaFormMixin:
    form_class = forms.CapaForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        user, partnership = self.request.user, self.partnership
        return {**super().get_form_kwargs(),
                "owners": selectors.capa_owner_choices(user=user, partnership=partnership),
                "findings": selectors.capa_finding_choices(user=user, partnership=partnership),
                "deviations": selectors.capa_deviation_choices(user=user,
                                                               partnership=partnership)}

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


class CapaCreateView(CapaFormMixin, PartnershipMixin, ServiceFormView):
    def get_form_kwargs(self):
        require_person(self.request.user, "governance.capa_create", self.partnership)
        return super().get_form_kwargs()

    def get_initial(self):
        """Opened from a deviation or a finding (?deviation= / ?finding=), it answers it."""
        initial = {"owner": self.request.user}
        for name in ("deviation", "finding"):
            value = parse_id(self.request.GET.get(name))
            if value:
                initial[name] = value
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Raise a CAPA", submit_label="Raise the CAPA",
            cancel_url=reverse("governance:capa_list", args=[self.partnership.pk]), **kwargs)

    def perform(self, form):
        return services.capa_create(actor=self.request.user, partnership=self.partnership,
                                    **form.cleaned_data)


class CapaEditView(CapaFormMixin, CapaMixin, ServiceFormView):
    def get_record(self):
        return self.capa

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.capa_edit", self.capa)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.capa, title=f"Edit {self.capa.reference}",
                                        cancel_url=self.capa.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.capa_update(actor=self.request.user, capa=self.capa,
                                    **form.cleaned_data)


CAPA_FORMS = {"start": forms.ConfirmForm, "implement": forms.ImplementForm,
              "reopen": forms.ReopenForm}


class CapaStepView(CapaMixin, ServiceFormView):
    template_name = FORM_TEMPLATE
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in Capa.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return CAPA_FORMS[self.kwargs["step"]]

    def get_context_data(self, **kwargs):
        label = Capa.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.capa, title=f"{label}: {self.capa}",
                                        submit_label=label,
                                        cancel_url=self.capa.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.CAPA_STEPS[self.kwargs["step"]](actor=self.request.user,
                                                        capa=self.capa, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.reference} is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class CapaSignView(CapaMixin, SignView):
    def signed_record(self):
        return self.capa
