"""Forms of the communication page. Choices are limited to what the user may see."""

from django import forms

from partnership.communication.models import CommunicationPlan, EscalationLevel, Function
from partnership.parties.models import User
from portal.forms import ServiceForm


class ContactForm(forms.Form):
    function = forms.ChoiceField(choices=Function.choices)
    primary = forms.ModelChoiceField(queryset=User.objects.none(), label="Point of contact")
    backup = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = colleagues
        self.fields["backup"].queryset = colleagues


class CommunicationPlanForm(ServiceForm):
    ground_rules = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    meeting_cadence = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    class Meta:
        model = CommunicationPlan
        fields = ["ground_rules", "meeting_cadence"]


class EscalationLevelForm(ServiceForm):
    level = forms.IntegerField(min_value=1, max_value=EscalationLevel.MAX_LEVEL)
    name = forms.CharField(max_length=100)
    days_allowed = forms.IntegerField(min_value=1, max_value=EscalationLevel.MAX_DAYS_ALLOWED,
                                      initial=5, label="Days before it moves up")
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="People of both sides at this level. Once a party has people here, only "
                  "that party changes them; the other party's leads are told of every "
                  "change.")

    class Meta:
        model = EscalationLevel
        fields = ["level", "name", "days_allowed", "people"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = members
