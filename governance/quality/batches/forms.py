"""Forms of batches; their choices come from the partnership's scope."""

from django import forms
from django.conf import settings

from governance.quality.batches.models import Batch
from portal.files import max_upload_label
from portal.forms import ServiceForm

DATE = forms.DateInput(attrs={"type": "date"})


class BatchForm(ServiceForm):
    class Meta:
        model = Batch
        fields = ["lot_number", "program", "stage", "site", "manufactured_on"]
        widgets = {"manufactured_on": DATE}

    def __init__(self, *args, sites, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["program"].queryset = programs
        self.fields["program"].required = True  # may be emptied later only (Batch.program)


class ReviewForm(forms.Form):
    note = forms.CharField(label="Review note", widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="What the review of the executed batch record covered "
                                     "and found: deviations, corrections, open points.")


class CertificateForm(forms.Form):
    file = forms.FileField(label="Certificate of analysis")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_upload_label()
        self.fields["file"].help_text = f"The signed CoA as a PDF, up to {limit}."
        self.fields["file"].widget.attrs.update({
            "accept": "application/pdf", "data-max-bytes": settings.MAX_UPLOAD_BYTES,
            "data-max-message": f"This file is larger than {limit}, the most the portal accepts."})
