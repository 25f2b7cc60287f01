"""Forms of change controls; their choices come from the partnership's scope."""

from django import forms
from django.utils import timezone

from governance.quality.changes.models import ChangeControl
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class ChangeControlForm(FutureDatesMixin, ServiceForm):
    """A change is proposed for a day ahead, which the sponsor decides before (an edit keeps
    its own date; the day it was made is `implemented_on`, recorded by its step)."""

    future_dates = ("proposed_on",)

    class Meta:
        model = ChangeControl
        fields = ["reference", "title", "category", "site", "program", "description",
                  "rationale", "impact_quality", "impact_validation", "impact_regulatory",
                  "proposed_on"]
        widgets = {"proposed_on": DATE, "description": TEXT, "rationale": TEXT,
                   "impact_quality": TEXT, "impact_validation": TEXT,
                   "impact_regulatory": TEXT}

    def __init__(self, *args, sites, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["program"].queryset = programs
        self.fields["program"].required = True  # may be emptied later only (Batch.program)


class ConfirmForm(forms.Form):
    """A step without words: the dialog only confirms it."""


class ImplementForm(forms.Form):
    implemented_on = forms.DateField(label="Implemented on", widget=DATE,
                                     validators=[validate_date_in_range])
    implementation_evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows the change is in place: the executed protocol, the revised "
                  "SOP or batch record, the first lot made under it.")

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"implemented_on": timezone.localdate(),
                             **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why the change is withdrawn", widget=TEXT)
    confirm = forms.BooleanField(label="I withdraw this change control: it cannot be "
                                       "submitted again.")

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("confirm", None)
        return cleaned


class ConditionsForm(forms.Form):
    decision_conditions = forms.CharField(
        label="Conditions of the approval", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the CDMO must do for the approval to hold (e.g. three lots on "
                  "stability, a comparability report before release).")


STEP_FORMS = {"submit": ConfirmForm, "acknowledge": ConfirmForm, "implement": ImplementForm,
              "close": ConfirmForm, "withdraw": WithdrawForm}
