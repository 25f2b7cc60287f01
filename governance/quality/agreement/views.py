"""Pages of the quality agreement: the agreements of a partnership, one agreement's
responsibility matrix side by side (gaps and overlaps marked) and its deadlines, and the
dialogs that attach the terms to a contract and edit them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.quality.agreement import forms, selectors, services
from governance.quality.agreement.filters import AgreementFilter
from governance.quality.agreement.models import Part, QualityAgreement
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from portal.views import FilteredListView, ServiceFormView

FORM_TEMPLATE = "governance/quality_form.html"


class AgreementMixin(PartnershipMixin):
    @cached_property
    def agreement(self) -> QualityAgreement:
        return get_object_or_404(selectors.agreement_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class AgreementListView(PartnershipMixin, FilteredListView):
    template_name = "governance/qualityagreement_list.html"
    filterset_class = AgreementFilter

    def get_base_queryset(self):
        return selectors.agreement_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.qualityagreement_create", self.partnership),
            in_force=selectors.agreement_in_force(user=self.request.user,
                                                  partnership=self.partnership),
            **kwargs)


class AgreementDetailView(AgreementMixin, TemplateView):
    template_name = "governance/qualityagreement_detail.html"

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        in_force = selectors.agreement_in_force(user=self.request.user,
                                                partnership=self.partnership)
        return super().get_context_data(
            object=agreement, rows=list(agreement.responsibilities.all()),
            is_in_force=in_force is not None and in_force.pk == agreement.pk,
            can_edit=self.can("governance.qualityagreement_edit", agreement),
            responsible=Part.RESPONSIBLE, **kwargs)


class AgreementCreateView(PartnershipMixin, ServiceFormView):
    form_class = forms.AgreementCreateForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.qualityagreement_create",
                       self.partnership)
        return {**super().get_form_kwargs(), "contracts": selectors.agreement_contract_choices(
            user=self.request.user, partnership=self.partnership)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Write the quality terms of an agreement", submit_label="Create the matrix",
            cancel_url=reverse("governance:qualityagreement_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        return services.quality_agreement_create(actor=self.request.user,
                                                 partnership=self.partnership,
                                                 **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object} created: fill in the matrix.")
        return self.object.get_absolute_url()


class AgreementEditView(AgreementMixin, ServiceFormView):
    form_class = forms.AgreementEditForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_record(self):
        return self.agreement

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.qualityagreement_edit", self.agreement)
        return {**super().get_form_kwargs(), "rows": self.agreement.responsibilities.all()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.agreement, title=f"Edit {self.agreement}",
            cancel_url=self.agreement.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.quality_agreement_update(actor=self.request.user,
                                                 agreement=self.agreement,
                                                 **form.service_data())

    def get_success_url(self):
        messages.success(self.request, f"{self.object} saved.")
        return self.object.get_absolute_url()
