"""Pages of deliverables: list, detail with criteria and reviews, create, edit, transitions,
criteria (while planned) and the receiving party's review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.contracts.models import Contract
from partnership.deliverables import selectors, services
from partnership.deliverables.filters import DeliverableFilter
from partnership.deliverables.forms import CriterionForm, DeliverableForm, DeliverableReviewForm
from partnership.deliverables.models import Deliverable, DeliverableReview
from partnership.scoping_views import PartnershipMixin
from portal.views import FilteredListView, ServiceFormView, TransitionView


class DeliverableMixin(PartnershipMixin):
    @cached_property
    def deliverable(self) -> Deliverable:
        return selectors.deliverable_get(user=self.request.user, partnership=self.partnership,
                                         pk=self.kwargs["deliverable_pk"])

    def get_success_url(self):
        return self.deliverable.get_absolute_url()


class DeliverableListView(PartnershipMixin, FilteredListView):
    template_name = "partnership/deliverable_list.html"
    filterset_class = DeliverableFilter

    def get_base_queryset(self):
        return selectors.deliverable_list(user=self.request.user, partnership=self.partnership)


class DeliverableDetailView(DeliverableMixin, TemplateView):
    template_name = "partnership/deliverable_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliverable = self.deliverable
        party = self.partnership.party_of(self.request.user)
        transitions = Deliverable.WORKFLOW.next_statuses(deliverable.status)
        if party != deliverable.responsible_party:
            transitions = {}  # only the responsible party starts the work and delivers it
        context.update(
            object=deliverable,
            criteria=list(deliverable.criteria.all()),
            reviews=DeliverableReview.objects.visible_to(self.request.user).filter(
                deliverable=deliverable).select_related("reviewed_by").prefetch_related(
                "results__criterion"),
            transitions=transitions,
            can_review=(deliverable.status == Deliverable.Status.DELIVERED
                        and party == deliverable.receiving_party),
            can_add_criteria=(deliverable.status == Deliverable.Status.PLANNED
                              and party == deliverable.receiving_party),
        )
        return context


class DeliverableFormMixin:
    form_class = DeliverableForm
    template_name = "partnership/deliverable_form.html"
    requires_write = True

    def get_form_kwargs(self):
        sows = Contract.objects.visible_to(self.request.user).filter(partnership=self.partnership,
                                                           kind=Contract.Kind.SOW)
        return {**super().get_form_kwargs(), "sows": sows}

    def get_success_url(self):
        messages.success(self.request, f"Deliverable “{self.object}” saved.")
        return self.object.get_absolute_url()


class DeliverableCreateView(DeliverableFormMixin, PartnershipMixin, ServiceFormView):
    def perform(self, form):
        return services.deliverable_create(actor=self.request.user,
                                           partnership=self.partnership, **form.cleaned_data)


class DeliverableEditView(DeliverableFormMixin, DeliverableMixin, ServiceFormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.deliverable}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.deliverable, **kwargs)

    def perform(self, form):
        return services.deliverable_update(actor=self.request.user,
                                           deliverable=self.deliverable,
                                           **form.cleaned_data)


class DeliverableTransitionView(DeliverableMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.deliverable

    def transition(self, record, status):
        return services.deliverable_transition(actor=self.request.user, deliverable=record,
                                               status=status)


class CriterionCreateView(DeliverableMixin, ServiceFormView):
    requires_write = True
    form_class = CriterionForm
    template_name = "partnership/criterion_form.html"

    def get_form_kwargs(self):
        """Refused, on GET as on POST, to the responsible party: the receiving party states
        what it will check (the service refuses too)."""
        if self.partnership.party_of(self.request.user) != self.deliverable.receiving_party:
            raise PermissionDenied("The receiving party states the acceptance criteria.")
        return super().get_form_kwargs()

    def perform(self, form):
        return services.acceptance_criterion_add(actor=self.request.user,
                                                 deliverable=self.deliverable,
                                                 **form.cleaned_data)


class DeliverableReviewView(DeliverableMixin, ServiceFormView):
    requires_write = True
    template_name = "partnership/deliverablereview_form.html"

    def get_form(self, form_class=None):
        return DeliverableReviewForm(self.request.POST or None,
                                     criteria=self.deliverable.criteria.all())

    def perform(self, form):
        review = services.deliverable_review(
            actor=self.request.user, deliverable=self.deliverable, results=form.results(),
            comment=form.cleaned_data["comment"])
        messages.success(self.request, f"Deliverable {review.get_decision_display().lower()}.")
        return review
