"""Forms of the partnership pages. Choices are limited to what the user may see."""

import datetime
import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from partnership.models import (
    Contract,
    Deliverable,
    EscalationLevel,
    Function,
    Membership,
    Objective,
    Partnership,
    Program,
    Site,
    TechTransfer,
    User,
    validate_plain_address,
)
from portal.validation import validate_date_in_range

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in
                     sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class DateInput(forms.DateInput):
    input_type = "date"


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"})
    )


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["code", "name", "modality", "phase", "description", "sites", "is_internal"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "sites": forms.CheckboxSelectMultiple}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites  # the partnership's CDMO sites only


class SiteStatusForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["status", "status_date"]
        widgets = {"status_date": DateInput()}


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "time_zone"]


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address", validators=[validate_plain_address])
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    job_title = forms.CharField(max_length=120, required=False)
    is_org_admin = forms.BooleanField(label="Organization admin", required=False)

    def __init__(self, *args, domains: list[str], **kwargs):
        """`domains`: the organization's verified ones, named before anyone types an
        address the service would refuse."""
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            f"Addresses at {' or '.join(domains)}." if domains else
            "Your organization has no verified e-mail domain yet: ask the Lockstep operators "
            "to add one.")


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person")
    partnership = forms.ModelChoiceField(queryset=Membership.objects.none())
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def __init__(self, *args, people, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["partnership"].queryset = partnerships


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["kind", "reference", "title", "parent", "effective_date", "expiry_date",
                  "renewal_notice_days", "is_internal"]
        widgets = {"effective_date": DateInput(), "expiry_date": DateInput()}

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # the same partnership's contracts only


class NegotiationRoundForm(forms.Form):
    sent_on = forms.DateField(widget=DateInput(), initial=datetime.date.today,
                              label="Draft sent on", validators=[validate_date_in_range])
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                              label="What changed in this draft")


class RoundAnswerForm(forms.Form):
    answered_on = forms.DateField(widget=DateInput(), label="Answered on",
                                  validators=[validate_date_in_range])


class ContractDocumentForm(forms.Form):
    file = forms.FileField(help_text="PDF, Word or Excel, up to 20 MB.")


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["sow", "title", "description", "due_date", "responsible_party",
                  "is_internal"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sow"].queryset = sows


class CriterionForm(forms.Form):
    text = forms.CharField(max_length=300, label="Acceptance criterion",
                           help_text="Fitness for use, not only the release specification.")


class DeliverableReviewForm(forms.Form):
    """One 'met?' choice and a comment per criterion, then an overall comment."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              label="Overall comment (required when rejecting)")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"met_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text, choices=[("yes", "Met"), ("no", "Not met")],
                coerce=lambda value: value == "yes", widget=forms.RadioSelect)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                required=False, max_length=500, label=f"Comment on “{criterion.text}”")
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

    def results(self) -> dict[int, tuple]:
        return {c.pk: (self.cleaned_data[f"met_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
                for c in self.criteria}


class ContactForm(forms.Form):
    function = forms.ChoiceField(choices=Function.choices)
    primary = forms.ModelChoiceField(queryset=User.objects.none(), label="Point of contact")
    backup = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = colleagues
        self.fields["backup"].queryset = colleagues


class CommunicationPlanForm(forms.Form):
    ground_rules = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    meeting_cadence = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class EscalationLevelForm(forms.Form):
    level = forms.IntegerField(min_value=1, max_value=EscalationLevel.MAX_LEVEL)
    name = forms.CharField(max_length=100)
    days_allowed = forms.IntegerField(min_value=1, max_value=EscalationLevel.MAX_DAYS_ALLOWED,
                                      initial=5, label="Days before it moves up")
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="People of both sides at this level. Once a party has people here, only "
                  "that party changes them; the other party's leads are told of every "
                  "change.")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = members


class PrioritiesForm(forms.Form):
    titles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), label="Ranking, top priority first",
        help_text="One program or workstream per line.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             label="Why the ranking changes")

    def clean_titles(self) -> list[str]:
        return self.cleaned_data["titles"].splitlines()


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "measure_of_success", "sponsor_owner", "cdmo_owner", "review_date",
                  "is_internal"]
        widgets = {"review_date": DateInput(),
                   "measure_of_success": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        for name, people in owners.items():  # selectors.owner_choices
            self.fields[name].queryset = people


class ObjectiveReviewForm(forms.Form):
    status = forms.ChoiceField(choices=Objective.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                           label="What the review found")
    next_review_date = forms.DateField(widget=DateInput(), validators=[validate_date_in_range])


class TechTransferForm(forms.ModelForm):
    class Meta:
        model = TechTransfer
        fields = ["title", "program", "site", "is_internal"]

    def __init__(self, *args, programs, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["site"].queryset = sites


class MilestoneForm(forms.Form):
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

    def __init__(self, *args, owners, deliverables, **kwargs):
        super().__init__(*args, **kwargs)
        for name, people in owners.items():  # selectors.owner_choices
            self.fields[name].queryset = people
        self.fields["deliverables"].queryset = deliverables


class PartnershipSettingsForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = list(Partnership.AGREED_SETTINGS)
        labels = Partnership.AGREED_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("acknowledgement_hours", "sponsor_emergency_budget",
                     "cdmo_emergency_budget"):
            self.fields[name].required = False  # left empty: stays as agreed before
