"""Forms of the sign-in pages: a two-factor code (at log-in, and when setting up, before any
backup code exists), a new API token, an organization's two-factor rule, the password reset."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from partnership.accounts.services import TOKEN_LIFETIMES


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=32, strip=True,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup "
                  "codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}))


class SetupCodeForm(CodeForm):
    """The code that confirms a new authenticator app: backup codes come only after it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."


class ResetForm(PasswordResetForm):
    """Django's, with the field named as everywhere else in the portal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           help_text="What will use it, e.g. “LIMS export”.")
    days = forms.TypedChoiceField(label="Valid for", coerce=int, initial=90,
                                  choices=list(TOKEN_LIFETIMES.items()))


class TwoFactorRuleForm(forms.Form):
    required = forms.BooleanField(
        required=False, label="Everyone in my organization must use two-factor sign-in")
