"""Forms of the governance pages; choices come from the partnership's scope."""

from django import forms
from django.utils import timezone

from governance.models import ActionItem, Decision, Meeting, Notice, Request, Risk
from portal.validation import validate_date_in_range


class ActionItemForm(forms.ModelForm):
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


# --- Meetings, minutes and decisions ------------------------------

class PersonChoices(forms.ModelMultipleChoiceField):
    """People shown with their organization, so a dialog makes both parties visible."""

    def label_from_instance(self, obj):
        return f"{obj} ({obj.organization})"


class MeetingForm(forms.ModelForm):
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
        if self.instance.pk:  # one occurrence is edited; the series is fixed once created
            del self.fields["recurrence"], self.fields["repeat_until"]
        else:
            self.fields["repeat_until"].help_text = "Required for a recurring meeting."
        if self.instance.status == Meeting.Status.HELD:  # it happened then (services)
            for name in ("starts_at", "duration_minutes"):
                self.fields[name].disabled = True
            self.fields["starts_at"].help_text = "A held meeting keeps its time."


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="What was discussed and agreed.")


class MinutesActionForm(forms.Form):
    """One action decided in the meeting; a row left blank is ignored."""

    title = forms.CharField(max_length=200, required=False)
    owner = forms.ModelChoiceField(queryset=None, required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               validators=[validate_date_in_range])

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
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("title")


MinutesActionFormSet = forms.formset_factory(MinutesActionForm, extra=3, max_num=20,
                                             validate_max=True)


class DecisionForm(forms.ModelForm):
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


# --- Risks, notices, recognition and the feedback survey ----------------------------------

LIKELIHOOD_CHOICES = [(1, "1 – rare"), (2, "2 – unlikely"), (3, "3 – possible"),
                      (4, "4 – likely"), (5, "5 – almost certain")]
IMPACT_CHOICES = [(1, "1 – minor"), (2, "2 – moderate"), (3, "3 – significant"),
                  (4, "4 – major"), (5, "5 – severe")]


class MilestoneChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.tech_transfer} – {obj.get_kind_display()}"


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD_CHOICES, coerce=int)
    impact = forms.TypedChoiceField(choices=IMPACT_CHOICES, coerce=int)
    milestones = MilestoneChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tech-transfer milestones of this partnership that this risk threatens.")

    class Meta:
        model = Risk
        fields = ["title", "category", "likelihood", "impact", "owner", "description",
                  "mitigation", "review_date", "milestones", "is_internal"]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "mitigation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, members, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["milestones"].queryset = milestones


class NoticeForm(forms.ModelForm):
    """No 'internal' box: a notice exists to be read by the other party."""

    class Meta:
        model = Notice
        fields = ["kind", "title", "body", "effective_date", "site"]
        widgets = {"effective_date": forms.DateInput(attrs={"type": "date"}),
                   "body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": "What changes, and what it means for the other party"}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # sites of the poster's own organization
        self.fields["site"].help_text = "The site of your organization this is about, if any."
        self.fields["kind"].help_text = (
            "A site closure notice tells the other party; it does not change the site itself. "
            "The site's status (closing or closed, with its date) is set on the site's page "
            "by your organization's admins.")


class RecognitionForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="People you thank")
    team = forms.CharField(max_length=200, required=False,
                           help_text="Or a team of the other party, e.g. “QC micro lab”.")
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                              label="What you thank them for")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = people  # members of the other party


SCORE_CHOICES = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]
SURVEY_HELP = {
    "communication": "Clear, timely, the right people informed.",
    "responsiveness": "Answers and acknowledgements within the agreed times.",
    "quality": "Right first time; documents and results you can rely on.",
    "respect": "Courteous, fair, keeps its word.",
    "alignment": "Works towards the shared objectives and priorities.",
}


def _score(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
                                  label=f"{name.capitalize()} (1 poor – 5 excellent)",
                                  help_text=SURVEY_HELP[name])


class SurveyForm(forms.Form):
    """Five 1–5 ratings as radio groups (a fieldset with a legend each) and comments."""

    communication = _score("communication")
    responsiveness = _score("responsiveness")
    quality = _score("quality")
    respect = _score("respect")
    alignment = _score("alignment")
    comments = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to both parties without your name, once the quarter has closed, "
                  "and only if at least three people answered.")


# --- Formal requests ------------------------------------------------------

class RequestForm(forms.ModelForm):
    """Send (or, without urgency, edit) a request. `usage` is the actor's party's
    (used, budget) of emergencies this month, shown beside the urgency."""

    milestones = MilestoneChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tech-transfer milestones of this partnership that wait on this request.")

    class Meta:
        model = Request
        fields = ["title", "description", "kind", "urgency", "needed_by", "assignee",
                  "milestones", "emergency_justification"]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 4}),
                   "emergency_justification": forms.Textarea(attrs={"rows": 2})}
        labels = {"assignee": "Who should answer (optional)"}

    def __init__(self, *args, receivers, milestones, usage=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = receivers
        self.fields["milestones"].queryset = milestones
        if editing:
            del self.fields["urgency"], self.fields["emergency_justification"]
        elif usage is not None:
            used, budget = usage
            self.fields["urgency"].help_text = \
                f"{used} of {budget} emergencies used this month (UTC) by your party."
            self.fields["emergency_justification"].help_text = (
                "Required for an emergency once the monthly budget is used up; the steering "
                "committee members of both parties read it.")


class AcknowledgeForm(forms.Form):
    committed_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="The date your party commits to fulfil it.",
                                     validators=[validate_date_in_range])
    assignee = forms.ModelChoiceField(queryset=None, required=False,
                                      label="Who answers (you, unless you choose)")

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = receivers


class QueryForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What the requester must clarify before you commit.")


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class FulfilForm(forms.Form):
    fulfilment_note = forms.CharField(label="What was delivered",
                                      widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reopen_reason = forms.CharField(label="What is missing",
                                    widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    """A step without words (start work, accept): the dialog only confirms it."""


class RelayForm(forms.Form):
    """What the sponsor writes into the other partnership, in its own words: the form
    starts without the original's text (shown beside it, read-only), so nothing of one
    CDMO's crosses into the other partnership by a click."""

    target_partnership = forms.ModelChoiceField(queryset=None, label="Relay to")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="The other CDMO reads only what you write here.")
    kind = forms.ChoiceField(choices=Request.Kind.choices)
    urgency = forms.ChoiceField(choices=Request.Urgency.choices)
    needed_by = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[validate_date_in_range])
    emergency_justification = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for an emergency once your monthly budget in the other "
                  "partnership is used up; its steering committee members read it.")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_partnership"].queryset = targets
