"""`ServiceForm`: a ModelForm that reads input and leaves the record to the service."""

from django import forms
from django.forms.models import model_to_dict


class ServiceForm(forms.ModelForm):
    """Built with `record=` (its current values become the form's `initial`), never bound
    to the model instance: the form checks each field's input; the service reads the row
    under a lock (portal.locking.locked), applies the change, runs full_clean() and says
    no with field errors that ServiceFormView shows on the form. So nothing a form does
    can change a record before the service has decided, and the model's own checks run
    once, in the service, whichever door the change came through.

    `self.record` is the saved record (None on a create form); `self.instance` is only the
    empty instance ModelForm needs for its fields and is never saved.
    """

    def __init__(self, *args, record=None, **kwargs):
        self.record = record
        if record is not None:
            current = model_to_dict(record, fields=self._meta.fields, exclude=self._meta.exclude)
            kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        """No model validation here: the service runs it on the row it locked."""
