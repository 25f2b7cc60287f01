"""The risk form; its choices come from the partnership's scope."""

from django import forms

from governance.risks.models import Risk
from portal.forms import FutureDatesMixin, ServiceForm

LIKELIHOOD_CHOICES = [(1, "1 – rare"), (2, "2 – unlikely"), (3, "3 – possible"),
                      (4, "4 – likely"), (5, "5 – almost certain")]
IMPACT_CHOICES = [(1, "1 – minor"), (2, "2 – moderate"), (3, "3 – significant"),
                  (4, "4 – major"), (5, "5 – severe")]


class MilestoneChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.tech_transfer} – {obj.get_kind_display()}"


class RiskForm(FutureDatesMixin, ServiceForm):
    """A risk's next review lies ahead (an edit keeps its own date)."""

    future_dates = ("review_date",)
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD_CHOICES, coerce=int)
    impact = forms.TypedChoiceField(choices=IMPACT_CHOICES, coerce=int)
    milestones = MilestoneChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tech-transfer milestones of this partnership that this risk threatens.")

    class Meta:
        model = Risk
        fields = ["title", "category", "likelihood", "impact", "owner", "description",
                  "mitigation", "review_date", "milestones", "is_internal"]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "mitigation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, members, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["milestones"].queryset = milestones
