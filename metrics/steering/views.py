"""Pages of the steering committee: its page per partnership and across the partnerships
the viewer sees (a fixed number of queries, pinned in tests/metrics/test_steering.py), the
form asking for a pack, and the pack's scoped download."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from governance.meetings.models import Meeting
from governance.meetings.selectors import meeting_list
from metrics.portfolio.views import dress
from metrics.steering import forms, selectors, services
from partnership.permissions import can, require_person
from partnership.scoping_views import PartnershipMixin
from portal.views import ServiceFormView

#: Packs listed on a partnership's page.
PACKS_SHOWN = 5


def _context(page: selectors.Page, **extra) -> dict:
    dress(page.kpis)
    return {"page": page, **extra}


class SteeringView(PartnershipMixin, TemplateView):
    """GET: one partnership's steering page, with its packs and the button to ask for one."""

    template_name = "metrics/steering.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = selectors.steering_page(user=user, partnerships=[self.partnership])
        packs = list(selectors.pack_list(user=user, partnership=self.partnership)
                     [:PACKS_SHOWN])
        return super().get_context_data(**_context(
            page, packs=packs, single=True,
            may_ask=can(user, "metrics.steeringpack_request", self.partnership)), **kwargs)


class SteeringAcrossView(LoginRequiredMixin, TemplateView):
    """GET: the steering page across every partnership the viewer sees (403, with what the
    page is for, to someone who sees none)."""

    template_name = "metrics/steering.html"

    def get(self, request, *args, **kwargs):
        partnerships = selectors.steering_partnerships(user=request.user)
        if not partnerships:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        page = selectors.steering_page(user=request.user, partnerships=partnerships)
        return self.render_to_response(self.get_context_data(**_context(page, single=False)))


class SteeringPackCreateView(PartnershipMixin, ServiceFormView):
    """GET the form, POST: ask for a pack of a period; the job makes it."""

    form_class = forms.SteeringPackForm
    template_name = "metrics/form.html"

    def get_form_kwargs(self):
        require_person(self.request.user, "metrics.steeringpack_request", self.partnership)
        return {**super().get_form_kwargs(), "meetings": meeting_list(
            user=self.request.user, partnership=self.partnership).filter(
            kind=Meeting.Kind.STEERING_COMMITTEE).order_by("-starts_at", "-pk")}

    def get_initial(self):
        initial = forms.SteeringPackForm.default_period(timezone.localdate())
        meeting = self.request.GET.get("meeting", "")
        return {**initial, "meeting": meeting} if meeting.isdigit() else initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Ask for a steering pack", submit_label="Make the pack",
            cancel_url=reverse("metrics:steering", args=[self.partnership.pk]), **kwargs)

    def perform(self, form):
        return services.steering_pack_request(actor=self.request.user,
                                              partnership=self.partnership,
                                              **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "The pack is being made: it appears below when ready.")
        return reverse("metrics:steering", args=[self.partnership.pk])


class SteeringPackDownloadView(PartnershipMixin, View):
    """The pack is never served from a public folder: only this scoped view hands it out
    (404 while it is being made)."""

    def get(self, request, *args, **kwargs):
        pack = get_object_or_404(selectors.pack_list(user=request.user,
                                                     partnership=self.partnership),
                                 pk=kwargs["pk"])
        if not pack.is_ready:
            raise Http404("The pack is not made yet.")
        return pack.download_response(request)

