"""The action item form; its choices come from the partnership's scope."""

from django import forms

from governance.actions.models import ActionItem
from portal.forms import FutureDatesMixin, ServiceForm


class ActionItemForm(FutureDatesMixin, ServiceForm):
    """An action's due date lies ahead, unless the box "This records the past" is ticked:
    an action entered after the fact, from an earlier meeting or a paper log."""

    future_dates = ("due_date",)
    past_confirmation = "records_past"

    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date", "priority", "is_internal",
                  "meeting", "request", "decision"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, members, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # people with a seat in this partnership
        # Sources: {"meeting": scoped queryset, ...}; a source without choices is left out.
        for name in ("meeting", "request", "decision"):
            choices = (sources or {}).get(name)
            if choices is None:
                del self.fields[name]
            else:
                self.fields[name].queryset = choices
                self.fields[name].help_text = ""
