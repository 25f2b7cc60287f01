"""Pages of the sponsor's priorities and the shared objectives: the ranking with its
history; objectives list, detail with review history, create, edit, review."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.objectives import selectors, services
from partnership.objectives.forms import ObjectiveForm, ObjectiveReviewForm, PrioritiesForm
from partnership.objectives.models import Objective, ObjectiveReview
from partnership.parties.selectors import owner_choices
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
        context["can_rank"] = (self.partnership.party_of(self.request.user) == "sponsor"
                               and self.role in ("lead", "admin"))
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
        return get_object_or_404(
            selectors.objective_list(user=self.request.user, partnership=self.partnership),
            pk=self.kwargs["objective_pk"])

    def get_success_url(self):
        return self.objective.get_absolute_url()


class ObjectiveListView(PartnershipMixin, TemplateView):
    template_name = "partnership/objective_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(objectives=selectors.objective_list(
            user=self.request.user, partnership=self.partnership), **kwargs)


class ObjectiveDetailView(ObjectiveMixin, TemplateView):
    template_name = "partnership/objective_detail.html"

    def get_context_data(self, **kwargs):
        reviews = ObjectiveReview.objects.visible_to(self.request.user).filter(
            objective=self.objective).select_related("reviewed_by")
        return super().get_context_data(object=self.objective, reviews=reviews, **kwargs)


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
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.objective}

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
