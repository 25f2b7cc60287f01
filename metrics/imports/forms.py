"""The form that uploads a spreadsheet of KPI values."""

from django import forms
from django.conf import settings

from portal.files import max_upload_label


class KPIImportForm(forms.Form):
    file = forms.FileField(label="Spreadsheet")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A CSV or Excel (XLSX) file, up to {max_upload_label()}, with the columns KPI "
            "key, Period (YYYY-MM, YYYY-Qn or a date), Value, Numerator, Denominator, Comment.")
        self.fields["file"].widget.attrs.update({
            "accept": ".csv,.xlsx", "data-max-bytes": settings.MAX_UPLOAD_BYTES})
