"""Pages of strategic notices (post, correct, acknowledge), recognition (thank-yous to the
other party) and the quarterly feedback survey."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from governance.relationship import selectors, services
from governance.relationship.filters import NoticeFilter
from governance.relationship.forms import NoticeForm, RecognitionForm, SurveyForm
from governance.relationship.models import Notice
from partnership.models import Partnership
from partnership.parties.selectors import party_people, site_list
from partnership.permissions import require_person
from partnership.scoping_views import PartnershipMixin
from portal.live import LiveFragmentMixin, LiveRecordMixin
from portal.views import FilteredListView, ServiceFormView, TransitionView


def own_sites(user):
    """The sites a notice may be about: the poster's own organization's."""
    return site_list(user=user).filter(organization_id=user.organization_id)


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

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.notice_post", self.partnership), **kwargs)


class NoticeDetailView(LiveRecordMixin, NoticeMixin, TemplateView):
    live_url_name = "governance:notice_live"
    template_name = "governance/notice_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.notice,
            may_acknowledge=self.can("governance.notice_acknowledge", self.notice),
            may_edit=self.can("governance.notice_edit", self.notice), **kwargs)


class NoticeLiveView(LiveFragmentMixin, NoticeDetailView):
    """The live part of the page (portal.live): polled while it is open."""

    live_model = Notice


class NoticeCreateView(PartnershipMixin, ServiceFormView):
    form_class = NoticeForm
    template_name = "governance/notice_form.html"
    requires_write = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sites": own_sites(self.request.user)}

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

    def get_record(self):
        return self.notice

    def get_form_kwargs(self):
        """Refused (403) to the other party; an acknowledged notice is refused on the form."""
        require_person(self.request.user, "governance.notice_edit", self.notice)
        return {**super().get_form_kwargs(), "sites": own_sites(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.notice, **kwargs)

    def perform(self, form):
        return services.notice_update(actor=self.request.user, notice=self.notice,
                                      **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"Notice “{self.object}” saved.")
        return self.object.get_absolute_url()


class RecognitionListView(PartnershipMixin, ListView):
    template_name = "governance/recognition_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.recognition_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.recognition_create", self.partnership),
            **kwargs)


class RecognitionCreateView(PartnershipMixin, ServiceFormView):
    form_class = RecognitionForm
    template_name = "governance/recognition_form.html"

    def get_form_kwargs(self):
        party = self.partnership.party_of(self.request.user)
        people = party_people(partnership=self.partnership,
                              party=Partnership.other_party(party), user=self.request.user)
        return {**super().get_form_kwargs(), "people": people}

    def perform(self, form):
        return services.recognition_create(actor=self.request.user, partnership=self.partnership,
                                           **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Thank you sent.")
        return reverse("governance:recognition_list", args=[self.partnership.pk])


class SurveyMixin(PartnershipMixin):
    """What the survey page shows around the form: the page and a failed post of the form
    render the same template."""

    template_name = "governance/survey.html"

    def get_context_data(self, **kwargs):
        """`rated`: the organization the user's answer rates, the other party."""
        party = self.partnership.party_of(self.request.user)
        rated = self.partnership.cdmo if party == "sponsor" else self.partnership.sponsor
        return super().get_context_data(rated=rated, **kwargs)

    def survey_context(self) -> dict:
        user = self.request.user
        return {"results": selectors.survey_results(user=user, partnership=self.partnership),
                "my_answer": selectors.survey_answer_of(user=user, partnership=self.partnership),
                "may_answer": self.can("governance.survey_answer", self.partnership)}


class SurveyView(SurveyMixin, TemplateView):
    """This quarter's form (or the date of one's own answer) and the results over time."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.survey_context(), form=SurveyForm(), **kwargs)


class SurveyAnswerView(SurveyMixin, ServiceFormView):
    form_class = SurveyForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:  # an htmx post gets only the form partial back
            context.update(self.survey_context())
        return context

    def perform(self, form):
        return services.survey_answer(actor=self.request.user, partnership=self.partnership,
                                      **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Thank you: your answer is recorded, without your name "
                                       "next to it.")
        return reverse("governance:survey", args=[self.partnership.pk])
