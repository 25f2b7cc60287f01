"""Forms of notices, thank-yous and the feedback survey."""

from django import forms

from governance.relationship.models import Notice
from portal.forms import ServiceForm


class NoticeForm(ServiceForm):
    """No 'internal' box: a notice exists to be read by the other party."""

    class Meta:
        model = Notice
        fields = ["kind", "title", "body", "effective_date", "site"]
        widgets = {"effective_date": forms.DateInput(attrs={"type": "date"}),
                   "body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": "What changes, and what it means for the other party"}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # sites of the poster's own organization
        self.fields["site"].help_text = "The site of your organization this is about, if any."
        self.fields["kind"].help_text = (
            "A site closure notice tells the other party; it does not change the site itself. "
            "The site's status (closing or closed, with its date) is set on the site's page "
            "by your organization's admins.")


class RecognitionForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="People you thank")
    team = forms.CharField(max_length=200, required=False,
                           help_text="Or a team of the other party, e.g. “QC micro lab”.")
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                              label="What you thank them for")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = people  # members of the other party


SCORE_CHOICES = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]
SURVEY_HELP = {
    "communication": "Clear, timely, the right people informed.",
    "responsiveness": "Answers and acknowledgements within the agreed times.",
    "quality": "Right first time; documents and results you can rely on.",
    "respect": "Courteous, fair, keeps its word.",
    "alignment": "Works towards the shared objectives and priorities.",
}


def _score(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
                                  label=f"{name.capitalize()} (1 poor – 5 excellent)",
                                  help_text=SURVEY_HELP[name])


class SurveyForm(forms.Form):
    """Five 1–5 ratings as radio groups (a fieldset with a legend each) and comments."""

    communication = _score("communication")
    responsiveness = _score("responsiveness")
    quality = _score("quality")
    respect = _score("respect")
    alignment = _score("alignment")
    comments = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to both parties without your name, once the quarter has closed, "
                  "and only if at least three people answered.")
