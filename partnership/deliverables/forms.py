"""Forms of the deliverable pages. Choices are limited to what the user may see."""

from django import forms

from partnership.deliverables.models import Deliverable
from partnership.parties.forms import DateInput
from partnership.signatures.forms import SignatureFieldsMixin
from portal.forms import FutureDatesMixin, ServiceForm


class DeliverableForm(FutureDatesMixin, ServiceForm):
    """A deliverable's due date lies ahead, unless the box "This records the past" is
    ticked: the deliverables of a SOW executed before the partnership used the portal."""

    future_dates = ("due_date",)
    past_confirmation = "records_past"

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


class DeliverableReviewForm(SignatureFieldsMixin, forms.Form):
    """One 'met?' choice and a comment per criterion, then an overall comment; and the
    reviewer's signature, which an accepting review needs (the service says so when it is
    missing: a rejection is not signed)."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              label="Overall comment (required when rejecting)")

    def __init__(self, *args, criteria, otp: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"met_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text, choices=[("yes", "Met"), ("no", "Not met")],
                coerce=lambda value: value == "yes", widget=forms.RadioSelect)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                required=False, max_length=500, label=f"Comment on “{criterion.text}”")
        self.add_signature_fields(meanings=list(Deliverable.SIGNATURES["accepted"].meanings.items()),
                                  otp=otp, required=False)
        self.fields["meaning"].label = "If you accept: the meaning of your signature"
        self.fields["password"].help_text = "Accepting signs the deliverable: enter your " \
                                            "password again. Not needed to reject."
        signature = [name for name in ("meaning", "password", "otp_code") if name in self.fields]
        self.order_fields([name for name in self.fields if name not in ("comment", *signature)]
                          + ["comment", *signature])

    def results(self) -> dict[int, tuple]:
        return {c.pk: (self.cleaned_data[f"met_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
                for c in self.criteria}
