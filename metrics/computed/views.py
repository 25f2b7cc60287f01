"""Pages of computed KPIs: "Compute now" on a computed definition's page (a dialog choosing
the ended period, POST), for the reporting party's writers."""

from django.contrib import messages

from metrics.computed import forms, services
from metrics.kpis.views import FORM_TEMPLATE, KPIDefinitionMixin
from partnership.permissions import require_person
from portal.views import ServiceFormView


class KPIComputeView(KPIDefinitionMixin, ServiceFormView):
    form_class = forms.ComputeForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpidefinition_compute", self.definition)
        return {**super().get_form_kwargs(), "definition": self.definition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.definition, title=f"Compute {self.definition.name} now",
            submit_label="Compute", cancel_url=self.definition.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.kpi_value_compute(actor=self.request.user, definition=self.definition,
                                          period=form.cleaned_data["period"])

    def get_success_url(self):
        messages.success(self.request, f"{self.object} computed: "
                                       f"{self.object.value.normalize():f} "
                                       f"{self.object.definition.unit}, as a draft.")
        return self.object.get_absolute_url()
