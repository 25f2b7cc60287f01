"""Pages of the sponsor's priorities and the shared objectives: the ranking with its
history; objectives list, detail with review history, create, edit, review."""

from django.contrib import messages
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.objectives import selectors, services
from partnership.objectives.forms import ObjectiveForm, ObjectiveReviewForm, PrioritiesForm
from partnership.objectives.models import Objective
from partnership.parties.selectors import owner_choices
from partnership.permissions import can
from partnership.scoping_views import PartnershipMixin
from portal.views import ServiceFormView


class PrioritiesView(PartnershipMixin, ServiceFormView):
    """The sponsor's ranking with its history; the sponsor's leads change it here."""

    template_name = "partnership/priorities.html"
    form_class = PrioritiesForm
    partial_name = "form"

    def get_initial(self):
        current = selectors.priorities(user=self.request.user, partnership=self.partnership)
        return {"titles": "\n".join(p.title for p in current["priorities"])}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.priorities(user=self.request.user,
                                            partnership=self.partnership))
        context["can_rank"] = self.can("partnership.priority_set",
                                  self.partnership)
        return context

    def perform(self, form):
        return services.priorities_set(actor=self.request.user, partnership=self.partnership,
                                       **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Priorities updated; the CDMO team sees the change.")
        return reverse("partnership:priority_list", args=[self.partnership.pk])


class ObjectiveMixin(PartnershipMixin):
    @cached_property
    def objective(self) -> Objective:
        return selectors.objective_get(user=self.request.user, partnership=self.partnership,
                                       pk=self.kwargs["objective_pk"])

    def get_success_url(self):
        return self.objective.get_absolute_url()


class ObjectiveListView(PartnershipMixin, TemplateView):
    template_name = "partnership/objective_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            objectives=selectors.objective_list(user=self.request.user,
                                                partnership=self.partnership),
            can_create=self.can("partnership.objective_create",
                           self.partnership), **kwargs)


class ObjectiveDetailView(ObjectiveMixin, TemplateView):
    template_name = "partnership/objective_detail.html"

    def get_context_data(self, **kwargs):
        user, objective = self.request.user, self.objective
        reviews = selectors.objective_review_list(user=user, partnership=self.partnership,
                                                  objective=objective)
        return super().get_context_data(
            object=objective, reviews=reviews,
            can_edit=can(user, "partnership.objective_edit", objective),
            can_review=can(user, "partnership.objective_review", objective), **kwargs)


class ObjectiveFormMixin:
    form_class = ObjectiveForm
    template_name = "partnership/objective_form.html"
    requires_write = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owners": owner_choices(
            user=self.request.user, partnership=self.partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Objective “{self.object}” saved.")
        return self.object.get_absolute_url()


class ObjectiveCreateView(ObjectiveFormMixin, PartnershipMixin, ServiceFormView):
    def perform(self, form):
        return services.objective_create(actor=self.request.user, partnership=self.partnership,
                                         **form.cleaned_data)


class ObjectiveEditView(ObjectiveFormMixin, ObjectiveMixin, ServiceFormView):
    def get_record(self):
        return self.objective

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.objective, **kwargs)

    def perform(self, form):
        return services.objective_update(actor=self.request.user, objective=self.objective,
                                         **form.cleaned_data)


class ObjectiveReviewView(ObjectiveMixin, ServiceFormView):
    requires_write = True
    form_class = ObjectiveReviewForm
    template_name = "partnership/objective_form.html"

    def get_initial(self):
        return {"status": self.objective.status}

    def get_context_data(self, **kwargs):
        return super().get_context_data(reviewing=True, **kwargs)

    def perform(self, form):
        messages.success(self.request, "Review recorded.")
        return services.objective_review(actor=self.request.user, objective=self.objective,
                                         **form.cleaned_data)
