"""Forms of KPI values and their review."""

from django import forms
from django.conf import settings

from metrics import periods
from metrics.measurements.models import KPIMeasurement
from portal.files import max_upload_label
from portal.forms import ServiceForm
from portal.validation import validate_date_in_range

TEXT = forms.Textarea(attrs={"rows": 3})


VALUE_HELP = "Leave it blank for a percentage or a ratio with its numerator and " \
             "denominator: it is worked out from them."


class MonthField(forms.DateField):
    """A period picked as a month ("2026-03"), read as its first day; in the calendar the
    portal stores (validate_date_in_range)."""

    widget = forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_validators = [validate_date_in_range]

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)


class KPIMeasurementForm(ServiceForm):
    period = MonthField(help_text="The month the value is of; for a quarterly KPI, any "
                                  "month of the quarter.")

    class Meta:
        model = KPIMeasurement
        fields = ["definition", "period", "value", "numerator", "denominator", "comment"]
        widgets = {"comment": TEXT}

    def __init__(self, *args, definitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].required = False
        self.fields["value"].help_text = VALUE_HELP
        if self.record is not None:  # a value keeps its KPI and period
            del self.fields["definition"], self.fields["period"]
            return
        self.fields["definition"].queryset = definitions
        self.fields["definition"].label = "KPI"
        # The first field a person fills gets the focus: the period once the KPI is chosen.
        first = "period" if self.initial.get("definition") else "definition"
        self.fields[first].widget.attrs["autofocus"] = True

    def clean(self):
        """A quarterly KPI's value is of the quarter the month picked falls in."""
        data = super().clean()
        definition, period = data.get("definition"), data.get("period")
        if definition is not None and period is not None:
            data["period"] = periods.period_start(period, definition.frequency)
        return data


class ValueForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=4, required=False,
                               help_text=VALUE_HELP)
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
