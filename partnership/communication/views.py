"""The communication plan page: who to call per function on each side (with backups),
ground rules, meeting cadence, sites' working hours in the viewer's zone, escalation path."""

from django.contrib import messages
from django.urls import reverse
from django.views.generic import TemplateView

from partnership.communication import selectors, services
from partnership.communication.forms import (
    CommunicationPlanForm,
    ContactForm,
    EscalationLevelForm,
)
from partnership.parties.selectors import member_list
from partnership.permissions import can
from partnership.scoping_views import PartnershipMixin
from portal.validation import parse_id
from portal.views import ServiceFormView


class CommunicationView(PartnershipMixin, TemplateView):
    template_name = "partnership/communication.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.partnership
        context.update(selectors.communication_overview(user=user, partnership=partnership))
        context.update({f"can_{action}": can(user, f"partnership.{action}", partnership)
                        for action in ("pointofcontact_set", "communicationplan_edit",
                                       "escalationlevel_set")})
        return context


class CommunicationFormView(PartnershipMixin, ServiceFormView):
    requires_write = True
    template_name = "partnership/communication_form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def get_success_url(self):
        messages.success(self.request, "Communication plan updated.")
        return reverse("partnership:communication_detail", args=[self.partnership.pk])

    def seated(self):
        return member_list(user=self.request.user, partnership=self.partnership)


class ContactSetView(CommunicationFormView):
    title = "Name a point of contact for your side"

    def get_form(self, form_class=None):
        colleagues = self.seated().filter(organization_id=self.request.user.organization_id)
        return ContactForm(self.request.POST or None, colleagues=colleagues,
                           initial={"function": self.request.GET.get("function")})

    def perform(self, form):
        return services.contact_set(actor=self.request.user, partnership=self.partnership,
                                    **form.cleaned_data)


class CommunicationPlanEditView(CommunicationFormView):
    title = "Ground rules and meeting cadence"
    form_class = CommunicationPlanForm

    def get_record(self):
        return selectors.communication_plan_list(user=self.request.user,
                                                 partnership=self.partnership).first()

    def perform(self, form):
        return services.communication_plan_update(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class EscalationLevelSetView(CommunicationFormView):
    """Sets a new level, or the one `?level=` names, shown with what it holds now."""

    title = "Set a level of the escalation path"
    form_class = EscalationLevelForm

    def get_record(self):
        level = parse_id(self.request.GET.get("level"))
        return selectors.escalation_level_list(
            user=self.request.user, partnership=self.partnership).filter(
            level=level).first() if level else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.seated()}

    def perform(self, form):
        return services.escalation_level_set(actor=self.request.user,
                                             partnership=self.partnership, **form.cleaned_data)
