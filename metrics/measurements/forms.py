"""Forms of KPI values and their review."""

from django import forms
from django.conf import settings

from metrics.measurements.models import KPIMeasurement
from portal.files import max_upload_label
from portal.forms import ServiceForm

TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})


class KPIMeasurementForm(ServiceForm):
    class Meta:
        model = KPIMeasurement
        fields = ["definition", "period", "value", "numerator", "denominator", "comment"]
        widgets = {"period": DATE, "comment": TEXT}

    def __init__(self, *args, definitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:  # a value keeps its KPI and period
            del self.fields["definition"], self.fields["period"]
        else:
            self.fields["definition"].queryset = definitions
            self.fields["definition"].label = "KPI"


class ValueForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    numerator = forms.DecimalField(max_digits=14, decimal_places=4, required=False)
    denominator = forms.DecimalField(max_digits=14, decimal_places=4, required=False)


class CorrectForm(ValueForm):
    reason = forms.CharField(label="Why the value is corrected", widget=TEXT)


class TextForm(forms.Form):
    text = forms.CharField(label="Your words", widget=TEXT)


class OptionalTextForm(forms.Form):
    text = forms.CharField(label="Comment (optional)", widget=TEXT, required=False)


class ConfirmForm(forms.Form):
    """A step without words: the dialog only confirms it."""


STEP_FORMS = {"submit": ConfirmForm, "share": ConfirmForm, "accept": OptionalTextForm,
              "dispute": TextForm, "correct": CorrectForm, "withdraw": TextForm}


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Evidence")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"A PDF, Excel (XLSX) or CSV file, up to " \
                                        f"{max_upload_label()}."
        self.fields["file"].widget.attrs.update({
            "accept": ".pdf,.xlsx,.csv", "data-max-bytes": settings.MAX_UPLOAD_BYTES})
