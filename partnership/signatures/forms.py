"""The signing form: the meaning chosen, and the signer's password (and TOTP code) again."""

from django import forms


class SignatureFieldsMixin:
    """The fields a signature asks for, added to any form that signs (the sign dialog, an
    accepting review): `meanings` as (code, words), the code field only when the signer has
    a confirmed TOTP device (`otp`). `required` False where the form signs only sometimes
    (a review signs when it accepts): the service then says what is missing."""

    def add_signature_fields(self, *, meanings, otp: bool, required: bool = True) -> None:
        self.fields["meaning"] = forms.ChoiceField(
            label="Meaning of my signature", choices=list(meanings),
            widget=forms.RadioSelect, required=required,
            initial=meanings[0][0] if len(meanings) == 1 else None)
        self.fields["password"] = forms.CharField(
            label="Your password", strip=False, required=required,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            help_text="Entered again to sign: your signature is yours alone.")
        if otp:
            self.fields["otp_code"] = forms.CharField(
                label="Code from your authenticator app", max_length=12, required=required,
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                              "inputmode": "numeric"}))

    def signature_data(self) -> dict:
        return {"meaning": self.cleaned_data.get("meaning") or "",
                "password": self.cleaned_data.get("password") or "",
                "otp_code": self.cleaned_data.get("otp_code") or None}


class SignForm(SignatureFieldsMixin, forms.Form):
    event = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meanings, otp: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_signature_fields(meanings=meanings, otp=otp)
