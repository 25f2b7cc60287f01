"""Forms of the priorities and objectives pages. Choices are limited to what the user may
see."""

from django import forms

from partnership.objectives.models import Objective
from partnership.parties.forms import DateInput
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range


class PrioritiesForm(forms.Form):
    titles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), label="Ranking, top priority first",
        help_text="One program or workstream per line.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             label="Why the ranking changes")

    def clean_titles(self) -> list[str]:
        return self.cleaned_data["titles"].splitlines()


class ObjectiveForm(FutureDatesMixin, ServiceForm):
    """An objective's next review lies ahead (an edit keeps its own date)."""

    future_dates = ("review_date",)

    class Meta:
        model = Objective
        fields = ["title", "measure_of_success", "sponsor_owner", "cdmo_owner", "review_date",
                  "is_internal"]
        widgets = {"review_date": DateInput(),
                   "measure_of_success": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        for name, people in owners.items():  # selectors.owner_choices
            self.fields[name].queryset = people


class ObjectiveReviewForm(FutureDatesMixin, forms.Form):
    future_dates = ("next_review_date",)

    status = forms.ChoiceField(choices=Objective.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                           label="What the review found")
    next_review_date = forms.DateField(widget=DateInput(), validators=[validate_date_in_range])
