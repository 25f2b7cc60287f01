"""Pages of the decision log: list, detail with the actions that follow from a decision,
and the record / edit dialogs."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance import selectors, services
from governance.filters import DecisionFilter
from governance.forms import DecisionForm
from governance.models import Decision
from partnership.parties.selectors import member_list
from partnership.scoping_views import PartnershipMixin
from portal.views import FilteredListView, ServiceFormView


class DecisionMixin(PartnershipMixin):
    @cached_property
    def decision(self) -> Decision:
        return get_object_or_404(selectors.decision_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class DecisionListView(PartnershipMixin, FilteredListView):
    template_name = "governance/decision_list.html"
    filterset_class = DecisionFilter

    def get_base_queryset(self):
        return selectors.decision_list(user=self.request.user, partnership=self.partnership)


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "governance/decision_detail.html"

    def get_context_data(self, **kwargs):
        actions = selectors.action_item_list(user=self.request.user,
                                             partnership=self.partnership).filter(
            decision=self.decision)
        return super().get_context_data(object=self.decision, actions=actions, **kwargs)


class DecisionFormMixin:
    form_class = DecisionForm
    template_name = "governance/decision_form.html"
    requires_write = True

    def get_form_kwargs(self):
        meetings = selectors.meeting_list(user=self.request.user,
                                          partnership=self.partnership).order_by("-starts_at")
        return {**super().get_form_kwargs(), "meetings": meetings,
                "members": member_list(user=self.request.user, partnership=self.partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Decision “{self.object}” saved.")
        return self.object.get_absolute_url()


class DecisionCreateView(DecisionFormMixin, PartnershipMixin, ServiceFormView):
    def get_initial(self):
        """?meeting=<id> (from a meeting page) presets the meeting; the scoped choices
        reject a foreign one."""
        initial = {"decided_on": timezone.localdate(), "decided_by": [self.request.user]}
        if self.request.GET.get("meeting", "").isdigit():
            initial["meeting"] = int(self.request.GET["meeting"])
        return initial

    def perform(self, form):
        return services.decision_create(actor=self.request.user, partnership=self.partnership,
                                        **form.cleaned_data)


class DecisionEditView(DecisionFormMixin, DecisionMixin, ServiceFormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.decision}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.decision, **kwargs)

    def perform(self, form):
        """The service re-reads the decision under a lock, not this copy the form wrote
        into."""
        return services.decision_update(actor=self.request.user, decision=self.decision,
                                        **form.cleaned_data)
