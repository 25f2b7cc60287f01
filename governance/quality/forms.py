"""Forms of the audit programme; their choices come from the partnership's scope."""

from django import forms

from governance.quality.models import Audit, Finding
from portal.forms import FutureDatesMixin, ServiceForm

DATE = forms.DateInput(attrs={"type": "date"})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organization})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organization})"


class AuditForm(FutureDatesMixin, ServiceForm):
    """An audit's planned days lie ahead, unless the box "This records the past" is ticked:
    an audit already held, entered with its findings (an edit keeps its own days)."""

    future_dates = ("planned_start", "planned_end")
    past_confirmation = "records_past"
    lead_auditor = PersonChoiceField(queryset=None, help_text="Of the sponsor; signs the report.")
    team = PeopleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                             help_text="Other auditors of the sponsor.")
    host = PersonChoiceField(queryset=None, required=False,
                             help_text="Of the CDMO: who receives the auditors.")

    class Meta:
        model = Audit
        fields = ["site", "kind", "planned_start", "planned_end", "scope", "lead_auditor",
                  "team", "host", "agenda"]
        widgets = {"planned_start": DATE, "planned_end": DATE,
                   "scope": forms.Textarea(attrs={"rows": 3}),
                   "agenda": forms.Textarea(attrs={"rows": 4})}

    with_meetings = forms.BooleanField(
        label="Schedule the opening and closing meetings", required=False, initial=True,
        help_text="At the site's opening time on the first day and an hour before it "
                  "closes on the last, in its own time zone, with the auditors and the host.")

    def __init__(self, *args, sites, auditors, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:  # meetings are scheduled once, with the plan
            del self.fields["with_meetings"]
        self.fields["site"].queryset = sites
        self.fields["lead_auditor"].queryset = auditors
        self.fields["team"].queryset = auditors
        self.fields["host"].queryset = hosts


class ReportForm(forms.Form):
    report_summary = forms.CharField(
        label="Summary of the report", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The lead auditor's conclusion on the site; signing the report issues it "
                  "with the findings as they stand.")


class FindingForm(FutureDatesMixin, ServiceForm):
    """The CDMO's response is due from today on (an edit keeps its own date; a finding
    recorded after the fact can leave it empty)."""

    future_dates = ("response_due",)

    class Meta:
        model = Finding
        fields = ["classification", "title", "requirement", "evidence", "response_due"]
        widgets = {"response_due": DATE, "evidence": forms.Textarea(attrs={"rows": 4})}


class ConfirmForm(forms.Form):
    """A step without words (confirm the dates, start, close): the dialog only confirms it."""


class RespondForm(forms.Form):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                               help_text="Root cause, the correction made and the CAPA your "
                                         "site commits to, with its dates.")


class AcceptForm(forms.Form):
    review_note = forms.CharField(label="Note (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(forms.Form):
    review_note = forms.CharField(label="What the response is missing",
                                  widget=forms.Textarea(attrs={"rows": 3}))
