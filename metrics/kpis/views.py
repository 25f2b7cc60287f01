"""Pages of KPI definitions: the KPIs page of a partnership (the agreed KPIs with their
latest published value and its red / amber / green, what awaits the viewer, every
definition), a definition's page (its terms, versions, sign-off and its values, filtered
and paged), and the dialogs (draft, adopt the library, edit, steps, revise, sign off)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django_htmx.http import HttpResponseClientRedirect

from metrics.kpis import forms, selectors, services
from metrics.kpis.filters import KPIDefinitionFilter
from metrics.kpis.models import KPIDefinition
from metrics.measurements import selectors as measurement_selectors
from metrics.measurements.filters import OneKPIValuesFilter
from partnership.history.reasons import needs_reason
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.views import FilteredListView, ServiceFormView

FORM_TEMPLATE = "metrics/form.html"
ALL_ADOPTED = "Every standard KPI of the library is already adopted in this partnership."


class KPIDefinitionMixin(PartnershipMixin):
    @cached_property
    def definition(self) -> KPIDefinition:
        try:
            return selectors.kpi_definition_get(user=self.request.user,
                                                partnership=self.partnership,
                                                pk=self.kwargs["pk"])
        except KPIDefinition.DoesNotExist:
            raise Http404 from None


class KPIHomeView(PartnershipMixin, FilteredListView):
    """The KPIs page: the scorecard and what awaits the viewer above every definition."""

    template_name = "metrics/kpidefinition_list.html"
    filterset_class = KPIDefinitionFilter

    def get_base_queryset(self):
        return selectors.kpi_definition_list(user=self.request.user,
                                             partnership=self.partnership).order_by("name",
                                                                                    "-version")

    def get_context_data(self, **kwargs):
        user = self.request.user
        htmx = getattr(self.request, "htmx", False)
        return super().get_context_data(
            scorecard=[] if htmx else selectors.kpis_in_force(user=user,
                                                               partnership=self.partnership),
            awaiting={} if htmx else measurement_selectors.awaiting(
                user=user, partnership=self.partnership),
            can_create=self.can("metrics.kpidefinition_create", self.partnership),
            can_import=not htmx and self.can("metrics.kpiimport_create", self.partnership),
            to_adopt=[] if htmx else selectors.standards_to_adopt(
                user=user, partnership=self.partnership),
            **kwargs)


class KPIDefinitionDetailView(KPIDefinitionMixin, FilteredListView):
    """A definition's page; its values are the paged, filtered list."""

    template_name = "metrics/kpidefinition_detail.html"
    filterset_class = OneKPIValuesFilter
    paginate_by = 12

    def get_base_queryset(self):
        return measurement_selectors.measurements_of(user=self.request.user,
                                                     definition=self.definition)

    def get_context_data(self, **kwargs):
        user, definition = self.request.user, self.definition
        context = {"object": definition}
        if not getattr(self.request, "htmx", False):
            step_rule = self.can("metrics.kpidefinition_step", definition)
            context.update(
                steps=definition.steps_now() if step_rule else {},
                needs_reason=needs_reason(definition),
                can_edit=self.can("metrics.kpidefinition_edit", definition),
                can_revise=self.can("metrics.kpidefinition_revise", definition),
                can_enter=self.can("metrics.kpimeasurement_create", definition),
                can_compute=self.can("metrics.kpidefinition_compute", definition),
                versions=list(selectors.kpi_versions(user=user, definition=definition)),
                signing=signing_panel(user=user, record=definition, sign_url=reverse(
                    "metrics:kpidefinition_sign", args=[self.partnership.pk, definition.pk])))
        return super().get_context_data(**context, **kwargs)


class KPIDefinitionFormMixin:
    form_class = forms.KPIDefinitionForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


class KPIDefinitionCreateView(KPIDefinitionFormMixin, PartnershipMixin, ServiceFormView):
    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpidefinition_create", self.partnership)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Draft a KPI definition", submit_label="Save as draft",
            cancel_url=reverse("metrics:kpidefinition_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        return services.kpi_definition_create(actor=self.request.user,
                                              partnership=self.partnership,
                                              **form.cleaned_data)


class KPIDefinitionEditView(KPIDefinitionFormMixin, KPIDefinitionMixin, ServiceFormView):
    def get_record(self):
        return self.definition

    def get_form_kwargs(self):
        require_whole(self.request.user, "metrics.kpidefinition_edit", self.definition)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.definition,
                                        title=f"Edit {self.definition}",
                                        cancel_url=self.definition.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.kpi_definition_update(actor=self.request.user,
                                              definition=self.definition, **form.cleaned_data)


class KPIAdoptView(PartnershipMixin, ServiceFormView):
    form_class = forms.AdoptForm
    template_name = FORM_TEMPLATE
    requires_write = True

    @cached_property
    def standards(self):
        return selectors.standards_to_adopt(user=self.request.user,
                                            partnership=self.partnership)

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpidefinition_create", self.partnership)
        return {**super().get_form_kwargs(), "standards": self.standards}

    def get(self, request, *args, **kwargs):
        """With every standard adopted there is nothing to choose: back to the KPIs page."""
        if self.standards:
            return super().get(request, *args, **kwargs)
        require_person(request.user, "metrics.kpidefinition_create", self.partnership)
        messages.info(request, ALL_ADOPTED)
        url = reverse("metrics:kpidefinition_list", args=[self.partnership.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Adopt standard KPIs", submit_label="Adopt as drafts",
            cancel_url=reverse("metrics:kpidefinition_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        self.adopted = services.kpi_definitions_adopt(actor=self.request.user,
                                                      partnership=self.partnership,
                                                      keys=form.cleaned_data["keys"])

    def get_success_url(self):
        messages.success(self.request, f"{len(self.adopted)} draft(s) adopted.")
        return reverse("metrics:kpidefinition_list", args=[self.partnership.pk])


class KPIDefinitionStepView(KPIDefinitionMixin, ServiceFormView):
    """Submit for sign-off, back to draft, retire: with a reason once signed or agreed."""

    template_name = FORM_TEMPLATE
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in KPIDefinition.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.ReasonForm if needs_reason(self.definition) else forms.ConfirmForm

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpidefinition_step", self.definition)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        label = KPIDefinition.STEPS[self.kwargs["step"]][2]
        return super().get_context_data(object=self.definition,
                                        title=f"{label}: {self.definition}", submit_label=label,
                                        cancel_url=self.definition.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.kpi_definition_step(actor=self.request.user, definition=self.definition,
                                            step=self.kwargs["step"], **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class KPIDefinitionReviseView(KPIDefinitionMixin, ServiceFormView):
    form_class = forms.ConfirmForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpidefinition_revise", self.definition)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.definition, title=f"Revise {self.definition}",
            submit_label=f"Draft version {self.definition.version + 1}",
            intro_template="metrics/revise_intro.html",
            cancel_url=self.definition.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.kpi_definition_revise(actor=self.request.user,
                                              definition=self.definition)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} drafted: sign it off to bring it into "
                                       "force.")
        return self.object.get_absolute_url()


class KPIDefinitionSignView(KPIDefinitionMixin, SignView):
    def signed_record(self):
        return self.definition
