"""Pages of tech transfers: list, create, the milestone timeline, milestone edits."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.contracts.selectors import program_list
from partnership.deliverables.selectors import deliverable_list
from partnership.parties.selectors import owner_choices, site_list
from partnership.scoping_views import PartnershipMixin
from partnership.techtransfer import selectors, services
from partnership.techtransfer.forms import MilestoneForm, TechTransferForm
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.views import ServiceFormView, keep_current_choices


class TechTransferMixin(PartnershipMixin):
    @cached_property
    def transfer(self) -> TechTransfer:
        return get_object_or_404(
            selectors.tech_transfer_list(user=self.request.user, partnership=self.partnership),
            pk=self.kwargs["transfer_pk"])


class TechTransferListView(PartnershipMixin, TemplateView):
    template_name = "partnership/techtransfer_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(transfers=selectors.tech_transfer_list(
            user=self.request.user, partnership=self.partnership), **kwargs)


class TechTransferCreateView(PartnershipMixin, ServiceFormView):
    requires_write = True
    form_class = TechTransferForm
    template_name = "partnership/techtransfer_form.html"

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(),
                "programs": program_list(user=user, partnership=self.partnership),
                "sites": site_list(user=user).filter(
                    organization_id=self.partnership.cdmo_id)}

    def perform(self, form):
        return services.tech_transfer_create(actor=self.request.user,
                                             partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Tech transfer created with its standard milestones.")
        return self.object.get_absolute_url()


class TechTransferDetailView(TechTransferMixin, TemplateView):
    template_name = "partnership/techtransfer_detail.html"

    def get_context_data(self, **kwargs):
        timeline = selectors.tech_transfer_timeline(user=self.request.user,
                                                    transfer=self.transfer)
        return super().get_context_data(object=self.transfer, timeline=timeline, **kwargs)


class MilestoneEditView(TechTransferMixin, ServiceFormView):
    requires_write = True
    template_name = "partnership/techtransfer_form.html"

    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(Milestone.objects.visible_to(self.request.user).filter(
            tech_transfer=self.transfer), pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        m = self.milestone
        initial = {"planned_date": m.planned_date, "actual_date": m.actual_date,
                   "sponsor_owner": m.sponsor_owner, "cdmo_owner": m.cdmo_owner,
                   "deliverables": list(selectors.milestone_deliverables(
                       user=self.request.user, milestone=m)), "note": m.note}
        form = MilestoneForm(
            self.request.POST or None, initial=initial,
            owners=owner_choices(user=self.request.user, partnership=self.partnership),
            deliverables=deliverable_list(user=self.request.user,
                                                    partnership=self.partnership))
        self.limit_to_field_rules(form, m)  # the other party's owner is shown, not offered
        keep_current_choices(form, m)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(milestone=self.milestone, **kwargs)

    def perform(self, form):
        return services.milestone_update(actor=self.request.user, milestone=self.milestone,
                                         **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.milestone.get_kind_display()} updated.")
        return self.transfer.get_absolute_url()
