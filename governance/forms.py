"""Forms of the governance pages; choices come from the partnership's scope."""

from django import forms

from governance.models import ActionItem


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date", "priority", "is_internal"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # people with a seat in this partnership
