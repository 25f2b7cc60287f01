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
from partnership.communication.models import CommunicationPlan, EscalationLevel
from partnership.parties.selectors import member_list
from partnership.scoping_views import PartnershipMixin
from portal.views import ServiceFormView, keep_current_choices


class CommunicationView(PartnershipMixin, TemplateView):
    template_name = "partnership/communication.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.communication_overview(user=self.request.user,
                                                        partnership=self.partnership))
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

    def get_form(self, form_class=None):
        plan = CommunicationPlan.objects.visible_to(self.request.user).filter(
            partnership=self.partnership).first()
        initial = {"ground_rules": plan.ground_rules, "meeting_cadence": plan.meeting_cadence} \
            if plan else {}
        return CommunicationPlanForm(self.request.POST or None, initial=initial)

    def perform(self, form):
        return services.communication_plan_update(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class EscalationLevelSetView(CommunicationFormView):
    title = "Set a level of the escalation path"

    def get_form(self, form_class=None):
        initial = {}
        level = self.request.GET.get("level", "")
        existing = EscalationLevel.objects.visible_to(self.request.user).filter(
            partnership=self.partnership, level=level).first() if level.isdigit() else None
        if existing:
            initial = {"level": existing.level, "name": existing.name,
                       "days_allowed": existing.days_allowed,
                       "people": list(existing.people.all())}
        form = EscalationLevelForm(self.request.POST or None, initial=initial,
                                   members=self.seated())
        if existing:
            keep_current_choices(form, existing)
        return form

    def perform(self, form):
        return services.escalation_level_set(actor=self.request.user,
                                             partnership=self.partnership, **form.cleaned_data)
