"""Forms of the parties' pages: log-in, profile, invitations, seats, a site's status and
the partnership's agreed settings, and what every form of the app's records shares (the
date widget, ServiceForm). Choices are limited to what the user may see."""

import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from partnership.parties.models import Membership, Partnership, Site, User, validate_plain_address
from portal.forms import ServiceForm
from portal.zones import zone_label

TIME_ZONE_CHOICES = [(name, zone_label(name)) for name in
                     sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class DateInput(forms.DateInput):
    input_type = "date"


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"})
    )


class SiteStatusForm(ServiceForm):
    class Meta:
        model = Site
        fields = ["status", "status_date"]
        widgets = {"status_date": DateInput()}


class ProfileForm(ServiceForm):
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


class MembershipRoleForm(forms.Form):
    """A seat's new role: the roles a seat of any partnership may have."""

    role = forms.ChoiceField(choices=Membership.Role.choices)


class PartnershipSettingsForm(ServiceForm):
    class Meta:
        model = Partnership
        fields = list(Partnership.AGREED_SETTINGS)
        labels = Partnership.AGREED_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("acknowledgement_hours", "emergency_acknowledgement_hours",
                     "sponsor_emergency_budget",
                     "cdmo_emergency_budget"):
            self.fields[name].required = False  # left empty: stays as agreed before
