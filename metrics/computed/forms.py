"""Forms of computed KPIs: which ended period to compute."""

import datetime

from django import forms

from metrics import periods
from metrics.computed.services import last_ended_period
from metrics.kpis.models import KPIDefinition

#: How many ended periods the form offers.
PERIODS_OFFERED = 24


class ComputeForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Period", coerce=datetime.date.fromisoformat,
        help_text="A period whose value is still a draft is computed again; a submitted, "
                  "shared or published value is never overwritten.")

    def __init__(self, *args, definition: KPIDefinition, **kwargs):
        super().__init__(*args, **kwargs)
        period, choices = last_ended_period(definition), []
        for _ in range(PERIODS_OFFERED):
            choices.append((period.isoformat(), periods.label(period, definition.frequency)))
            period = periods.previous_period(period, definition.frequency)
        self.fields["period"].choices = choices
        self.fields["period"].initial = choices[0][0]
