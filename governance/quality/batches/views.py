"""Pages of batches: the lot list with its filters, a lot's page with its reviews,
certificates and disposition, and the dialogs (record, correct, review, attach a CoA, sign
the disposition)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from governance.quality.batches import forms, selectors, services
from governance.quality.batches.filters import BatchFilter
from governance.quality.batches.models import Batch
from governance.quality.deviations.selectors import batch_deviations
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView

#: The deviations a lot's page lists (the rest are a link to the filtered list away).
DEVIATIONS_SHOWN = 10


class BatchMixin(PartnershipMixin):
    @cached_property
    def batch(self) -> Batch:
        try:
            return selectors.batch_get(user=self.request.user, partnership=self.partnership,
                                       pk=self.kwargs["pk"])
        except Batch.DoesNotExist:
            raise Http404 from None


class BatchListView(PartnershipMixin, FilteredListView):
    template_name = "governance/batch_list.html"
    filterset_class = BatchFilter

    def get_base_queryset(self):
        return selectors.batch_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.batch_record", self.partnership), **kwargs)


class BatchDetailView(LiveRecordMixin, BatchMixin, TemplateView):
    live_url_name = "governance:batch_live"
    template_name = "governance/batch_detail.html"

    def get_context_data(self, **kwargs):
        user, batch = self.request.user, self.batch
        writer = self.can("governance.batch_review", batch)
        deviations = batch_deviations(user=user, batch=batch, limit=DEVIATIONS_SHOWN)
        return super().get_context_data(
            deviations=deviations[:DEVIATIONS_SHOWN],
            more_deviations=len(deviations) > DEVIATIONS_SHOWN,
            can_report_deviation=self.can("governance.deviation_report", self.partnership),
            release_blocker=batch.open_deviations_blocker()
            if batch.status in Batch.DISPOSABLE else None,
            object=batch, steps=batch.steps_for(user) if writer else {},
            dispositions=batch.dispositions_for(user) if writer else [],
            can_edit=self.can("governance.batch_edit", batch),
            can_attach=self.can("governance.batch_certificate_attach", batch),
            certificates=list(batch.certificates.all()),
            # Only the dispositions signed so far: the ones to sign are the header's buttons.
            signing=[item for item in signing_panel(user=user, record=batch, sign_url=reverse(
                "governance:batch_sign", args=[self.partnership.pk, batch.pk]))
                if item.signatures],
            **kwargs)


class BatchLiveView(LiveFragmentMixin, BatchDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Batch


class BatchFormMixin:
    form_class = forms.BatchForm
    template_name = "governance/batch_form.html"
    requires_write = True

    def get_form_kwargs(self):
        user, partnership = self.request.user, self.partnership
        return {**super().get_form_kwargs(),
                "sites": selectors.batch_site_choices(user=user, partnership=partnership),
                "programs": selectors.batch_program_choices(user=user,
                                                            partnership=partnership)}

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()


class BatchCreateView(BatchFormMixin, PartnershipMixin, ServiceFormView):
    def get_form_kwargs(self):
        require_person(self.request.user, "governance.batch_record", self.partnership)
        return super().get_form_kwargs()

    def perform(self, form):
        return services.batch_record(actor=self.request.user, partnership=self.partnership,
                                     **form.cleaned_data)


class BatchEditView(BatchFormMixin, BatchMixin, ServiceFormView):
    def get_record(self):
        return self.batch

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.batch_edit", self.batch)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.batch, title=f"Edit {self.batch}",
                                        **kwargs)

    def perform(self, form):
        return services.batch_update(actor=self.request.user, batch=self.batch,
                                     **form.cleaned_data)


class BatchStepView(BatchMixin, ServiceFormView):
    """A batch record review in a dialog. The model decides whether the viewer may take it
    (Batch.check_step); a refused step shows as the form's error."""

    form_class = forms.ReviewForm
    template_name = "governance/batch_form.html"
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in Batch.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        label = Batch.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.batch, title=f"{label}: {self.batch}",
                                        submit_label=label, **kwargs)

    def perform(self, form):
        return services.BATCH_STEPS[self.kwargs["step"]](actor=self.request.user,
                                                         batch=self.batch, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class BatchCertificateView(BatchMixin, ServiceFormView):
    form_class = forms.CertificateForm
    template_name = "governance/batch_form.html"
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.batch_certificate_attach", self.batch)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.batch, title=f"Attach the certificate of analysis: {self.batch}",
            submit_label="Attach", **kwargs)

    def perform(self, form):
        certificate = services.batch_certificate_attach(
            actor=self.request.user, batch=self.batch, file=form.cleaned_data["file"])
        messages.success(self.request, f"{certificate.name} attached.")
        return certificate

    def get_success_url(self):
        return self.batch.get_absolute_url()


class BatchSignView(BatchMixin, SignView):
    def signed_record(self):
        return self.batch


class BatchCertificateDownloadView(PartnershipMixin, View):
    """Certificates are never served from a public folder: only this scoped view hands
    them out."""

    def get(self, request, *args, **kwargs):
        certificate = get_object_or_404(selectors.certificate_list(
            user=request.user, partnership=self.partnership), batch_id=kwargs["batch_pk"],
            pk=kwargs["pk"])
        return certificate.download_response(request)
