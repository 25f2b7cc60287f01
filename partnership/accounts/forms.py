"""Forms of the sign-in pages: a two-factor code, a new API token, an organization's
two-factor rule."""

from django import forms

from partnership.accounts.services import TOKEN_LIFETIMES


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=32, strip=True,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup "
                  "codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}))


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           help_text="What will use it, e.g. “LIMS export”.")
    days = forms.TypedChoiceField(label="Valid for", coerce=int, initial=90,
                                  choices=list(TOKEN_LIFETIMES.items()))


class TwoFactorRuleForm(forms.Form):
    required = forms.BooleanField(
        required=False, label="Everyone in my organization must use two-factor sign-in")
