"""Forms of deviations and CAPAs; their choices come from the partnership's scope."""

from django import forms

from governance.quality.deviations.models import Capa, Deviation
from governance.quality.forms import DATE, PersonChoiceField
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.lot_number} · {obj.get_stage_display()} · {obj.site.name}"


class DeviationForm(ServiceForm):
    batch = LotChoiceField(queryset=None, required=False, label="Batch / lot",
                           empty_label="None recorded",
                           help_text="The lot as recorded under Batches; or name it below.")

    class Meta:
        model = Deviation
        fields = ["reference", "site", "batch", "lot", "kind", "classification", "title",
                  "description", "detected_at"]
        widgets = {"detected_at": MOMENT, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, sites, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["batch"].queryset = batches
        self.fields["detected_at"].help_text = "In your own time zone."


class DeviationReportForm(DeviationForm):
    notify_sponsor = forms.BooleanField(
        label="Notify the sponsor now", required=False, initial=True,
        help_text="Untick to record it for your own organization first: the quality "
                  "agreement's clock runs until you notify the sponsor.")
    sponsor_notified_at = forms.DateTimeField(
        label="Sponsor already notified at", required=False, widget=MOMENT,
        validators=[validate_date_in_range],
        help_text="If the sponsor was told before this report (telephone, e-mail).")


class InvestigationForm(forms.Form):
    investigation = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text="What was examined, by whom, and what was found.")
    root_cause = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    product_impact = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The batches affected and whether their quality is impacted.")


class ReviewForm(forms.Form):
    review_note = forms.CharField(label="Note (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(forms.Form):
    review_note = forms.CharField(label="What is missing",
                                  widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    """A step without words: the dialog only confirms it."""


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class CapaForm(FutureDatesMixin, ServiceForm):
    """A CAPA's due date is a commitment: from today on (an edit keeps its own date)."""

    future_dates = ("due_date",)
    owner = PersonChoiceField(queryset=None)
    finding = SourceChoiceField(queryset=None, required=False,
                                help_text="The audit finding it answers, or …")
    deviation = SourceChoiceField(queryset=None, required=False,
                                  help_text="… the deviation or complaint it answers.")

    class Meta:
        model = Capa
        fields = ["title", "finding", "deviation", "root_cause", "action_plan", "owner",
                  "due_date"]
        widgets = {"due_date": DATE, "root_cause": forms.Textarea(attrs={"rows": 3}),
                   "action_plan": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, owners, findings, deviations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if self.record is not None:  # a CAPA keeps what it answers
            del self.fields["finding"], self.fields["deviation"]
        else:
            self.fields["finding"].queryset = findings
            self.fields["deviation"].queryset = deviations


class ImplementForm(forms.Form):
    effectiveness_evidence = forms.CharField(
        label="Effectiveness check", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows the action worked: the trend, the checks, the re-audit.")


class ReopenForm(forms.Form):
    review_note = forms.CharField(label="Why the effect is not shown",
                                  widget=forms.Textarea(attrs={"rows": 3}))
