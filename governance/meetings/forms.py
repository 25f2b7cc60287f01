"""Forms of meetings, minutes (with the actions decided) and decisions; choices come from
the partnership's scope."""

from django import forms
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.meetings.models import Decision, Meeting
from governance.meetings.services import MINUTES_ACTIONS_MAX
from portal.forms import FutureDatesMixin, ServiceForm
from portal.validation import validate_date_in_range


class PersonChoices(forms.ModelMultipleChoiceField):
    """People shown with their organization, so a dialog makes both parties visible."""

    def label_from_instance(self, obj):
        return f"{obj} ({obj.organization})"


class MeetingForm(ServiceForm):
    """Create (with recurrence) or edit one meeting. The start is typed in the viewer's own
    zone: Django reads a naive datetime in the active zone (set per user by middleware)."""

    attendees = PersonChoices(queryset=None, required=False,
                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Meeting
        fields = ["title", "kind", "starts_at", "duration_minutes", "location", "agenda",
                  "attendees", "recurrence", "repeat_until", "is_internal"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M"),
                   "repeat_until": forms.DateInput(attrs={"type": "date"}),
                   "agenda": forms.Textarea(attrs={"rows": 4})}
        labels = {"starts_at": "Starts", "duration_minutes": "Duration (minutes)"}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members.select_related("organization")
        self.fields["starts_at"].help_text = \
            f"In your time zone ({timezone.get_current_timezone_name()})."
        if self.record is not None:  # one occurrence is edited; the series is fixed
            del self.fields["recurrence"], self.fields["repeat_until"]
        else:
            self.fields["repeat_until"].help_text = "Required for a recurring meeting."
        if self.record is not None and self.record.status == Meeting.Status.HELD:
            # It happened then (services.meeting_update refuses another time).
            for name in ("starts_at", "duration_minutes"):
                self.fields[name].disabled = True
            self.fields["starts_at"].help_text = "A held meeting keeps its time."


class MinutesForm(forms.Form):
    """The minutes; once approved, a correction with its reason (kept as a new version)."""

    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="What was discussed and agreed.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason for the correction",
                             help_text="These minutes were approved: say why you correct "
                                       "them. The approved version is kept.")

    def __init__(self, *args, approved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not approved:
            del self.fields["reason"]


class MinutesActionForm(FutureDatesMixin, forms.Form):
    """One action decided in the meeting, due from today on, with its priority; a row left
    blank is ignored (its priority alone does not make it an action)."""

    future_dates = ("due_date",)

    title = forms.CharField(max_length=200, required=False)
    owner = forms.ModelChoiceField(queryset=None, required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               validators=[validate_date_in_range])
    priority = forms.ChoiceField(choices=ActionItem.Priority.choices, required=False,
                                 initial=ActionItem.Priority.MEDIUM)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda p: f"{p} ({p.organization})"

    def clean(self):
        data = super().clean()
        if data.get("title") or data.get("owner") or data.get("due_date"):
            for name in ("title", "owner", "due_date"):
                if not data.get(name):
                    self.add_error(name, "Needed for an action.")
        data["priority"] = data.get("priority") or ActionItem.Priority.MEDIUM
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("title")


MinutesActionFormSet = forms.formset_factory(
    MinutesActionForm, extra=3, max_num=MINUTES_ACTIONS_MAX, validate_max=True,
    absolute_max=MINUTES_ACTIONS_MAX)


class DecisionForm(ServiceForm):
    decided_by = PersonChoices(queryset=None, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Decision
        fields = ["title", "rationale", "decided_on", "decided_by", "meeting", "is_internal"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}),
                   "rationale": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, members, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = members.select_related("organization")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = \
            lambda m: f"{m.title} ({timezone.localtime(m.starts_at):%d %b %Y})"
