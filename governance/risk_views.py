"""Pages of the risk register (with its 5 × 5 heat map) and of strategic notices."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance import selectors, services
from governance.filters import NoticeFilter, RiskFilter
from governance.forms import NoticeForm, RiskForm
from governance.models import Notice, Risk
from partnership.models import Milestone, Site
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
        return context


class RiskDetailView(RiskMixin, TemplateView):
    template_name = "governance/risk_detail.html"

    def get_context_data(self, **kwargs):
        milestones = Milestone.objects.visible_to(self.request.user).filter(
            risks=self.risk).select_related("tech_transfer")
        return super().get_context_data(
            object=self.risk, milestones=milestones,
            transitions=Risk.WORKFLOW.next_statuses(self.risk.status), **kwargs)


class RiskFormMixin:
    form_class = RiskForm
    template_name = "governance/risk_form.html"
    requires_write = True

    def get_form_kwargs(self):
        members = member_list(user=self.request.user, partnership=self.partnership)
        milestones = Milestone.objects.visible_to(self.request.user).filter(
            partnership=self.partnership).select_related("tech_transfer")
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
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.risk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.risk, **kwargs)

    def perform(self, form):
        # The form has written into self.risk; the service updates its own locked row.
        return services.risk_update(actor=self.request.user, risk=self.risk,
                                    **form.cleaned_data)


class RiskTransitionView(RiskMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.risk

    def transition(self, record, status):
        return services.risk_transition(actor=self.request.user, risk=record, status=status)


class NoticeMixin(PartnershipMixin):
    @cached_property
    def notice(self) -> Notice:
        return get_object_or_404(selectors.notice_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class NoticeListView(PartnershipMixin, FilteredListView):
    template_name = "governance/notice_list.html"
    filterset_class = NoticeFilter

    def get_base_queryset(self):
        return selectors.notice_list(user=self.request.user, partnership=self.partnership)


class NoticeDetailView(NoticeMixin, TemplateView):
    template_name = "governance/notice_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(object=self.notice, **kwargs)
        context["may_acknowledge"] = context["can_write"] and \
            self.notice.may_acknowledge(self.request.user)
        context["may_edit"] = context["can_write"] and not self.notice.is_acknowledged and \
            self.notice.author_organization_id == self.request.user.organization_id
        return context


class NoticeCreateView(PartnershipMixin, ServiceFormView):
    form_class = NoticeForm
    template_name = "governance/notice_form.html"
    requires_write = True

    def get_form_kwargs(self):
        sites = Site.objects.visible_to(self.request.user).filter(
            organization_id=self.request.user.organization_id)
        return {**super().get_form_kwargs(), "sites": sites}

    def perform(self, form):
        return services.notice_post(actor=self.request.user, partnership=self.partnership,
                                    **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"Notice “{self.object}” posted to the other party.")
        return self.object.get_absolute_url()


class NoticeAcknowledgeView(NoticeMixin, TransitionView):
    """POST: the other party confirms it has read the notice (the only step a notice has)."""

    requires_write = True

    def get_record(self):
        return self.notice

    def transition(self, record, status):
        return services.notice_acknowledge(actor=self.request.user, notice=record)

    def success_message(self, record) -> str:
        return f"You acknowledged “{record}”."


class NoticeEditView(NoticeMixin, ServiceFormView):
    """The poster's party corrects its notice until the other party acknowledges it."""

    form_class = NoticeForm
    template_name = "governance/notice_form.html"
    requires_write = True

    def get_form_kwargs(self):
        if self.notice.author_organization_id != self.request.user.organization_id:
            raise PermissionDenied("Only the party that posted a notice can correct it.")
        sites = Site.objects.visible_to(self.request.user).filter(
            organization_id=self.request.user.organization_id)
        return {**super().get_form_kwargs(), "sites": sites, "instance": self.notice}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.notice, **kwargs)

    def perform(self, form):
        # The form has written into self.notice; the service updates its own locked row.
        return services.notice_update(actor=self.request.user, notice=self.notice,
                                      **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"Notice “{self.object}” saved.")
        return self.object.get_absolute_url()
