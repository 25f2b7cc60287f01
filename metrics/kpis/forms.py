"""Forms of KPI definitions."""

from django import forms

from metrics.kpis import library
from metrics.kpis.models import KPIDefinition
from portal.forms import ServiceForm

TEXT = forms.Textarea(attrs={"rows": 3})


class KPIDefinitionForm(ServiceForm):
    class Meta:
        model = KPIDefinition
        fields = ["name", "key", "formula", "unit", "direction", "target", "amber_threshold",
                  "red_threshold", "frequency", "data_source", "reporting_party",
                  "review_window_days", "due_day"]
        widgets = {"formula": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:  # a series keeps its key across versions
            del self.fields["key"]
        else:
            self.fields["key"].required = False
            self.fields["key"].help_text = "A short name of the series (made from the name " \
                                           "when left empty); it stays across versions."


class AdoptForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label="Standard KPIs", widget=forms.CheckboxSelectMultiple,
        help_text="Each becomes a draft with the library's terms; change them before signing "
                  "off.")

    def __init__(self, *args, standards=library.STANDARD, **kwargs):
        """`standards`: those the partnership has not adopted yet, all ticked."""
        kwargs.setdefault("initial", {"keys": [s.key for s in standards]})
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [
            (s.key, f"{s.name} ({s.unit}, {s.frequency}"
                    f"{', computed by the portal' if s.computable else ''})")
            for s in standards]


class ConfirmForm(forms.Form):
    """A step without words: the dialog only confirms it."""


class ReasonForm(forms.Form):
    """A step of a definition that is signed or agreed: why."""

    reason = forms.CharField(label="Reason", widget=TEXT, max_length=500)
