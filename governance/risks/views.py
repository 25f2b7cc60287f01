"""Pages of the risk register (with its 5 × 5 heat map): list, detail, create and edit
dialogs, and the close / reopen buttons."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.risks import selectors, services
from governance.risks.filters import RiskFilter
from governance.risks.forms import RiskForm
from governance.risks.models import Risk
from partnership.parties.selectors import member_list
from partnership.scoping_views import PartnershipMixin
from portal.views import FilteredListView, ServiceFormView, TransitionView


class RiskMixin(PartnershipMixin):
    @cached_property
    def risk(self) -> Risk:
        return get_object_or_404(selectors.risk_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class RiskListView(PartnershipMixin, FilteredListView):
    template_name = "governance/risk_list.html"
    filterset_class = RiskFilter

    def get_base_queryset(self):
        return selectors.risk_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:  # the heat map sits outside the refreshed #results
            context["heat_map"] = selectors.risk_heat_map(user=self.request.user,
                                                          partnership=self.partnership)
            context["bands"] = Risk.band_ranges()
        context["can_create"] = self.can("governance.risk_create", self.partnership)
        return context


class RiskDetailView(RiskMixin, TemplateView):
    template_name = "governance/risk_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.risk,
            milestones=selectors.risk_milestones(user=self.request.user, risk=self.risk),
            transitions=Risk.WORKFLOW.next_statuses(self.risk.status),
            can_transition=self.can("governance.risk_transition", self.risk),
            can_edit=self.can("governance.risk_edit", self.risk), **kwargs)


class RiskFormMixin:
    form_class = RiskForm
    template_name = "governance/risk_form.html"
    requires_write = True

    def get_form_kwargs(self):
        members = member_list(user=self.request.user, partnership=self.partnership)
        milestones = selectors.risk_milestone_choices(user=self.request.user,
                                                      partnership=self.partnership)
        return {**super().get_form_kwargs(), "members": members, "milestones": milestones}

    def get_success_url(self):
        messages.success(self.request, f"Risk “{self.object}” saved.")
        return self.object.get_absolute_url()


class RiskCreateView(RiskFormMixin, PartnershipMixin, ServiceFormView):
    def get_initial(self):
        return {"owner": self.request.user, "likelihood": 3, "impact": 3}

    def perform(self, form):
        return services.risk_create(actor=self.request.user, partnership=self.partnership,
                                    **form.cleaned_data)


class RiskEditView(RiskFormMixin, RiskMixin, ServiceFormView):
    def get_record(self):
        return self.risk

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.risk, **kwargs)

    def perform(self, form):
        return services.risk_update(actor=self.request.user, risk=self.risk,
                                    **form.cleaned_data)


class RiskTransitionView(RiskMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.risk

    def transition(self, record, status):
        return services.risk_transition(actor=self.request.user, risk=record, status=status)
