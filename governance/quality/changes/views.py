"""Pages of change controls: the list with its filters, a change's page with its class
(and where it came from), the sponsor's decision or acknowledgement, its implementation and
history, and the dialogs (raise, correct, each step, the conditions, sign the decision)."""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.quality.changes import forms, selectors, services
from governance.quality.changes.filters import ChangeControlFilter
from governance.quality.changes.models import ChangeControl
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView

FORM_TEMPLATE = "governance/quality_form.html"


class ChangeControlMixin(PartnershipMixin):
    @cached_property
    def change(self) -> ChangeControl:
        try:
            return selectors.change_control_get(user=self.request.user,
                                                partnership=self.partnership,
                                                pk=self.kwargs["pk"])
        except ChangeControl.DoesNotExist:
            raise Http404 from None


class ChangeControlListView(PartnershipMixin, FilteredListView):
    template_name = "governance/changecontrol_list.html"
    filterset_class = ChangeControlFilter

    def get_base_queryset(self):
        return selectors.change_control_list(user=self.request.user,
                                             partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.changecontrol_create", self.partnership),
            **kwargs)


class ChangeControlDetailView(LiveRecordMixin, ChangeControlMixin, TemplateView):
    live_url_name = "governance:changecontrol_live"
    template_name = "governance/changecontrol_detail.html"

    def get_context_data(self, **kwargs):
        user, change = self.request.user, self.change
        writer = self.can("governance.changecontrol_step", change)
        agreement_now = None if change.submitted_at else selectors.agreement_in_force(
            user=user, partnership=self.partnership)
        return super().get_context_data(
            object=change, steps=change.steps_for(user) if writer else {},
            decisions=change.decisions_for(user) if writer else [],
            can_edit=self.can("governance.changecontrol_edit", change),
            can_set_conditions=self.can("governance.changecontrol_conditions", change),
            classification_source=change.classification_source(agreement_now),
            signing=[item for item in signing_panel(user=user, record=change, sign_url=reverse(
                "governance:changecontrol_sign", args=[self.partnership.pk, change.pk]))
                if item.signatures],
            **kwargs)


class ChangeControlLiveView(LiveFragmentMixin, ChangeControlDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = ChangeControl


class ChangeControlFormMixin:
    form_class = forms.ChangeControlForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        user, partnership = self.request.user, self.partnership
        return {**super().get_form_kwargs(),
                "sites": selectors.change_control_site_choices(user=user,
                                                               partnership=partnership),
                "programs": selectors.change_control_program_choices(
                    user=user, partnership=partnership)}

    def get_success_url(self):
        messages.success(self.request, f"{self.object.reference} saved.")
        return self.object.get_absolute_url()


class ChangeControlCreateView(ChangeControlFormMixin, PartnershipMixin, ServiceFormView):
    def get_form_kwargs(self):
        require_person(self.request.user, "governance.changecontrol_create", self.partnership)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Raise a change control", submit_label="Save as draft",
            cancel_url=reverse("governance:changecontrol_list", args=[self.partnership.pk]),
            **kwargs)

    def perform(self, form):
        return services.change_control_create(actor=self.request.user,
                                              partnership=self.partnership,
                                              **form.cleaned_data)


class ChangeControlEditView(ChangeControlFormMixin, ChangeControlMixin, ServiceFormView):
    def get_record(self):
        return self.change

    def get_form_kwargs(self):
        require_whole(self.request.user, "governance.changecontrol_edit", self.change)
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.change, title=f"Edit {self.change}",
                                        cancel_url=self.change.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.change_control_update(actor=self.request.user, change=self.change,
                                              **form.cleaned_data)


class ChangeControlStepView(ChangeControlMixin, ServiceFormView):
    """A step in a dialog. The model decides whether the viewer may take it
    (ChangeControl.check_step); a refused step shows as the form's error."""

    template_name = FORM_TEMPLATE
    requires_write = True

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in ChangeControl.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.STEP_FORMS[self.kwargs["step"]]

    def get_context_data(self, **kwargs):
        label = ChangeControl.STEPS[self.kwargs["step"]][3]
        return super().get_context_data(object=self.change, title=f"{label}: {self.change}",
                                        submit_label=label,
                                        cancel_url=self.change.get_absolute_url(), **kwargs)

    def perform(self, form):
        return services.CHANGE_STEPS[self.kwargs["step"]](
            actor=self.request.user, change=self.change, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.reference}: "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class ChangeControlConditionsView(ChangeControlMixin, ServiceFormView):
    form_class = forms.ConditionsForm
    template_name = FORM_TEMPLATE
    requires_write = True

    def get_form_kwargs(self):
        require_person(self.request.user, "governance.changecontrol_conditions", self.change)
        return super().get_form_kwargs()

    def get_initial(self):
        return {"decision_conditions": self.change.decision_conditions}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.change, title=f"Conditions of the approval: {self.change}",
            submit_label="Save the conditions", cancel_url=self.change.get_absolute_url(),
            **kwargs)

    def perform(self, form):
        return services.change_control_set_conditions(
            actor=self.request.user, change=self.change, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Conditions saved: sign the approval with conditions.")
        return self.object.get_absolute_url()


class ChangeControlSignView(ChangeControlMixin, SignView):
    def signed_record(self):
        return self.change
