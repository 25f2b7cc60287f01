"""Pages of tech transfers: list, create, the milestone timeline, milestone edits."""

from django.contrib import messages
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.contracts.selectors import program_list
from partnership.deliverables.selectors import deliverable_list
from partnership.parties.selectors import owner_choices, site_list
from partnership.scoping_views import PartnershipMixin
from partnership.techtransfer import selectors, services
from partnership.techtransfer.forms import MilestoneForm, TechTransferForm
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.views import ServiceFormView


class TechTransferMixin(PartnershipMixin):
    @cached_property
    def transfer(self) -> TechTransfer:
        return selectors.tech_transfer_get(user=self.request.user,
                                           partnership=self.partnership,
                                           pk=self.kwargs["transfer_pk"])


class TechTransferListView(PartnershipMixin, TemplateView):
    template_name = "partnership/techtransfer_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transfers=selectors.tech_transfer_list(user=self.request.user,
                                                   partnership=self.partnership),
            can_create=self.can("partnership.techtransfer_create",
                           self.partnership), **kwargs)


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
        for row in timeline:
            row["can_edit"] = self.can("partnership.milestone_edit",
                                  row["milestone"])
        return super().get_context_data(object=self.transfer, timeline=timeline, **kwargs)


class MilestoneEditView(TechTransferMixin, ServiceFormView):
    """A milestone's plan, owners and deliverables; the other party's owner is shown, not
    offered (Milestone.FIELD_RULES: ServiceFormView.limit_to_field_rules)."""

    requires_write = True
    form_class = MilestoneForm
    template_name = "partnership/techtransfer_form.html"

    @cached_property
    def milestone(self) -> Milestone:
        return selectors.milestone_get(user=self.request.user, transfer=self.transfer,
                                       pk=self.kwargs["pk"])

    def get_record(self):
        return self.milestone

    def get_initial(self):
        """The deliverables it needs that the user may see (the others are not offered)."""
        return {"deliverables": list(selectors.milestone_deliverables(
            user=self.request.user, milestone=self.milestone))}

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(),
                "owners": owner_choices(user=user, partnership=self.partnership),
                "deliverables": deliverable_list(user=user, partnership=self.partnership)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(milestone=self.milestone, **kwargs)

    def perform(self, form):
        return services.milestone_update(actor=self.request.user, milestone=self.milestone,
                                         **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.milestone.get_kind_display()} updated.")
        return self.transfer.get_absolute_url()
