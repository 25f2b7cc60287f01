"""The page of the load across an organization's partnerships (its admins only)."""

from django.views.generic import TemplateView

from governance.workload import selectors
from partnership.parties.views import OrgAdminMixin


class PartnershipLoadView(OrgAdminMixin, TemplateView):
    """Per partnership of the admin's organization: open requests received and sent, those
    the receiver is late with, and overdue actions; the same number of queries however
    many partnerships."""

    template_name = "governance/partnership_load.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        loads = selectors.partnership_load(
            user=user, partnerships=selectors.load_partnerships(user=user))
        return super().get_context_data(loads=loads, organization=user.organization,
                                         **kwargs)
