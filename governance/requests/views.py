"""Pages of formal requests: list, detail with the steps the viewer's party may take, send,
edit, each workflow step in a dialog, and the sponsor's relay into another partnership."""

from operator import attrgetter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from governance.escalation.selectors import request_escalations
from governance.requests import forms, selectors, services
from governance.requests.filters import RequestFilter
from governance.requests.models import Request
from partnership.models import Membership, Partnership
from partnership.parties.selectors import party_people
from partnership.permissions import require_person, require_whole
from partnership.scoping_views import PartnershipMixin
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView


class RequestMixin(PartnershipMixin):
    @cached_property
    def record(self) -> Request:
        return get_object_or_404(selectors.request_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class RequestListView(PartnershipMixin, FilteredListView):
    template_name = "governance/request_list.html"
    filterset_class = RequestFilter

    def get_base_queryset(self):
        return selectors.request_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        usage = selectors.emergency_usage(partnership=self.partnership)
        return super().get_context_data(
            usage=[(self.partnership.sponsor, *usage["sponsor"]),
                   (self.partnership.cdmo, *usage["cdmo"])],
            can_create=self.can("governance.request_send", self.partnership), **kwargs)


class RequestDetailView(LiveRecordMixin, RequestMixin, TemplateView):
    live_url_name = "governance:request_live"
    template_name = "governance/request_detail.html"

    def get_context_data(self, **kwargs):
        user, record = self.request.user, self.record
        return super().get_context_data(
            object=record, side=record.side_of(user),
            steps=record.steps_for(user) if self.can("governance.request_step", record)
            else {},
            can_edit=self.can("governance.request_edit", record),
            can_relay=self.can("governance.request_relay", record) and
            selectors.relay_targets(user=user, request=record).exists(),
            timeline=sorted([*selectors.request_timeline(user=user, request=record),
                             *request_escalations(user=user, request=record)],
                            key=attrgetter("at")),
            links=selectors.request_links(user=user, request=record),
            milestones=selectors.request_milestones(user=user, request=record),
            sees_justification=self.can("governance.request_read_justification",
                                        record),
            **kwargs)


class RequestLiveView(LiveFragmentMixin, RequestDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Request


class RequestFormMixin:
    template_name = "governance/request_form.html"
    requires_write = True

    def get_success_url(self):
        messages.success(self.request, f"Request “{self.object}” saved.")
        return self.object.get_absolute_url()


class RequestCreateView(RequestFormMixin, PartnershipMixin, ServiceFormView):
    form_class = forms.RequestForm

    def get_form_kwargs(self):
        user, party = self.request.user, self.partnership.party_of(self.request.user)
        usage = selectors.emergency_usage(partnership=self.partnership).get(party)
        return {**super().get_form_kwargs(),
                "receivers": party_people(partnership=self.partnership,
                                          party=Partnership.other_party(party),
                                          roles=Membership.WRITING_ROLES, user=user),
                "milestones": selectors.request_milestone_choices(
                    user=user, partnership=self.partnership),
                "usage": usage}

    def perform(self, form):
        return services.request_send(actor=self.request.user, partnership=self.partnership,
                                     **form.cleaned_data)


class RequestEditView(RequestFormMixin, RequestMixin, ServiceFormView):
    form_class = forms.RequestForm

    def get_record(self):
        return self.record

    def get_form_kwargs(self):
        """Refused, on GET as on POST, to the receiving party and once the request is
        committed to (like a viewer's write elsewhere: 403)."""
        require_whole(self.request.user, "governance.request_edit", self.record)
        user = self.request.user
        return {**super().get_form_kwargs(),
                "receivers": party_people(partnership=self.partnership,
                                          party=self.record.receiving_party,
                                          roles=Membership.WRITING_ROLES, user=user),
                "milestones": selectors.request_milestone_choices(
                    user=user, partnership=self.partnership)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.record, title="Edit request", **kwargs)

    def perform(self, form):
        return services.request_update(actor=self.request.user, request=self.record,
                                       **form.cleaned_data)


# step -> (form, service, submit label)
STEP_FORMS = {
    "acknowledge": (forms.AcknowledgeForm, services.request_acknowledge,
                    "Acknowledge request"),
    "query": (forms.QueryForm, services.request_query, "Send the question"),
    "decline": (forms.DeclineForm, services.request_decline, "Decline the request"),
    "answer": (forms.AnswerForm, services.request_answer, "Send the answer"),
    "start": (forms.ConfirmForm, services.request_start, "Start work"),
    "fulfil": (forms.FulfilForm, services.request_fulfil, "Mark fulfilled"),
    "accept": (forms.ConfirmForm, services.request_accept, "Accept the result"),
    "reopen": (forms.ReopenForm, services.request_reopen, "Reopen request"),
    "cancel": (forms.CancelForm, services.request_cancel, "Cancel the request"),
}
# Form field -> service keyword, where they differ.
STEP_ARGUMENTS = {"reopen_reason": "reason", "decline_reason": "reason"}


class RequestStepView(RequestFormMixin, RequestMixin, ServiceFormView):
    """One step of the workflow in a dialog. The model decides whether the viewer's party
    may take it (Request.check_step); a refused step shows as the form's error."""

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEP_FORMS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return STEP_FORMS[self.kwargs["step"]][0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["step"] == "acknowledge":
            kwargs["receivers"] = party_people(partnership=self.partnership,
                                               party=self.record.receiving_party,
                                               roles=Membership.WRITING_ROLES,
                                               user=self.request.user)
        return kwargs

    def get_initial(self):
        """The acknowledge dialog starts with the person the sender chose to answer."""
        if self.kwargs["step"] == "acknowledge" and self.record.assignee_id:
            return {**super().get_initial(), "assignee": self.record.assignee_id}
        return super().get_initial()

    def get_context_data(self, **kwargs):
        step = self.kwargs["step"]
        return super().get_context_data(
            object=self.record, title=f"{Request.STEPS[step][3]}: {self.record}",
            submit_label=STEP_FORMS[step][2], **kwargs)

    def perform(self, form):
        service = STEP_FORMS[self.kwargs["step"]][1]
        arguments = {STEP_ARGUMENTS.get(name, name): value
                     for name, value in form.cleaned_data.items()}
        return service(actor=self.request.user, request=self.record, **arguments)

    def get_success_url(self):
        messages.success(self.request, f"“{self.object}” is now "
                                       f"{self.object.get_status_display().lower()}.")
        return self.object.get_absolute_url()


class RequestRelayView(RequestFormMixin, RequestMixin, ServiceFormView):
    form_class = forms.RelayForm

    def get_form_kwargs(self):
        """Refused (403) to the CDMO; a request no longer open is refused on the form."""
        require_person(self.request.user, "governance.request_relay", self.record)
        return {**super().get_form_kwargs(),
                "targets": selectors.relay_targets(user=self.request.user, request=self.record)}

    def get_initial(self):
        """Choices only: the title and description start empty, since nothing of one
        partnership is copied into the other unless the sponsor writes it. The original is
        shown read-only beside the form to write from."""
        r = self.record
        return {"kind": r.kind, "urgency": r.urgency, "needed_by": r.needed_by}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.record, title="Relay to another partnership",
            submit_label="Send in the other partnership",
            intro_template="governance/request_relay_original.html", **kwargs)

    def perform(self, form):
        return services.request_relay(actor=self.request.user, request=self.record,
                                      **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"Relayed as “{self.object}”.")
        return self.object.get_absolute_url()
