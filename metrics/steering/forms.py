"""The form asking for a steering pack: its period and the meeting it is attached to."""

import datetime

from django import forms

from metrics.steering.models import SteeringPack

DATE = forms.DateInput(attrs={"type": "date"})


class SteeringPackForm(forms.ModelForm):
    """Period and meeting; the meeting's choices are the partnership's steering committee
    meetings the user sees (empty: the next one)."""

    class Meta:
        model = SteeringPack
        fields = ["period_start", "period_end", "meeting"]
        widgets = {"period_start": DATE, "period_end": DATE}
        labels = {"period_start": "From", "period_end": "To"}

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].required = False
        self.fields["meeting"].empty_label = "The next steering committee meeting"

    @staticmethod
    def default_period(today: datetime.date) -> dict:
        """The last twelve months up to today."""
        return {"period_start": today.replace(year=today.year - 1) + datetime.timedelta(days=1)
                if not (today.month == 2 and today.day == 29)
                else datetime.date(today.year - 1, 3, 1), "period_end": today}

    def _post_clean(self) -> None:
        """The model's field validators only: the service checks the rest."""
        for name in ("period_start", "period_end"):
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            try:
                self._meta.model._meta.get_field(name).run_validators(value)
            except forms.ValidationError as error:
                self.add_error(name, error)
