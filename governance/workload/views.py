"""The page of the load across an organization's partnerships (its admins only)."""

from django.views.generic import ListView

from governance.workload import selectors
from partnership.parties.views import OrgAdminMixin


class PartnershipLoadView(OrgAdminMixin, ListView):
    """Per partnership of the admin's organization, 25 a page: open requests received and
    sent, those the receiver is late with, and overdue actions; the same number of queries
    however many partnerships."""

    template_name = "governance/partnership_load.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.load_partnerships(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["loads"] = selectors.partnership_load(user=user,
                                                      partnerships=context["object_list"])
        context["organization"] = user.organization
        return context
