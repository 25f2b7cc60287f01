"""Pages of KPI imports: the partnership's imports (paged), the upload dialog, an import's
page whose progress bar htmx refreshes until the job is done, the uploaded file, and the
template to fill in."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from metrics.imports import forms, reading, selectors, services
from metrics.imports.filters import KPIImportFilter
from metrics.imports.models import KPIImport
from partnership.permissions import require_person
from partnership.scoping_views import PartnershipMixin
from portal.views import FilteredListView, HtmxPartialMixin, ServiceFormView

#: How often the page asks for the progress while the job runs.
POLL = "every 1s"


class KPIImportListView(PartnershipMixin, FilteredListView):
    template_name = "metrics/kpiimport_list.html"
    filterset_class = KPIImportFilter

    def get_base_queryset(self):
        return selectors.kpi_import_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_import=self.can("metrics.kpiimport_create", self.partnership), **kwargs)


class KPIImportCreateView(PartnershipMixin, ServiceFormView):
    """The reporting party uploads a spreadsheet; its job starts once it is kept."""

    form_class = forms.KPIImportForm
    template_name = "metrics/form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.kpiimport_create", self.partnership)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Import KPI values", submit_label="Upload and import",
            intro_template="metrics/kpiimport_intro.html",
            cancel_url=reverse("metrics:kpiimport_list", args=[self.partnership.pk]), **kwargs)

    def perform(self, form):
        return services.kpi_import_create(actor=self.request.user, partnership=self.partnership,
                                          file=form.cleaned_data["file"])

    def get_success_url(self):
        messages.success(self.request, f"{self.object.name} uploaded: its rows are being "
                                       "checked.")
        return self.object.get_absolute_url()


class KPIImportDetailView(PartnershipMixin, HtmxPartialMixin, TemplateView):
    """An import's page. While its job is queued or running, the progress fragment asks for
    itself again every second (htmx); once finished it shows the errors or the values and
    asks no more."""

    template_name = "metrics/kpiimport_detail.html"
    partial_name = "progress"

    @cached_property
    def kpi_import(self) -> KPIImport:
        try:
            return selectors.kpi_import_get(user=self.request.user,
                                            partnership=self.partnership, pk=self.kwargs["pk"])
        except KPIImport.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        kpi_import, user = self.kpi_import, self.request.user
        to_step = {}
        if kpi_import.status == KPIImport.Status.DONE and \
                self.can("metrics.kpiimport_create", self.partnership):
            to_step = selectors.imported_to_step(user=user, kpi_import=kpi_import)
        return super().get_context_data(
            object=kpi_import, poll=POLL if kpi_import.is_active else None,
            values=selectors.imported_values(user=user, kpi_import=kpi_import),
            shown_values=selectors.SHOWN_VALUES, to_step=to_step, **kwargs)


class KPIImportValuesStepView(PartnershipMixin, View):
    """POST step=submit|share: the import's values take the next step all at once, through
    the single value's services (metrics.imports.services.kpi_import_values_step); a
    refused step comes back as a message on the import's page."""

    requires_write = True

    def post(self, request, *args, **kwargs):
        try:
            kpi_import = selectors.kpi_import_get(user=request.user,
                                                  partnership=self.partnership, pk=kwargs["pk"])
        except KPIImport.DoesNotExist:
            raise Http404 from None
        step = request.POST.get("step", "")
        try:
            count = services.kpi_import_values_step(actor=request.user, kpi_import=kpi_import,
                                                    step=step)
            done = "submitted" if step == "submit" else "shared for review"
            messages.success(request, f"{count} value{pluralize(count)} {done}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = kpi_import.get_absolute_url()
        return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


class KPIImportFileView(PartnershipMixin, View):
    """The uploaded file, as it was checked: only this scoped view hands it out."""

    def get(self, request, *args, **kwargs):
        try:
            kpi_import = selectors.kpi_import_get(user=request.user,
                                                  partnership=self.partnership, pk=kwargs["pk"])
        except KPIImport.DoesNotExist:
            raise Http404 from None
        return kpi_import.download_response(request)


class KPIImportTemplateView(LoginRequiredMixin, View):
    """The CSV to fill in: its header and two example rows (no partnership's data)."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(reading.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kpi-values-template.csv"'
        return response
