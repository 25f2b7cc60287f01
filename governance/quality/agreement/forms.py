"""Forms of the quality agreement: attach its terms to a contract, edit them and the matrix."""

from django import forms

from governance.quality.agreement.models import CHANGE_TERMS, Part, QualityAgreement
from portal.forms import ServiceForm

TERMS = ["critical_notice_hours", "major_notice_days", "minor_notice_days",
         "closure_needs_sponsor_approval", *CHANGE_TERMS, "change_decision_days"]


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} {obj.title} ({obj.get_status_display().lower()})"


class AgreementCreateForm(ServiceForm):
    contract = ContractChoiceField(
        queryset=None, help_text="A quality agreement (or an amendment of one) in draft or "
                                 "negotiation. Its matrix starts as the one in force.")

    class Meta:
        model = QualityAgreement
        fields = ["contract", *TERMS]

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class AgreementEditForm(ServiceForm):
    """The terms, and one pair of choices (sponsor, CDMO) per row of the matrix."""

    new_activity = forms.CharField(label="Add an activity", required=False, max_length=120,
                                   help_text="A row of the matrix, both sides to fill in.")

    class Meta:
        model = QualityAgreement
        fields = TERMS

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            for side, label in (("sponsor", "Sponsor"), ("cdmo", "CDMO")):
                self.fields[f"{side}_{row.pk}"] = forms.ChoiceField(
                    label=f"{row.activity}: {label}", choices=Part.choices, required=False,
                    initial=getattr(row, side))
            self.fields[f"remove_{row.pk}"] = forms.BooleanField(
                label=f"Remove “{row.activity}” from the matrix", required=False)

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in (*TERMS, "new_activity")}
        data["cells"] = {row.pk: (self.cleaned_data.get(f"sponsor_{row.pk}") or "",
                                  self.cleaned_data.get(f"cdmo_{row.pk}") or "")
                         for row in self.rows}
        data["remove"] = [row.pk for row in self.rows
                          if self.cleaned_data.get(f"remove_{row.pk}")]
        return data
