"""Pages of KPI values: a value's page (its figures, red / amber / green, review window,
the review thread with both parties' words, the publication's signature and history), and
the dialogs (enter, edit, each step, comment, publish)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from metrics.computed.selectors import measurement_sources
from metrics.kpis import selectors as kpi_selectors
from metrics.kpis.models import KPIDefinition
from metrics.measurements import forms, selectors, services
from metrics.measurements.models import KPIMeasurement
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.views import ServiceFormView

FORM_TEMPLATE = "metrics/form.html"


class KPIMeasurementMixin(PartnershipMixin):
    @cached_property
    def measurement(self) -> KPIMeasurement:
        try:
            return selectors.kpi_measurement_get(user=self.request.user,
                                                 partnership=self.partnership,
                                                 pk=self.kwargs["pk"])
        except KPIMeasurement.DoesNotExist:
            raise Http404 from None


class KPIMeasurementDetailView(KPIMeasurementMixin, TemplateView):
    template_name = "metrics/kpimeasurement_detail.html"

    def get_context_data(self, **kwargs):
        user, measurement = self.request.user, self.measurement
        writer = self.can("metrics.kpimeasurement_step", measurement)
        return super().get_context_data(
            object=measurement, steps=measurement.steps_for(user) if writer else {},
            can_edit=self.can("metrics.kpimeasurement_edit", measurement),
            can_comment=self.can("metrics.kpimeasurement_comment", measurement),
            can_attach=self.can("metrics.kpimeasurement_attach", measurement),
            evidence=list(selectors.evidence_list(user=user, partnership=self.partnership)
                          .filter(measurement=measurement)),
            thread=list(selectors.review_thread(user=user, measurement=measurement)),
            computed=measurement_sources(user=user, measurement=measurement)
            if measurement.definition.data_source == KPIDefinition.Source.COMPUTED else None,
            signing=signing_panel(user=user, record=measurement, sign_url=reverse(
                "metrics:kpimeasurement_sign", args=[self.partnership.pk, measurement.pk])),
            **kwargs)


class KPIMeasurementCreateView(PartnershipMixin, ServiceFormView):
    """The reporting party enters a value of one of the KPIs it reports."""

    form_class = forms.KPIMeasurementForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "definitions": kpi_selectors.reportable_definitions(
                    user=self.request.user, partnership=self.partnership)}

    def get_initial(self):
        definition = self.request.GET.get("definition", "")
        return {"definition": definition} if definition.isdigit() else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Enter a KPI value", submit_label="Save as draft",
            cancel_url=reverse("metrics:kpidefinition_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        return services.kpi_measurement_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved as a draft.")
        return self.object.get_absolute_url()


class KPIMeasurementEditView(KPIMeasurementMixin, ServiceFormView):
    form_class = forms.KPIMeasurementForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_record(self):
        return self.measurement

    def get_form_kwargs(self):
        require_whole(self.request.user, "metrics.kpimeasurement_edit", self.measurement)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.measurement,
                                        title=f"Edit {self.measurement}",
                                        cancel_url=self.measurement.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.kpi_measurement_update(actor=self.request.user,
                                               measurement=self.measurement,
                                               **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


class KPIMeasurementStepView(KPIMeasurementMixin, ServiceFormView):
    """A step in a dialog; the model decides whether the viewer may take it
    (KPIMeasurement.check_step): a refused step shows as the form's error."""

    template_name = FORM_TEMPLATE
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in KPIMeasurement.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.STEP_FORMS[self.kwargs["step"]]

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpimeasurement_step", self.measurement)
        return super().get_form_kwargs()

    def get_initial(self):
        if self.kwargs["step"] == "correct":
            return {"value": self.measurement.value, "numerator": self.measurement.numerator,
                    "denominator": self.measurement.denominator}
        return {}

    def get_context_data(self, **kwargs):
        label = KPIMeasurement.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.measurement,
                                        title=f"{label}: {self.measurement}",
                                        submit_label=label,
                                        cancel_url=self.measurement.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.MEASUREMENT_STEPS[self.kwargs["step"]](
            actor=self.request.user, measurement=self.measurement, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class KPIMeasurementCommentView(KPIMeasurementMixin, ServiceFormView):
    form_class = forms.TextForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpimeasurement_comment", self.measurement)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.measurement,
                                        title=f"Comment on {self.measurement}",
                                        submit_label="Comment",
                                        cancel_url=self.measurement.get_absolute_url(), **kwargs)

    def perform(self, form):
        services.kpi_measurement_comment(actor=self.request.user, measurement=self.measurement,
                                         **form.cleaned_data)
        return self.measurement

    def get_success_url(self):
        messages.success(self.request, "Comment added.")
        return self.measurement.get_absolute_url()


class KPIMeasurementSignView(KPIMeasurementMixin, SignView):
    def signed_record(self):
        return self.measurement


class KPIEvidenceView(KPIMeasurementMixin, ServiceFormView):
    form_class = forms.EvidenceForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpimeasurement_attach", self.measurement)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.measurement,
                                        title=f"Attach evidence: {self.measurement}",
                                        submit_label="Attach",
                                        cancel_url=self.measurement.get_absolute_url(), **kwargs)

    def perform(self, form):
        evidence = services.kpi_measurement_attach(
            actor=self.request.user, measurement=self.measurement, file=form.cleaned_data["file"])
        messages.success(self.request, f"{evidence.name} attached.")
        return evidence

    def get_success_url(self):
        return self.measurement.get_absolute_url()


class KPIEvidenceDownloadView(PartnershipMixin, View):
    """Evidence is never served from a public folder: only this scoped view hands it out."""

    def get(self, request, *args, **kwargs):
        evidence = get_object_or_404(selectors.evidence_list(
            user=request.user, partnership=self.partnership),
            measurement_id=kwargs["measurement_pk"], pk=kwargs["pk"])
        return evidence.download_response(request)
