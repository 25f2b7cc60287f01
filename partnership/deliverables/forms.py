"""Forms of the deliverable pages. Choices are limited to what the user may see."""

from django import forms

from partnership.deliverables.models import Deliverable
from partnership.parties.forms import DateInput
from portal.forms import ServiceForm


class DeliverableForm(ServiceForm):
    class Meta:
        model = Deliverable
        fields = ["sow", "title", "description", "due_date", "responsible_party",
                  "is_internal"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sow"].queryset = sows


class CriterionForm(forms.Form):
    text = forms.CharField(max_length=300, label="Acceptance criterion",
                           help_text="Fitness for use, not only the release specification.")


class DeliverableReviewForm(forms.Form):
    """One 'met?' choice and a comment per criterion, then an overall comment."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              label="Overall comment (required when rejecting)")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"met_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text, choices=[("yes", "Met"), ("no", "Not met")],
                coerce=lambda value: value == "yes", widget=forms.RadioSelect)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                required=False, max_length=500, label=f"Comment on “{criterion.text}”")
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

    def results(self) -> dict[int, tuple]:
        return {c.pk: (self.cleaned_data[f"met_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
                for c in self.criteria}
