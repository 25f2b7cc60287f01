"""Forms of formal requests: send or edit, each step of the workflow, and the relay."""

from django import forms

from governance.requests.models import Request
from governance.risks.forms import MilestoneChoiceField
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range


class RequestForm(FutureDatesMixin, ServiceForm):
    """Send (or, given the `record`, edit without urgency) a request. `usage` is the
    actor's party's (used, budget) of emergencies this month, shown beside the urgency."""

    future_dates = ("needed_by",)
    milestones = MilestoneChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tech-transfer milestones of this partnership that wait on this request.")

    class Meta:
        model = Request
        fields = ["title", "description", "kind", "urgency", "needed_by", "assignee",
                  "milestones", "emergency_justification"]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 4}),
                   "emergency_justification": forms.Textarea(attrs={"rows": 2})}
        labels = {"assignee": "Who should answer (optional)"}

    def __init__(self, *args, receivers, milestones, usage=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = receivers
        self.fields["assignee"].empty_label = "Whoever acknowledges it"
        if "kind" in self.fields:
            self.fields["kind"].choices = [("", "Choose a kind…"), *Request.Kind.choices]
        self.fields["milestones"].queryset = milestones
        if self.record is not None:
            del self.fields["urgency"], self.fields["emergency_justification"]
        elif usage is not None:
            used, budget = usage
            self.fields["urgency"].help_text = (
                f"{used} of {budget} emergencies used this month (UTC) by your party. An "
                "emergency must be acknowledged within the partnership's shorter time.")
            self.fields["emergency_justification"].help_text = (
                "Required for an emergency once the monthly budget is used up; the other "
                "party and the steering committee members of both parties read it.")


class AcknowledgeForm(forms.Form):
    committed_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="The date your party commits to fulfil it.",
                                     validators=[validate_date_in_range])
    assignee = forms.ModelChoiceField(queryset=None, required=False, label="Who answers",
                                      empty_label="Me", help_text="You, unless you choose "
                                                                  "a colleague.")

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = receivers


class QueryForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What the requester must clarify before you commit.")


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class FulfilForm(forms.Form):
    fulfilment_note = forms.CharField(label="What was delivered",
                                      widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reopen_reason = forms.CharField(label="What is missing",
                                    widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why your party declines it", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The party that sent it reads this; the request is then closed.")


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    """A step without words (start work, accept): the dialog only confirms it."""


class RelayForm(FutureDatesMixin, forms.Form):
    """What the sponsor writes into the other partnership, in its own words: the form
    starts without the original's text (shown beside it, read-only), so nothing of one
    CDMO's crosses into the other partnership by a click."""

    future_dates = ("needed_by",)

    target_partnership = forms.ModelChoiceField(queryset=None, label="Relay to")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="The other CDMO reads only what you write here.")
    kind = forms.ChoiceField(choices=Request.Kind.choices)
    urgency = forms.ChoiceField(choices=Request.Urgency.choices)
    needed_by = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[validate_date_in_range])
    emergency_justification = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for an emergency once your monthly budget in the other "
                  "partnership is used up; its steering committee members read it.")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_partnership"].queryset = targets
