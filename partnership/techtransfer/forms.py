"""Forms of the tech-transfer pages. Choices are limited to what the user may see."""

from django import forms

from partnership.deliverables.models import Deliverable
from partnership.parties.forms import DateInput
from partnership.parties.models import User
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range


class TechTransferForm(ServiceForm):
    class Meta:
        model = TechTransfer
        fields = ["title", "program", "site", "is_internal"]

    def __init__(self, *args, programs, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["site"].queryset = sites


class MilestoneForm(FutureDatesMixin, ServiceForm):
    """A milestone is planned for a day ahead (a plan moved into the past would hide its
    slip), unless the box "This records the past" is ticked: a milestone reached before the
    transfer was entered. An edit keeps its own planned date."""

    future_dates = ("planned_date",)
    past_confirmation = "records_past"
    planned_date = forms.DateField(widget=DateInput(), required=False,
                                   validators=[validate_date_in_range])
    actual_date = forms.DateField(widget=DateInput(), required=False, label="Completed on",
                                  validators=[validate_date_in_range])
    sponsor_owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    cdmo_owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                        label="CDMO owner")
    deliverables = forms.ModelMultipleChoiceField(queryset=Deliverable.objects.none(),
                                                  required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    class Meta:
        model = Milestone
        fields = ["planned_date", "actual_date", "sponsor_owner", "cdmo_owner", "deliverables",
                  "note"]

    def __init__(self, *args, owners, deliverables, **kwargs):
        super().__init__(*args, **kwargs)
        for name, people in owners.items():  # selectors.owner_choices
            self.fields[name].queryset = people
        self.fields["deliverables"].queryset = deliverables
