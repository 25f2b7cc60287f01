"""Pages of action items in a partnership: list, detail, create and edit dialogs, and the
status buttons."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.actions import selectors, services
from governance.actions.filters import ActionItemFilter
from governance.actions.forms import ActionItemForm
from governance.actions.models import ActionItem
from governance.escalation.selectors import action_item_escalations
from governance.meetings.selectors import decision_list, meeting_list
from governance.requests.selectors import request_list
from partnership.models import Membership
from partnership.parties.selectors import member_list
from partnership.scoping_views import PartnershipMixin
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.validation import parse_id
from portal.views import FilteredListView, ServiceFormView, TransitionView


class ActionItemMixin(PartnershipMixin):
    @cached_property
    def item(self) -> ActionItem:
        return get_object_or_404(selectors.action_item_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class ActionItemListView(PartnershipMixin, FilteredListView):
    template_name = "governance/actionitem_list.html"
    filterset_class = ActionItemFilter

    def get_base_queryset(self):
        return selectors.action_item_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.actionitem_create", self.partnership),
            **kwargs)


class ActionItemDetailView(LiveRecordMixin, ActionItemMixin, TemplateView):
    live_url_name = "governance:actionitem_live"
    template_name = "governance/actionitem_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.item, transitions=ActionItem.WORKFLOW.next_statuses(self.item.status),
            can_transition=self.can("governance.actionitem_transition", self.item),
            can_edit=self.can("governance.actionitem_edit", self.item),
            escalations=action_item_escalations(user=self.request.user, item=self.item),
            **kwargs)


class ActionItemLiveView(LiveFragmentMixin, ActionItemDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = ActionItem


class ActionItemFormMixin:
    form_class = ActionItemForm
    template_name = "governance/actionitem_form.html"
    requires_write = True

    def get_form_kwargs(self):
        # Owners move their action along themselves: people of a writing role only.
        members = member_list(user=self.request.user, partnership=self.partnership,
                              roles=Membership.WRITING_ROLES)
        sources = {name: selector(user=self.request.user, partnership=self.partnership)
                   for name, selector in (("meeting", meeting_list), ("request", request_list),
                                          ("decision", decision_list))}
        return {**super().get_form_kwargs(), "members": members, "sources": sources}

    def get_success_url(self):
        messages.success(self.request, f"Action “{self.object}” saved.")
        return self.object.get_absolute_url()


class ActionItemCreateView(ActionItemFormMixin, PartnershipMixin, ServiceFormView):
    def get_initial(self):
        """?meeting=<id> or ?decision=<id> (the "Add action" buttons of those pages) preset
        the source; the form's scoped choices reject anything foreign."""
        initial = {"owner": self.request.user}
        for name in ("meeting", "request", "decision"):
            if parse_id(self.request.GET.get(name)):
                initial[name] = parse_id(self.request.GET[name])
        return initial

    def perform(self, form):
        return services.action_item_create(actor=self.request.user,
                                           partnership=self.partnership, **form.cleaned_data)


class ActionItemEditView(ActionItemFormMixin, ActionItemMixin, ServiceFormView):
    def get_record(self):
        return self.item

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.item, **kwargs)

    def perform(self, form):
        return services.action_item_update(actor=self.request.user, item=self.item,
                                           **form.cleaned_data)


class ActionItemTransitionView(ActionItemMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.item

    def transition(self, record, status):
        return services.action_item_transition(actor=self.request.user, item=record,
                                               status=status)
