"""Pages of deliverables: list, detail with criteria and reviews, create, edit, transitions,
criteria (while planned) and the receiving party's review."""

from django.contrib import messages
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.contracts.selectors import sow_list
from partnership.deliverables import selectors, services
from partnership.deliverables.filters import DeliverableFilter
from partnership.deliverables.forms import CriterionForm, DeliverableForm, DeliverableReviewForm
from partnership.deliverables.models import Deliverable
from partnership.permissions import DELIVERABLE_STEPS, can, require_person
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.services import needs_otp
from partnership.signatures.views import SignView
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

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=can(
            self.request.user, "partnership.deliverable_create", self.partnership), **kwargs)


class DeliverableDetailView(DeliverableMixin, TemplateView):
    template_name = "partnership/deliverable_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, deliverable = self.request.user, self.deliverable
        context.update(
            object=deliverable,
            criteria=list(selectors.acceptance_criterion_list(
                user=user, partnership=self.partnership, deliverable=deliverable)),
            reviews=selectors.deliverable_review_list(
                user=user, partnership=self.partnership, deliverable=deliverable),
            # Only the responsible party starts the work and delivers it.
            transitions={status: label for status, label in
                         Deliverable.WORKFLOW.next_statuses(deliverable.status).items()
                         if can(user, DELIVERABLE_STEPS[status], deliverable)},
            can_edit=can(user, "partnership.deliverable_edit", deliverable),
            can_review=deliverable.awaiting_review and can(
                user, "partnership.deliverable_review", deliverable),
            can_add_criteria=deliverable.criteria_open and can(
                user, "partnership.acceptancecriterion_add", deliverable),
            signing=signing_panel(user=user, record=deliverable, sign_url=reverse(
                "partnership:deliverable_sign", args=[self.partnership.pk, deliverable.pk])),
        )
        return context


class DeliverableFormMixin:
    form_class = DeliverableForm
    template_name = "partnership/deliverable_form.html"
    requires_write = True

    def get_form_kwargs(self):
        sows = sow_list(user=self.request.user, partnership=self.partnership)
        return {**super().get_form_kwargs(), "sows": sows}

    def get_success_url(self):
        messages.success(self.request, f"Deliverable “{self.object}” saved.")
        return self.object.get_absolute_url()


class DeliverableCreateView(DeliverableFormMixin, PartnershipMixin, ServiceFormView):
    def perform(self, form):
        return services.deliverable_create(actor=self.request.user,
                                           partnership=self.partnership, **form.cleaned_data)


class DeliverableEditView(DeliverableFormMixin, DeliverableMixin, ServiceFormView):
    def get_record(self):
        return self.deliverable

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


class DeliverableSignView(DeliverableMixin, SignView):
    """Signing an accepted deliverable again, for its content as it stands now (its first
    signature is its accepting review's)."""

    def signed_record(self):
        return self.deliverable


class CriterionCreateView(DeliverableMixin, ServiceFormView):
    requires_write = True
    form_class = CriterionForm
    template_name = "partnership/criterion_form.html"

    def get_form_kwargs(self):
        """Refused, on GET as on POST, to the responsible party: the receiving party states
        what it will check (the service refuses too)."""
        require_person(self.request.user, "partnership.acceptancecriterion_add",
                       self.deliverable)
        return super().get_form_kwargs()

    def perform(self, form):
        return services.acceptance_criterion_add(actor=self.request.user,
                                                 deliverable=self.deliverable,
                                                 **form.cleaned_data)


class DeliverableReviewView(DeliverableMixin, ServiceFormView):
    requires_write = True
    template_name = "partnership/deliverablereview_form.html"

    def get_form(self, form_class=None):
        """Refused, on GET as on POST, to all but the receiving party's writers."""
        require_person(self.request.user, "partnership.deliverable_review", self.deliverable)
        return DeliverableReviewForm(self.request.POST or None,
                                     criteria=selectors.acceptance_criterion_list(
                                         user=self.request.user, partnership=self.partnership,
                                         deliverable=self.deliverable),
                                     otp=needs_otp(self.request.user))

    def perform(self, form):
        review = services.deliverable_review(
            actor=self.request.user, deliverable=self.deliverable, results=form.results(),
            comment=form.cleaned_data["comment"], **form.signature_data())
        messages.success(self.request, f"Deliverable {review.get_decision_display().lower()}.")
        return review
