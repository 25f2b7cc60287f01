"""Pages of recognition (thank-yous to the other party) and the quarterly feedback survey."""

from django.contrib import messages
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from governance import selectors, services
from governance.forms import RecognitionForm, SurveyForm
from partnership.models import Partnership
from partnership.parties.selectors import party_people
from partnership.scoping_views import PartnershipMixin
from portal.views import ServiceFormView


class RecognitionListView(PartnershipMixin, ListView):
    template_name = "governance/recognition_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.recognition_list(user=self.request.user, partnership=self.partnership)


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

    def survey_context(self) -> dict:
        user = self.request.user
        return {"results": selectors.survey_results(user=user, partnership=self.partnership),
                "my_answer": selectors.survey_answer_of(user=user, partnership=self.partnership),
                "may_answer": self.role not in (None, "admin")}  # a seat, as survey_answer


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
