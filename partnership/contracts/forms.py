"""Forms of the program and contract pages. Choices are limited to what the user may see."""

import datetime

from django import forms
from django.conf import settings

from partnership.contracts.models import Contract, Program
from partnership.parties.forms import DateInput
from portal.files import max_upload_label
from portal.forms import ServiceForm
from portal.validation import validate_date_in_range


class ProgramForm(ServiceForm):
    class Meta:
        model = Program
        fields = ["code", "name", "modality", "phase", "description", "sites", "is_internal"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "sites": forms.CheckboxSelectMultiple}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites  # the partnership's CDMO sites only


class ContractForm(ServiceForm):
    class Meta:
        model = Contract
        fields = ["kind", "reference", "title", "parent", "effective_date", "expiry_date",
                  "renewal_notice_days", "is_internal"]
        widgets = {"effective_date": DateInput(), "expiry_date": DateInput()}

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:
            parents = parents.exclude(pk=self.record.pk)
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
    file = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_upload_label()
        self.fields["file"].help_text = f"PDF, Word or Excel, up to {limit}."
        # lockstep.js refuses a larger file before sending it; the server checks regardless.
        self.fields["file"].widget.attrs.update({
            "data-max-bytes": settings.MAX_UPLOAD_BYTES,
            "data-max-message": f"This file is larger than {limit}, the most the portal accepts."})
