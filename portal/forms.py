"""`ServiceForm`: a ModelForm that reads input and leaves the record to the service."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
        """Each model field's own validators (a date in range, a number within its bounds)
        on the value its form field accepted, as a ModelForm does, so a bad value is named
        beside its field even while other fields are missing and the service is not yet
        reached. The record's own rules (clean(), uniqueness, the parties') are the
        service's: it runs them on the row it locked."""
        for name, value in list(self.cleaned_data.items()):
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form field of its own
                continue
            if not model_field.concrete or model_field.many_to_many:
                continue
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                self.add_error(name, error)
