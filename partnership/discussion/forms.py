"""The comment box of a record's discussion, and the withdrawal of a comment."""

from django import forms

from partnership.discussion.models import BODY_MAX_LENGTH, MAX_FILES, WITHDRAWAL_REASON_MAX_LENGTH
from portal.files import max_upload_label


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person) -> str:
        return f"{person.get_full_name() or person.email} ({person.organization})"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's "Uploading multiple files"): cleans to a list,
    at most `max_files`."""

    def __init__(self, *args, max_files: int = MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if len(uploads) > self.max_files:
            raise forms.ValidationError(f"Attach at most {self.max_files} files to a comment.")
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class CommentForm(forms.Form):
    """Offers as mentions only `people` (selectors.mention_candidates): an id of anyone else
    is a field error. Typing `@` in the box offers the same people (static/js/lockstep.js),
    ticking their box here."""

    body = forms.CharField(label="Comment", required=False, max_length=BODY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "data-mentions": "on"}),
                           help_text="Type @ and a name to mention someone.")
    mentions = PersonChoiceField(
        label="Mention", required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text="The people you mention are notified. An internal comment may mention "
                  "only people of your own party.")
    files = MultipleFileField(label="Attach files", required=False,
                              help_text=f"Up to {MAX_FILES} files: PDF, Word, Excel, CSV, PNG "
                                        f"or JPEG, each at most {max_upload_label()}.")
    is_internal = forms.BooleanField(label="Internal: only my organization sees it",
                                     required=False)

    def __init__(self, *args, people, **kwargs):
        # Its own ids: the record's page may hold a dialog's form with a `body` too.
        kwargs.setdefault("auto_id", "discussion_%s")
        super().__init__(*args, **kwargs)
        self.fields["mentions"].queryset = people


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why do you withdraw it?",
                             max_length=WITHDRAWAL_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Kept with the comment and in its history.")
