"""Forms of the sites as the sponsor's QA sees them and of cancelling or postponing an
audit; their choices come from the partnership's scope."""

from django import forms

from governance.quality.forms import DATE
from governance.quality.sites.models import (
    AuditProgramme,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range

ACTIVITIES = forms.TypedMultipleChoiceField(
    choices=SiteQualification.Activity.choices, required=False,
    widget=forms.CheckboxSelectMultiple, help_text="What the site may do for the sponsor.")


class QualificationForm(ServiceForm):
    approved_activities = ACTIVITIES

    class Meta:
        model = SiteQualification
        fields = ["site", "approved_activities", "conditions"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:  # a qualification stays with its site
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites


class QualificationStepForm(forms.Form):
    """A step of the site's status, with what an approval covers and its conditions."""

    status = forms.ChoiceField(choices=SiteQualification.Status.choices,
                               widget=forms.HiddenInput)
    approved_activities = forms.TypedMultipleChoiceField(
        choices=SiteQualification.Activity.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="What the site may do for the sponsor.")
    conditions = forms.CharField(
        label="Conditions or reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to approve with conditions or to disqualify; the CDMO reads it.")


class ProgrammeForm(ServiceForm):
    class Meta:
        model = AuditProgramme
        fields = ["reaudit_months", "reaudit_months_after_critical"]


class InspectionForm(ServiceForm):
    class Meta:
        model = Inspection
        fields = ["authority", "authority_name", "inspected_on", "outcome",
                  "observation_count", "certificate_number", "certificate_expiry", "summary"]
        widgets = {"inspected_on": DATE, "certificate_expiry": DATE,
                   "summary": forms.Textarea(attrs={"rows": 3})}


class SubcontractorForm(ServiceForm):
    class Meta:
        model = Subcontractor
        fields = ["name", "activity", "location"]


class SubcontractorStepForm(forms.Form):
    status = forms.ChoiceField(choices=Subcontractor.Status.choices, widget=forms.HiddenInput)
    permission_date = forms.DateField(
        required=False, widget=DATE, validators=[validate_date_in_range],
        help_text="The date of the written permission (today if left empty). Only when "
                  "permitting.")
    decision_note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Conditions of the permission, or why it is refused (required then).")


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why the audit is cancelled", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PostponeForm(FutureDatesMixin, forms.Form):
    """An audit moves to days ahead."""

    future_dates = ("planned_start", "planned_end")

    planned_start = forms.DateField(label="New first day", widget=DATE,
                                    validators=[validate_date_in_range])
    planned_end = forms.DateField(label="New last day", widget=DATE,
                                  validators=[validate_date_in_range])
    reason = forms.CharField(label="Why the audit moves", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
