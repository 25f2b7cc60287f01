"""The comment box of a record's discussion."""

from django import forms

from partnership.discussion.models import BODY_MAX_LENGTH
from portal.files import max_upload_label


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person) -> str:
        return f"{person.get_full_name() or person.email} ({person.organization})"


class CommentForm(forms.Form):
    """Offers as mentions only `people` (selectors.mention_candidates): an id of anyone else
    is a field error."""

    body = forms.CharField(label="Comment", required=False, max_length=BODY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))
    mentions = PersonChoiceField(
        label="Mention", required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text="The people you mention are notified. An internal comment may mention "
                  "only people of your own party.")
    file = forms.FileField(label="Attach a file", required=False,
                           help_text=f"PDF, Word, Excel, CSV, PNG or JPEG, at most "
                                     f"{max_upload_label()}.")
    is_internal = forms.BooleanField(label="Internal: only my organization sees it",
                                     required=False)

    def __init__(self, *args, people, **kwargs):
        # Its own ids: the record's page may hold a dialog's form with a `body` too.
        kwargs.setdefault("auto_id", "discussion_%s")
        super().__init__(*args, **kwargs)
        self.fields["mentions"].queryset = people
